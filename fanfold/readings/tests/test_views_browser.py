"""History and Marked for Later in a real browser: come back to a long work and continue at
the chapter last read, keep a work for later, and clear the history."""

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_continue_reading_mark_for_later_and_history(page, alice, reader, login_as):
    work = make_work(alice, title="Long Voyage", chapters=3)
    login_as(page, reader)
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Next Chapter →").first.click()
    page.get_by_role("link", name="Next Chapter →").first.click()
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Continue reading at Chapter 3").click()
    expect(page.get_by_role("heading", name="Chapter 3", exact=True)).to_be_visible()

    page.get_by_role("button", name="Mark for Later").click()
    expect(page.locator(".messages")).to_contain_text("Long Voyage is marked for later")
    page.goto("/users/reader/readings/later")
    expect(page.get_by_test_id("blurb")).to_contain_text("Long Voyage")
    page.get_by_role("button", name="Mark Long Voyage as Read").click()
    expect(page.get_by_test_id("empty")).to_be_visible()

    page.goto("/users/reader/readings")
    expect(page.get_by_test_id("blurb")).to_contain_text("Long Voyage")
    page.get_by_role("button", name="Clear History").click()
    expect(page.locator(".messages")).to_contain_text("Your history is now cleared.")
    expect(page.get_by_test_id("empty")).to_be_visible()
    page.get_by_role("button", name="Turn History Off").click()
    expect(page.get_by_test_id("history-off")).to_be_visible()
    assert page.js_errors == []
