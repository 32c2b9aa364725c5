"""In a browser: someone finds the invitation queue from the sign-up page and joins it; a user
gives an invitation from their Invitations page."""

import pytest
from playwright.sync_api import expect

from fanfold.core.models import ArchiveConfig

pytestmark = pytest.mark.browser


def test_joining_the_queue_from_the_signup_page(phone_page):
    config = ArchiveConfig.load()
    config.invitation_only = True
    config.save()
    phone_page.goto("/signup")
    phone_page.get_by_role("link", name="ask for an invitation").click()
    phone_page.get_by_label("Your email address").fill("newcomer@example.org")
    phone_page.get_by_role("button", name="Add me to the queue").click()
    expect(phone_page.get_by_test_id("queue-position")).to_contain_text("number 1 in the queue")
    assert phone_page.js_errors == []


def test_giving_an_invitation(page, alice, login_as):
    alice.invitations_left = 2
    alice.save()
    login_as(page, alice)
    page.goto("/users/alice")
    page.get_by_role("link", name="Invitations").click()
    page.get_by_label("Your friend's email address").fill("friend@example.org")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text("Your invitation has been sent to friend@example.org.")).to_be_visible()
    expect(page.get_by_test_id("invitations-left")).to_contain_text("1 invitation left")
