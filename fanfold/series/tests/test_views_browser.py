"""Series in a real browser: a writer starts a series from a work's page, adds a second work,
reorders them, and a reader follows "Part N of" navigation from work to work."""

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_writer_builds_a_series_and_a_reader_follows_it(page, alice, login_as):
    first = make_work(alice, title="Low Tide")
    second = make_work(alice, title="High Tide")
    login_as(page, alice)
    page.goto(f"/works/{first.pk}")
    page.get_by_role("link", name="Add to Series").click()
    page.get_by_label("…or start a new series called").fill("Harbour Cycle")
    page.get_by_role("button", name="Add to Series").click()
    expect(page.get_by_test_id("series-title")).to_have_text("Harbour Cycle")

    page.goto(f"/works/{second.pk}")
    page.get_by_role("link", name="Add to Series").click()
    page.get_by_label("Add to series").select_option(label="Harbour Cycle")
    page.get_by_role("button", name="Add to Series").click()
    expect(page.get_by_test_id("series-works").locator(".heading a[href^='/works/']")).to_have_text(
        ["Low Tide", "High Tide"]
    )

    page.get_by_role("link", name="Manage Series").click()
    page.get_by_label("Position of High Tide").fill("1")
    page.get_by_label("Position of Low Tide").fill("2")
    page.get_by_role("button", name="Update Positions").click()
    expect(page.get_by_test_id("series-works").locator(".heading a[href^='/works/']")).to_have_text(
        ["High Tide", "Low Tide"]
    )

    page.context.clear_cookies()
    page.goto(f"/works/{second.pk}")
    nav = page.get_by_test_id("series-nav")
    expect(nav).to_contain_text("Part 1 of Harbour Cycle")
    nav.get_by_role("link", name="Next Work →").click()
    expect(page.get_by_test_id("series-nav")).to_contain_text("Part 2 of Harbour Cycle")
    expect(page.locator("h2.title")).to_have_text("Low Tide")
    assert page.js_errors == []


def test_a_series_needs_a_title(page, alice, login_as):
    login_as(page, alice)
    page.goto("/series/new")
    page.get_by_role("button", name="Create Series").click()
    expect(page.locator(".field.has-errors")).to_contain_text("Please give the series a title.")
