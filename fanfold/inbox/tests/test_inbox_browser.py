"""The inbox in a real browser: the header count, replying from the inbox, marking read."""

import pytest
from playwright.sync_api import expect

from fanfold.comments.models import Comment
from fanfold.comments.services import comment_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_inbox_count_reply_and_mark_read(phone_page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    comment_create(work=work, user=bob, content="Will there be more?")
    login_as(phone_page, alice)
    phone_page.goto("/")
    expect(phone_page.get_by_test_id("inbox-unread")).to_have_text("(1)")
    phone_page.get_by_test_id("inbox-link").click()
    item = phone_page.get_by_test_id("inbox-item")
    expect(item).to_contain_text("bob commented on Tides: Will there be more?")
    item.locator("summary", has_text="Reply").click()
    item.get_by_label("Comment").fill("Yes, next week!")
    item.get_by_role("button", name="Reply").click()
    expect(phone_page.get_by_text("Comment created!")).to_be_visible()
    assert Comment.objects.filter(parent__isnull=False, user=alice).count() == 1

    phone_page.get_by_test_id("inbox-item").get_by_role("checkbox").check()
    phone_page.get_by_role("button", name="Mark Read").click()
    expect(phone_page.get_by_text("Messages marked read.")).to_be_visible()
    expect(phone_page.get_by_test_id("inbox-unread")).to_have_count(0)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone_page.js_errors == []


def test_reply_reaches_the_commenters_inbox_and_links_to_it(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    question = comment_create(work=work, user=bob, content="Will there be more?")
    comment_create(work=work, user=alice, content="Soon!", parent=question)
    login_as(page, bob)
    page.goto("/inbox")
    page.get_by_role("link", name="alice replied to your comment on Tides: Soon!").click()
    expect(page.get_by_role("heading", name="Comment on Tides")).to_be_visible()
    expect(page.get_by_text("Soon!")).to_be_visible()
