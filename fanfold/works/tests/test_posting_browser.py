"""The posting screens in a real browser: a writer posts a work with the rich text editor,
previews it, adds and reorders chapters, deletes with confirmation, and posts from a phone."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.testing.factories import make_work
from fanfold.works.models import Work

pytestmark = pytest.mark.browser


def fill_required_metadata(page, *, title: str) -> None:
    page.get_by_label("Rating").select_option("Teen And Up Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Harbour Town")
    page.get_by_label("Work Title").fill(title)


def test_post_a_multi_chapter_work_with_the_rich_text_editor(page, alice, login_as):
    login_as(page, alice)
    page.goto("/works/new")
    fill_required_metadata(page, title="The Lamp Room")
    page.get_by_label("Characters").fill("The Keeper, Ferryman")
    page.get_by_label("Expected number of chapters").fill("2")

    # The editor replaces the plain box; its buttons format what is typed.
    editor = page.get_by_test_id("rich-editor")
    expect(editor).to_be_visible()
    expect(page.locator("textarea#id_content")).to_be_hidden()
    editor.click()
    page.keyboard.type("The lamp was ")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type("never")
    page.get_by_role("button", name="Bold").click()
    page.keyboard.type(" dark.")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Bulleted list").click()
    page.keyboard.type("oil")
    page.keyboard.press("Enter")
    page.keyboard.type("wick")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.once("dialog", lambda dialog: dialog.accept("https://example.org/lamps"))
    page.keyboard.type("Read more")
    page.keyboard.press("Shift+Home")
    page.get_by_role("button", name="Link").click()

    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("saved as a draft")
    text = page.get_by_test_id("chapter-text")
    expect(text.locator("b, strong")).to_have_text("never")
    expect(text.locator("li")).to_have_text(["oil", "wick"])
    expect(text.locator("a")).to_have_attribute("href", "https://example.org/lamps")
    expect(page.get_by_test_id("work-meta")).to_contain_text("1/2")

    page.get_by_role("button", name="Post", exact=True).click()
    work = Work.objects.get()
    expect(page).to_have_url(re.compile(rf"/works/{work.pk}$"))
    assert work.is_posted and not work.is_complete

    page.goto(f"/works/{work.pk}/chapters/new")
    page.get_by_label("Chapter Title").fill("Morning")
    page.get_by_test_id("rich-editor").click()
    page.keyboard.type("The storm had passed.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Chapter was successfully posted.")
    work.refresh_from_db()
    assert work.chapters_display == "2/2" and work.is_complete
    assert work.chapters.get(position=2).content == "<p>The storm had passed.</p>"
    assert page.js_errors == []


def test_plain_text_and_html_modes_show_the_plain_box(page, alice, login_as):
    login_as(page, alice)
    page.goto("/works/new")
    editor = page.get_by_test_id("rich-editor")
    editor.click()
    page.keyboard.type("First paragraph")
    page.get_by_label("HTML").check()
    box = page.locator("textarea#id_content")
    expect(box).to_be_visible()
    expect(editor).to_be_hidden()
    assert "First paragraph" in box.input_value()
    page.get_by_label("Plain text").check()
    expect(box).to_have_value("First paragraph")
    box.fill("One\n\nTwo")
    fill_required_metadata(page, title="Plainly")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Work was successfully posted.")
    assert Work.objects.get().chapters.get().content == "<p>One</p>\n<p>Two</p>"
    assert page.js_errors == []


def test_bad_input_comes_back_with_messages_and_the_text_kept(page, alice, login_as):
    login_as(page, alice)
    page.goto("/works/new")
    page.get_by_test_id("rich-editor").click()
    page.keyboard.type("Words worth keeping")
    page.get_by_role("button", name="Post", exact=True).click()
    errors = page.get_by_test_id("form-errors")
    expect(errors).to_contain_text("Please enter a title.")
    expect(errors).to_contain_text("Please add at least one fandom.")
    expect(page.get_by_test_id("rich-editor")).to_contain_text("Words worth keeping")
    assert not Work.objects.exists()


def test_reorder_chapters_then_delete_one_and_the_work_with_confirmation(page, alice, login_as):
    work = make_work(alice, title="Three Tides", chapters=3)
    first, second, third = work.chapters.all()
    login_as(page, alice)
    page.goto(f"/works/{work.pk}/chapters/manage")
    rows = page.get_by_test_id("chapter-row")
    expect(rows).to_have_count(3)
    page.get_by_label("Position of Chapter 1").fill("3")
    page.get_by_label("Position of Chapter 3").fill("1")
    page.get_by_role("button", name="Update Positions").click()
    expect(page.locator(".messages")).to_contain_text("Chapter order was successfully updated.")
    assert [c.pk for c in work.chapters.all()] == [third.pk, second.pk, first.pk]

    rows.nth(1).get_by_role("link", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("Are you sure you want to delete Chapter 2")
    page.get_by_role("button", name="Yes, Delete Chapter").click()
    assert [c.pk for c in work.chapters.all()] == [third.pk, first.pk]

    page.goto(f"/works/{work.pk}/edit")
    page.get_by_role("link", name="Delete Work").click()
    expect(page.get_by_role("alert")).to_contain_text("Are you sure you want to delete Three Tides")
    page.get_by_role("button", name="Yes, Delete Work").click()
    expect(page.locator(".messages")).to_contain_text("Your work Three Tides was deleted.")
    assert not Work.objects.exists()
    assert page.js_errors == []


def test_posting_form_works_on_a_phone(phone_page, alice, login_as):
    page = phone_page
    login_as(page, alice)
    page.goto("/works/new")
    # Nothing wider than the screen: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar).to_be_visible()
    assert toolbar.bounding_box()["width"] <= 390
    fill_required_metadata(page, title="Pocket Story")
    page.get_by_test_id("rich-editor").tap()
    page.keyboard.type("Written on a small screen.")
    page.get_by_role("button", name="Preview").tap()
    expect(page.get_by_test_id("preview-title")).to_have_text("Pocket Story")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.get_by_role("button", name="Post", exact=True).tap()
    expect(page.locator(".messages")).to_contain_text("Work was successfully posted.")
    assert Work.objects.get().is_posted
    assert page.js_errors == []


def test_editing_a_chapter_in_rich_text_keeps_what_the_editor_has_no_button_for(
    page, alice, login_as
):
    table = "<table><tbody><tr><td>tide</td><td>06:12</td></tr></tbody></table>"
    work = make_work(alice, content=f'<p class="intro" dir="rtl">Timetable</p>{table}')
    chapter = work.chapters.get()
    login_as(page, alice)
    page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    editor = page.get_by_test_id("rich-editor")
    expect(editor.locator("td")).to_have_text(["tide", "06:12"])
    editor.locator("p").click()
    page.keyboard.press("End")
    page.keyboard.type(" for May")
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".messages")).to_contain_text("Chapter was successfully updated.")
    chapter.refresh_from_db()
    assert '<p class="intro" dir="rtl">Timetable for May</p>' in chapter.content
    assert table in chapter.content
    assert page.js_errors == []


def test_the_form_works_without_javascript(browser, live_server, alice, login_as):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = login_as(context.new_page(), alice)
        page.goto("/works/new")
        expect(page.get_by_text("Rich text needs JavaScript")).to_be_visible()
        box = page.locator("textarea#id_content")
        expect(box).to_be_visible()
        box.fill("Typed without scripts.\nSame paragraph.\n\nA second <em>one</em>.")
        fill_required_metadata(page, title="No Scripts")
        page.get_by_role("button", name="Post", exact=True).click()
        expect(page.locator(".messages")).to_contain_text("Work was successfully posted.")
        assert Work.objects.get().chapters.get().content == (
            "<p>Typed without scripts.<br>\nSame paragraph.</p>\n<p>A second <em>one</em>.</p>"
        )
    finally:
        context.close()


def test_preview_an_edit_of_a_posted_work_then_update(page, alice, login_as):
    work = make_work(alice, title="First Light", content="<p>The keeper climbed the stairs.</p>")
    chapter = work.chapters.get()
    login_as(page, alice)
    page.goto(f"/works/{work.pk}/edit")
    page.get_by_label("Work Title").fill("Last Light")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("not been saved yet")
    expect(page.get_by_test_id("preview-title")).to_have_text("Last Light")
    expect(page.get_by_test_id("chapter-text")).to_contain_text("The keeper climbed the stairs.")
    assert Work.objects.get(pk=work.pk).title == "First Light"
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".messages")).to_contain_text("Work was successfully updated.")
    expect(page.locator("h2.title")).to_have_text("Last Light")
    assert Work.objects.get(pk=work.pk).title == "Last Light"

    # A chapter's new text, typed as plain text: the line breaks survive the preview's round
    # trip, and Edit goes back to the form with the text still there.
    page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/edit")
    page.get_by_label("Plain text").check()
    page.locator("textarea#id_content").fill("The lamp was lit.\n\nThe ships came home.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("chapter-text").locator("p")).to_have_text(
        ["The lamp was lit.", "The ships came home."]
    )
    page.get_by_role("button", name="Edit", exact=True).click()
    expect(page.locator("textarea#id_content")).to_have_value(
        "The lamp was lit.\n\nThe ships came home."
    )
    page.get_by_role("button", name="Preview").click()
    assert chapter.__class__.objects.get(pk=chapter.pk).content == (
        "<p>The keeper climbed the stairs.</p>"
    )
    page.get_by_role("button", name="Update").click()
    expect(page.locator(".messages")).to_contain_text("Chapter was successfully updated.")
    chapter.refresh_from_db()
    assert chapter.content == "<p>The lamp was lit.</p>\n<p>The ships came home.</p>"
    assert page.js_errors == []


def test_preview_a_new_chapter_then_post_it(page, alice, login_as):
    work = make_work(alice, title="Harbour Lights", expected_chapters=None)
    login_as(page, alice)
    page.goto(f"/works/{work.pk}/chapters/new")
    page.get_by_label("Chapter Title").fill("Low Water")
    page.get_by_test_id("rich-editor").click()
    page.keyboard.type("Every boat sat on the mud.")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("It has not been saved yet")
    expect(page.get_by_test_id("preview-title")).to_have_text("Harbour Lights")
    expect(page.get_by_test_id("chapter")).to_contain_text("Chapter 2: Low Water")
    expect(page.get_by_test_id("chapter-text")).to_contain_text("Every boat sat on the mud.")
    assert work.chapters.count() == 1

    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Chapter was successfully posted.")
    chapter = work.chapters.get(position=2)
    expect(page).to_have_url(re.compile(rf"/works/{work.pk}/chapters/{chapter.pk}$"))
    assert chapter.is_posted and chapter.title == "Low Water"
    assert chapter.content == "<p>Every boat sat on the mud.</p>"
    assert page.js_errors == []
