"""Co-creator invitations in a real browser: alice invites bob while posting; bob is listed
only after he accepts the invitation from his dashboard."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.works.models import Work

pytestmark = pytest.mark.browser


def test_alice_invites_bob_and_he_accepts(page, alice, bob, login_as):
    login_as(page, alice)
    page.goto("/works/new")
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Harbour Town")
    page.get_by_label("Work Title").fill("Two Keepers")
    page.get_by_label("Add co-creators").fill("bob")
    expect(page.get_by_text("must accept the invitation before they are listed")).to_be_visible()
    page.get_by_test_id("rich-editor").click()
    page.keyboard.type("Two lamps, one tower.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Work was successfully posted.")
    work = Work.objects.get()
    expect(page.locator("h3.byline")).to_have_text("alice")

    page.context.clear_cookies()
    login_as(page, bob)
    page.goto("/users/bob")
    invitation = page.get_by_test_id("creatorship-invitation")
    expect(invitation).to_contain_text("Two Keepers")
    expect(invitation).to_contain_text("invited by alice")
    invitation.get_by_role("button", name="Accept").click()
    expect(page.locator(".messages")).to_contain_text(
        "You are now listed as a co-creator of Two Keepers."
    )
    expect(page).to_have_url(re.compile(r"/users/bob$"))
    expect(page.get_by_test_id("creatorship-invitation")).to_have_count(0)

    page.goto(f"/works/{work.pk}")
    expect(page.locator("h3.byline")).to_have_text("alice, bob")
    expect(page.get_by_role("link", name="Edit", exact=True)).to_be_visible()
    assert page.js_errors == []
