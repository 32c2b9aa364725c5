"""Bookmarks in a real browser: bookmark a work from its page, see it listed, edit it to
private, delete it; and a work's bookmarks page on a phone."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.bookmarks.services import bookmark_create
from fanfold.testing.factories import make_work
from fanfold.works.models import Work

pytestmark = pytest.mark.browser


def test_bookmark_edit_and_delete(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    login_as(page, bob)
    page.goto(f"/works/{work.pk}")
    page.get_by_role("link", name="Bookmark", exact=True).click()
    page.get_by_label("Notes").fill("Salt and <em>light</em>.")
    page.get_by_label("Your tags").fill("sea, comfort")
    page.get_by_label("Rec (recommend it to others)").check()
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".messages")).to_contain_text("Bookmark was successfully created.")
    bookmark = page.get_by_test_id("bookmark")
    expect(bookmark).to_contain_text("Salt and light.")
    expect(bookmark.get_by_test_id("rec")).to_be_visible()
    expect(bookmark.get_by_role("link", name="comfort")).to_be_visible()
    assert Work.objects.get(pk=work.pk).bookmark_count == 1

    bookmark.get_by_role("link", name="Edit").click()
    page.get_by_label("Private bookmark (only you see it)").check()
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_test_id("private")).to_be_visible()
    assert Work.objects.get(pk=work.pk).bookmark_count == 0

    page.get_by_test_id("bookmark").get_by_role("link", name="Delete").click()
    page.get_by_role("button", name="Yes, Delete Bookmark").click()
    expect(page).to_have_url(re.compile(r"/users/bob/bookmarks$"))
    expect(page.get_by_test_id("empty")).to_have_text("You have no bookmarks yet.")
    assert page.js_errors == []


def test_bad_notes_are_explained(page, alice, bob, login_as):
    work = make_work(alice, title="Tides")
    login_as(page, bob)
    page.goto(f"/works/{work.pk}/bookmarks/new")
    page.get_by_label("Your tags").fill("x" * 101)
    page.get_by_role("button", name="Create").click()
    expect(page.locator(".field.has-errors")).to_contain_text(
        "Each tag must be at most 100 characters long"
    )


def test_a_works_bookmarks_on_a_phone(phone_page, alice, bob, reader):
    work = make_work(alice, title="Tides")
    bookmark_create(user=bob, work=work, notes="Public thoughts.", tags="sea")
    bookmark_create(user=reader, work=work, notes="Private thoughts.", is_private=True)
    phone_page.goto(f"/works/{work.pk}/bookmarks")
    expect(phone_page.get_by_test_id("listing-heading")).to_contain_text("1 Bookmark of Tides")
    expect(phone_page.get_by_text("Public thoughts.")).to_be_visible()
    expect(phone_page.get_by_text("Private thoughts.")).to_have_count(0)
    overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
