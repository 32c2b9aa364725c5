"""In a real browser: a guest reports a work from the footer link, a moderator finds it in the
queue and hides the work, and the work's creator sees why."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_a_report_travels_from_a_guest_to_a_moderator_to_the_creator(
    page, alice, moderator, login_as
):
    work = make_work(alice, title="Shouting Story")
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Report a problem").click()
    expect(page.get_by_label("Address of the page")).to_have_value(f"/works/{work.pk}")
    page.get_by_label("Harassment or threats").check()
    page.get_by_label("Describe the problem").fill("The notes threaten anyone who comments.")
    page.get_by_role("button", name="Send report").click()
    expect(page.get_by_text("your report has been sent to the moderators")).to_be_visible()

    page.context.clear_cookies()
    login_as(page, moderator)
    page.goto("/moderation")
    # Ids are the database's to choose (PostgreSQL does not reuse them between tests).
    page.get_by_role("link", name=re.compile(r"Report \d+: Harassment or threats")).click()
    page.get_by_label("Reason (the creators see it)").fill("Threats in the notes.")
    page.get_by_role("button", name="Hide pending review").click()
    expect(page.get_by_test_id("work-hidden")).to_contain_text("Threats in the notes.")
    page.get_by_label("Status").select_option("resolved")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_test_id("report-status")).to_contain_text("Resolved")
    page.goto("/moderation/audit")
    expect(page.get_by_test_id("audit-entry")).to_have_count(2)

    page.context.clear_cookies()
    login_as(page, alice)
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("hidden-banner")).to_contain_text("Threats in the notes.")
    assert page.js_errors == []


def test_a_moderator_suspends_a_user_on_a_phone(phone_page, alice, moderator, login_as):
    login_as(phone_page, moderator)
    phone_page.goto("/moderation/users/alice")
    phone_page.get_by_label("Days").fill("3")
    phone_page.get_by_label("Reason (the user is told)").first.fill("Tag spam.")
    phone_page.get_by_role("button", name="Suspend").click()
    expect(phone_page.get_by_test_id("account-state")).to_contain_text("Suspended until")
    phone_page.get_by_role("button", name="End the suspension").click()
    expect(phone_page.get_by_test_id("account-state")).to_contain_text("In good standing")
    assert phone_page.js_errors == []
