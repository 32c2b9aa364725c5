"""Commenting in a real browser: a guest comments, a reader replies, the author edits and
deletes, the creator moderates and freezes, and a deep thread opens without JavaScript on a
phone."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.comments.services import comment_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_guest_comments_reader_replies_author_edits_and_deletes(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    page.goto(f"/works/{work.pk}")
    form = page.get_by_test_id("comment-form")
    form.get_by_role("button", name="Comment").click()
    expect(page.get_by_test_id("form-errors")).to_contain_text("Please tell us your name.")
    page.get_by_label("Name").fill("Wren")
    page.get_by_label("E-mail").fill("wren@example.org")
    page.get_by_label("Comment").fill("The harbour scene stayed with me.")
    page.get_by_role("button", name="Comment").click()
    expect(page.get_by_text("Comment created!")).to_be_visible()
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    expect(page.get_by_test_id("comment")).to_contain_text("Wren (Guest)")

    page.context.clear_cookies()
    login_as(page, bob)
    page.goto(f"/works/{work.pk}")
    page.get_by_test_id("comment").get_by_role("link", name="Reply").click()
    page.get_by_label("Comment").fill("Mine too!")
    page.get_by_role("button", name="Reply").click()
    expect(page).to_have_url(re.compile(rf"/works/{work.pk}#comment-\d+$"))
    reply = page.locator(".comment.reply")
    expect(reply).to_contain_text("Mine too!")

    reply.get_by_role("link", name="Edit").click()
    page.get_by_label("Comment").fill("Mine too, truly!")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".comment.reply")).to_contain_text("Mine too, truly!")
    expect(page.locator(".comment.reply")).to_contain_text("(edited)")

    page.locator(".comment.reply").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, Delete Comment").click()
    expect(page.get_by_text("Comment deleted.")).to_be_visible()
    expect(page.locator(".comment.reply")).to_have_count(0)
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    assert page.js_errors == []


def test_creator_moderates_and_freezes(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    login_as(page, alice)
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Comment settings").click()
    page.get_by_label(re.compile("Moderate comments")).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Comment settings saved.")).to_be_visible()

    comment_create(work=work, user=bob, content="Please let me in")
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("comments-waiting")).to_have_text("1 comment awaiting your approval")
    comment = page.get_by_test_id("comment")
    expect(comment.get_by_test_id("awaiting-approval")).to_be_visible()
    comment.get_by_role("button", name="Approve").click()
    expect(page.get_by_text("Comment approved.")).to_be_visible()
    expect(page.get_by_test_id("awaiting-approval")).to_have_count(0)

    page.get_by_test_id("comment").get_by_role("button", name="Freeze Thread").click()
    expect(page.get_by_test_id("frozen")).to_be_visible()
    page.context.clear_cookies()
    login_as(page, bob)
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("comment").get_by_role("link", name="Reply")).to_have_count(0)
    assert page.js_errors == []


def test_deep_thread_opens_without_javascript_on_a_phone(browser, live_server, alice, bob):
    work = make_work(alice)
    parent = None
    for number in range(7):
        parent = comment_create(
            work=work, user=bob, content=f"Level {number} of a long exchange", parent=parent
        )
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_text("Level 6 of a long exchange")).to_be_hidden()
    page.get_by_text("3 more replies").click()
    expect(page.get_by_text("Level 6 of a long exchange")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()
