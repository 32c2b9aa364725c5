"""Leaving kudos in a real browser, as a reader and as a guest, on a phone."""

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_reader_and_guest_leave_kudos(phone_page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    phone_page.goto(f"/works/{work.pk}")
    phone_page.get_by_role("button", name="Kudos ♥").click()
    expect(phone_page.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(phone_page.get_by_test_id("kudos-list")).to_have_text("1 guest left kudos on this work!")
    expect(phone_page.get_by_role("button", name="Kudos ♥")).to_have_count(0)

    phone_page.context.clear_cookies()
    login_as(phone_page, bob)
    phone_page.goto(f"/works/{work.pk}")
    phone_page.get_by_role("button", name="Kudos ♥").click()
    expect(phone_page.get_by_test_id("kudos-list")).to_have_text(
        "bob as well as 1 guest left kudos on this work!"
    )
    phone_page.get_by_test_id("kudos-list").get_by_role("link", name="bob").click()
    expect(phone_page.get_by_role("heading", name="bob", exact=True)).to_be_visible()
    assert phone_page.js_errors == []


def test_the_creator_sees_who_left_kudos_but_no_button(page, alice, bob, login_as):
    from fanfold.kudos.services import kudos_give

    work = make_work(alice)
    kudos_give(work=work, user=bob)
    login_as(page, alice)
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("kudos-list")).to_have_text("bob left kudos on this work!")
    expect(page.get_by_role("button", name="Kudos ♥")).to_have_count(0)
