"""Blocking and muting in a real browser: from a user's page and from the manage page."""

import pytest
from playwright.sync_api import expect

from fanfold.comments.services import BLOCKED_BY_CREATOR
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_block_from_a_user_page_stops_their_comments(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    login_as(page, alice)
    page.goto("/users/bob")
    page.get_by_role("button", name="Block", exact=True).click()
    expect(page.get_by_text("You have blocked bob.")).to_be_visible()
    expect(page.get_by_role("button", name="Unblock")).to_be_visible()

    page.context.clear_cookies()
    login_as(page, bob)
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("comments-closed")).to_have_text(BLOCKED_BY_CREATOR)
    expect(page.get_by_test_id("comment-form")).to_have_count(0)


def test_mute_from_the_manage_page_hides_their_works(phone_page, alice, bob, login_as):
    make_work(bob, title="Bobs Tale")
    make_work(alice, title="Alices Tale")
    login_as(phone_page, alice)
    phone_page.goto("/users/alice")
    phone_page.get_by_role("link", name="Blocked and muted users").click()
    phone_page.get_by_role("button", name="Mute").click()
    expect(phone_page.get_by_test_id("form-errors")).to_contain_text("This field is required.")
    phone_page.get_by_label("Username").fill("bob")
    phone_page.get_by_role("button", name="Mute").click()
    expect(phone_page.get_by_text("You have muted bob.")).to_be_visible()
    expect(phone_page.get_by_test_id("muted-list")).to_contain_text("bob")
    phone_page.goto("/works")
    expect(phone_page.get_by_text("Alices Tale")).to_be_visible()
    expect(phone_page.get_by_text("Bobs Tale")).to_have_count(0)

    phone_page.goto("/users/alice/blocked")
    phone_page.get_by_test_id("muted-list").get_by_role("button", name="Unmute").click()
    expect(phone_page.get_by_text("You have unmuted bob.")).to_be_visible()
    phone_page.goto("/works")
    expect(phone_page.get_by_text("Bobs Tale")).to_be_visible()
    assert phone_page.js_errors == []
