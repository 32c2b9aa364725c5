"""Importing in a real browser: a writer uploads a text file, checks and corrects the preview,
chooses the tags and saves a draft; the same on a phone with a paste."""

import pytest
from playwright.sync_api import expect

from fanfold.works.models import Work

pytestmark = pytest.mark.browser

STORY = (
    "The Night Ferry\n\nA/N: For everyone who missed the last boat.\n\n"
    "Chapter 1: Departure\n\nThe ferry left at midnight \u2014 \u201cright on time\u201d.\n\n"
    "~*~\n\nNobody waved.\n\nChapter 2\n\nThe crossing was calm.\n\nChapter 3: Arrival\n\n"
    "They docked at dawn.\n"
)


def test_upload_check_correct_and_save_a_draft(page, alice, login_as):
    login_as(page, alice)
    page.goto("/works/new")
    page.get_by_role("link", name="Import a work from a file").click()
    expect(page.get_by_role("heading", name="Import a Work")).to_be_visible()
    page.get_by_label("File").set_input_files(
        {"name": "ferry.txt", "mimeType": "text/plain", "buffer": STORY.encode("cp1252")}
    )
    page.get_by_role("button", name="Preview").click()

    expect(page.get_by_test_id("import-summary")).to_contain_text("3 chapters")
    expect(page.get_by_label("Work Title")).to_have_value("The Night Ferry")
    expect(page.get_by_label("Notes at the beginning")).to_have_value(
        "<p>For everyone who missed the last boat.</p>"
    )
    chapters = page.get_by_test_id("import-chapter")
    expect(chapters).to_have_count(3)
    first = chapters.nth(0)
    first.get_by_text("Show the text").click()
    expect(first.locator(".userstuff hr")).to_have_count(1)
    expect(first.locator(".userstuff")).to_contain_text("\u201cright on time\u201d")

    # Corrections: chapter 2 is really part of chapter 1; chapter 3 gets a new title.
    chapters.nth(1).get_by_label("Not a new chapter").check()
    chapters.nth(2).get_by_label("Chapter title").fill("Landfall")
    page.get_by_role("button", name="Save As Draft").click()

    # The tags every work needs are asked for, and what was corrected is kept.
    expect(page.get_by_test_id("form-errors")).to_contain_text("Please choose a rating.")
    expect(chapters.nth(1).get_by_label("Not a new chapter")).to_be_checked()
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Harbour Town")
    page.get_by_role("button", name="Save As Draft").click()

    expect(page.get_by_test_id("preview-banner")).to_contain_text("saved as a draft")
    work = Work.objects.get()
    assert not work.is_posted
    assert [c.title for c in work.chapters.order_by("position")] == ["Departure", "Landfall"]
    assert page.js_errors == []


def test_paste_on_a_phone(phone_page, alice, login_as):
    page = phone_page
    login_as(page, alice)
    page.goto("/works/import")
    page.get_by_label("Or paste the text").fill("Pocket Story\n\nWritten on a bus.\n\nThe end.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_label("Work Title")).to_have_value("Pocket Story")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Buses")
    page.get_by_role("button", name="Save As Draft").click()
    expect(page.get_by_test_id("preview-banner")).to_be_visible()
    assert Work.objects.get().title == "Pocket Story"
