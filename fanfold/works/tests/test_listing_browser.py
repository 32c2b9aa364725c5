"""Listings in a real browser: paging through /works, following a tag from a blurb to its
works page, the home page, a user's works and drafts, and a listing on a phone."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def test_paging_through_the_newest_works(page, alice):
    for number in range(1, 26):
        make_work(alice, title=f"Story {number:02}")
    page.goto("/works")
    heading = page.get_by_test_id("listing-heading")
    expect(heading).to_have_text("1 - 20 of 25 Works")
    expect(page.get_by_test_id("blurb")).to_have_count(20)
    expect(page.get_by_test_id("blurb").first).to_contain_text("Story 25")

    page.get_by_role("link", name="Next →").first.click()
    expect(page).to_have_url(re.compile(r"/works\?page=2$"))
    expect(heading).to_have_text("21 - 25 of 25 Works")
    expect(page.get_by_test_id("blurb")).to_have_count(5)
    expect(page.get_by_test_id("blurb").last).to_contain_text("Story 01")

    page.get_by_role("link", name="← Previous").first.click()
    expect(heading).to_have_text("1 - 20 of 25 Works")
    page.get_by_role("navigation", name="Pages").first.get_by_role("link", name="2").click()
    expect(heading).to_have_text("21 - 25 of 25 Works")
    assert page.js_errors == []


def test_a_tag_in_a_blurb_leads_to_its_works(page, alice, bob):
    make_work(alice, title="Lanterns", fandoms=["Harbour Tales"], relationships=["Mira/Tove"])
    make_work(bob, title="Nets", fandoms=["Harbour Tales"])
    make_work(bob, title="Elsewhere", fandoms=["Sea Songs"])
    page.goto("/")
    expect(page.get_by_test_id("blurb")).to_have_count(3)
    page.get_by_test_id("blurb").filter(has_text="Lanterns").get_by_role(
        "link", name="Mira/Tove"
    ).click()
    expect(page).to_have_url(re.compile(r"/tags/Mira\*s\*Tove/works$"))
    expect(page.get_by_test_id("listing-heading")).to_have_text("1 Work in Mira/Tove")

    page.get_by_role("link", name="Harbour Tales").click()
    expect(page.get_by_test_id("listing-heading")).to_have_text("2 Works in Harbour Tales")
    page.get_by_role("link", name="Nets").click()
    expect(page.get_by_role("heading", name="Nets", exact=True)).to_be_visible()


def test_a_writer_finds_their_works_and_drafts(page, alice, login_as):
    make_work(alice, title="Finished")
    make_work(alice, title="Still writing", post=False)
    login_as(page, alice)
    page.goto("/users/alice/works")
    expect(page.get_by_test_id("listing-heading")).to_have_text("1 Work by alice")
    page.get_by_role("link", name="Your drafts").click()
    expect(page.get_by_test_id("listing-heading")).to_have_text("1 Draft by alice")
    blurb = page.get_by_test_id("blurb")
    expect(blurb).to_contain_text("Still writing")
    expect(blurb.get_by_role("link", name="Post Draft")).to_be_visible()


def test_listing_fits_a_phone(phone_page, alice):
    for number in range(3):
        make_work(
            alice,
            title=f"A long title about harbours, tides and keepers, part {number}",
            fandoms=["Harbour Tales and Other Stories of the Northern Coast (Anthology)"],
            relationships=["Mira Lanternkeeper-Oceanview/Tove Harbourmaster-Stormwatch"],
            freeforms=["Alternate Universe - Lighthouse Keepers", "Slow Burn"],
            summary="<p>" + "Lighthouse" * 12 + "</p>",
        )
    page = phone_page
    page.goto("/works")
    expect(page.get_by_test_id("blurb")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("/tags/Slow Burn/works")
    expect(page.get_by_test_id("blurb")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
