"""Finding works in a real browser: the filter sidebar on a desktop and on a phone (folded
behind a button, no JavaScript needed), and the search page with its snippets and errors."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


@pytest.fixture
def shelf(alice, bob):
    make_work(alice, title="Lanterns", fandoms=["Harbour Tales"], freeforms=["Fluff"],
              content="<p>The lighthouse keeper polished the brass.</p>")  # fmt: skip
    make_work(bob, title="Nets", fandoms=["Harbour Tales"], freeforms=["Angst"])
    make_work(bob, title="Songs", fandoms=["Sea Songs"], freeforms=["Fluff"], language="de")


def test_filtering_works_with_the_sidebar_on_a_desktop(page, shelf):
    page.goto("/works")
    sidebar = page.get_by_test_id("filters")
    expect(sidebar).to_be_visible()
    expect(page.get_by_test_id("filters-toggle")).to_be_hidden()
    include = sidebar.locator("fieldset.filter-include")
    include.get_by_label(re.compile(r"Fluff \(2\)")).check()
    sidebar.locator("fieldset.filter-exclude").get_by_label(re.compile(r"Sea Songs")).check()
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("blurb")).to_have_count(1)
    expect(page.get_by_test_id("blurb")).to_contain_text("Lanterns")
    expect(page).to_have_url(re.compile(r"include=\d+.*exclude=\d+"))
    # The choices stay checked, and a bad range is explained without losing the rest.
    expect(include.get_by_label(re.compile(r"Fluff"))).to_be_checked()
    sidebar.get_by_label("From", exact=True).first.fill("900")
    sidebar.get_by_label("To", exact=True).first.fill("10")
    page.get_by_test_id("filter-submit").click()
    expect(page.get_by_test_id("filter-errors")).to_contain_text(
        "The word count range ends before it starts."
    )
    expect(page.get_by_test_id("blurb")).to_have_count(1)
    page.get_by_role("link", name="Clear Filters").click()
    expect(page.get_by_test_id("blurb")).to_have_count(3)
    assert page.js_errors == []


def test_the_sidebar_folds_away_on_a_phone(phone_page, shelf):
    phone_page.goto("/works")
    form = phone_page.locator(".filters-form")
    expect(form).to_be_hidden()
    phone_page.get_by_test_id("filters-toggle").click()
    expect(form).to_be_visible()
    form.get_by_label("Sort by").select_option("title")
    form.get_by_label("Language").select_option("de")
    phone_page.get_by_test_id("filter-submit").click()
    expect(phone_page.get_by_test_id("blurb")).to_have_count(1)
    expect(phone_page.get_by_test_id("blurb")).to_contain_text("Songs")
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert phone_page.js_errors == []


def test_searching_shows_highlighted_snippets_and_explains_mistakes(page, shelf):
    page.goto("/search")
    page.get_by_role("searchbox").fill("lighthouse keeper")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("listing-heading")).to_have_text("1 Work found")
    expect(page.get_by_test_id("snippet").locator("mark").first).to_have_text("lighthouse")
    page.get_by_role("searchbox").fill('"lighthouse keeper')
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("query-error")).to_contain_text("A quotation mark is not closed")
    page.get_by_role("searchbox").fill("harbour -fluff")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_test_id("blurb")).to_have_count(1)
    expect(page.get_by_test_id("blurb")).to_contain_text("Nets")
    assert page.js_errors == []
