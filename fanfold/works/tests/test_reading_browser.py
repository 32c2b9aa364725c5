"""Reading in a real browser: chapter by chapter, the chapter select, the entire work, a
restricted work for a guest, and the work page on a phone."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_update

pytestmark = pytest.mark.browser


@pytest.fixture
def tides(alice):
    work = make_work(alice, title="Tides", chapters=3, end_notes="<p>Thanks for reading.</p>")
    for chapter in work.chapters.all():
        chapter_update(
            chapter=chapter,
            user=alice,
            data=ChapterInput(
                title=f"Tide number {chapter.position}",
                content=f"<p>The water rose for the {chapter.position}. time.</p>",
            ),
        )
    return work


def test_reading_a_work_chapter_by_chapter(page, tides):
    first, second, third = tides.chapters.order_by("position")
    page.goto(f"/works/{tides.pk}")
    text = page.get_by_test_id("chapter-text")
    expect(text).to_contain_text("The water rose for the 1. time.")
    expect(page.get_by_role("heading", name="Chapter 1: Tide number 1")).to_be_visible()

    page.get_by_role("link", name="Next Chapter →").first.click()
    expect(page).to_have_url(re.compile(rf"/works/{tides.pk}/chapters/{second.pk}$"))
    expect(text).to_contain_text("The water rose for the 2. time.")
    expect(page.get_by_text("Thanks for reading.")).to_have_count(0)

    page.get_by_role("link", name="← Previous Chapter").first.click()
    expect(page).to_have_url(re.compile(rf"/works/{tides.pk}/chapters/{first.pk}$"))

    # Choosing a chapter in the index goes there at once.
    page.get_by_label("Chapters:").select_option(label="3. Tide number 3")
    expect(page).to_have_url(re.compile(rf"/works/{tides.pk}/chapters/{third.pk}$"))
    expect(text).to_contain_text("The water rose for the 3. time.")
    expect(page.get_by_text("Thanks for reading.")).to_be_visible()
    expect(page.get_by_role("link", name="Next Chapter →")).to_have_count(0)

    page.get_by_role("link", name="Entire Work").click()
    expect(page.get_by_test_id("chapter-text")).to_have_count(3)
    expect(page.get_by_role("link", name="Chapter by Chapter")).to_be_visible()
    assert page.js_errors == []


def test_chapter_select_goes_there_without_javascript(browser, live_server, tides):
    third = tides.chapters.get(position=3)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/works/{tides.pk}")
        page.get_by_label("Chapters:").select_option(label="3. Tide number 3")
        page.get_by_role("button", name="Go").click()
        expect(page).to_have_url(re.compile(rf"/works/{tides.pk}/chapters/{third.pk}$"))
        expect(page.get_by_text("The water rose for the 3. time.")).to_be_visible()
    finally:
        context.close()


def test_chapter_index_page(page, tides):
    second = tides.chapters.get(position=2)
    page.goto(f"/works/{tides.pk}/navigate")
    expect(page.get_by_role("heading", name="Chapter Index for Tides by alice")).to_be_visible()
    page.get_by_role("link", name="2. Tide number 2").click()
    expect(page).to_have_url(re.compile(rf"/chapters/{second.pk}$"))


def test_a_guest_is_asked_to_log_in_for_a_restricted_work(page, alice):
    work = make_work(alice, title="Members only", is_restricted=True)
    page.goto(f"/works/{work.pk}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    expect(
        page.get_by_text("This work is only available to registered users of the Archive.")
    ).to_be_visible()


def test_creator_sees_the_draft_banner_and_actions(page, alice, login_as):
    draft = make_work(alice, title="Unposted", post=False)
    login_as(page, alice)
    page.goto(f"/works/{draft.pk}")
    expect(page.get_by_test_id("draft-banner")).to_contain_text(
        "This work is a draft and has not been posted"
    )
    actions = page.get_by_role("list", name="Work actions")
    for label in ("Edit", "Add Chapter", "Delete"):
        expect(actions.get_by_role("link", name=label, exact=True)).to_be_visible()


def test_work_page_fits_a_phone(phone_page, alice):
    long_word = "Lighthouse" * 12
    work = make_work(
        alice,
        title="A very long title about lighthouses, harbours, tides and the keepers of all three",
        chapters=3,
        fandoms=["Harbour Tales and Other Stories of the Northern Coast (Anthology Series)"],
        relationships=["Mira Lanternkeeper-Oceanview/Tove Harbourmaster-Stormwatch"],
        characters=["Mira Lanternkeeper-Oceanview", "Tove Harbourmaster-Stormwatch"],
        freeforms=["Slow Burn", "Found Family", "Alternate Universe - Lighthouse Keepers"],
        summary=f"<p>A summary with a very long word: {long_word}</p>",
        content=f"<p>Text with a very long word: {long_word}.</p><p>And more text.</p>",
        expected_chapters=None,
    )
    page = phone_page
    page.goto(f"/works/{work.pk}")
    expect(page.get_by_test_id("work-meta")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto(f"/works/{work.pk}?view_full_work=true")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.js_errors == []
