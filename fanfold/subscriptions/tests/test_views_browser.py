"""Subscriptions in a real browser: subscribe from a work's page, get an e-mail when a chapter
is posted, and unsubscribe from the subscriptions page."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from fanfold.inbox.selectors import inbox_items_for_user
from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_create

pytestmark = pytest.mark.browser


def test_subscribe_hear_of_a_chapter_and_unsubscribe(page, alice, bob, login_as):
    work = make_work(alice, title="Tides", expected_chapters=None)
    login_as(page, bob)
    page.goto(f"/works/{work.pk}")
    page.get_by_role("button", name="Subscribe").click()
    expect(page.locator(".messages")).to_contain_text("You are now subscribed to Tides")
    expect(page.get_by_role("button", name="Unsubscribe")).to_be_visible()

    chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>The next wave.</p>"))
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert inbox_items_for_user(user=bob).count() == 1

    page.goto("/users/bob/subscriptions")
    row = page.get_by_test_id("subscription")
    expect(row).to_contain_text("Work: Tides")
    row.get_by_role("button", name="Unsubscribe").click()
    expect(page.locator(".messages")).to_contain_text("You have unsubscribed from Tides.")
    expect(page.get_by_test_id("empty")).to_be_visible()
    assert page.js_errors == []
