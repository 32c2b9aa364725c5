"""Saved filters in a real browser: save the sidebar's filters, find them on the preferences
page, reapply them, and exclude a tag for good."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_save_reapply_and_exclude(page, alice, reader, login_as):
    make_work(alice, title="Lanterns", freeforms=["Fluff"], language="de")
    make_work(alice, title="Nets", freeforms=["Angst"])
    login_as(page, reader)
    page.goto("/works?language=de")
    expect(page.get_by_test_id("blurb")).to_have_count(1)
    page.get_by_label("Save these filters as").fill("German")
    page.get_by_role("button", name="Save Filters").click()
    expect(page).to_have_url(re.compile(r"/works\?language=de$"))
    page.get_by_role("link", name="Your saved filters").click()
    expect(page.get_by_test_id("saved-filters")).to_contain_text("German")
    page.get_by_test_id("saved-filters").get_by_role("link", name="German").click()
    expect(page.get_by_test_id("blurb")).to_have_count(1)

    page.goto("/preferences/filters")
    page.get_by_label("Tag").fill("Nope")
    page.get_by_role("button", name="Exclude").click()
    expect(page.get_by_role("alert")).to_contain_text("No tag is named “Nope”.")
    page.get_by_label("Tag").fill("Angst")
    page.get_by_role("button", name="Exclude").click()
    expect(page.get_by_test_id("exclusions")).to_contain_text("Angst")
    page.goto("/works")
    expect(page.get_by_test_id("blurb")).to_have_count(1)
    expect(page.get_by_test_id("blurb")).to_contain_text("Lanterns")
    assert page.js_errors == []
