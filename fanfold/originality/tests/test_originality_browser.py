"""Originality in a real browser: a copy is posted through the posting form, a moderator finds
it in the queue and opens the aligned report, and hides it; a writer credits a quoted source
from the sources panel."""

import pytest
from playwright.sync_api import expect

from fanfold.originality.services import reference_source_add
from fanfold.originality.storygen import swap_names
from fanfold.testing.factories import make_work
from fanfold.works.models import Work

from .conftest import as_html
from .test_checks import QUOTE_SOURCE

pytestmark = pytest.mark.browser


def test_post_a_copy_see_it_in_the_queue_and_open_the_aligned_report(
    page, alice, bob, moderator, story, login_as
):
    make_work(alice, title="The Lantern Keeper", content=as_html(story))
    copy = swap_names(story, {"Keztrel": "Vorhal", "Idrith": "Emmerel", "Talwyn": "Ostel"})

    login_as(page, bob)
    page.goto("/works/new")
    page.get_by_label("Rating").select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_label("Fandoms").fill("Other Fandom")
    page.get_by_label("Work Title").fill("Harbour Lights")
    page.get_by_test_id("rich-editor").click()
    page.keyboard.insert_text(copy)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    copied = Work.objects.get(title="Harbour Lights")

    page.context.clear_cookies()
    login_as(page, moderator)
    page.goto("/originality/reports")
    report = page.get_by_test_id("repost-report")
    expect(report).to_have_count(1)
    expect(report).to_contain_text("Older: The Lantern Keeper by alice")
    expect(report).to_contain_text("Newer: Harbour Lights by bob")
    expect(report).to_contain_text("Keztrel → Vorhal")
    report.get_by_role("link", name="Open the aligned report").click()

    expect(page.get_by_role("heading", name="Originality report")).to_be_visible()
    changed = page.locator('.aligned-row[data-kind="replace"]').filter(has_text="Keztrel").first
    expect(changed.locator("mark").first).to_have_text("Keztrel")
    expect(changed.locator("mark").last).to_have_text("Vorhal")

    page.get_by_role("button", name="Hide the newer work pending review").click()
    expect(page.get_by_text("Please say why the work is hidden")).to_be_visible()
    page.get_by_label("Reason for hiding the newer work").fill("A copy of The Lantern Keeper.")
    page.get_by_role("button", name="Hide the newer work pending review").click()
    expect(page.get_by_text("“Harbour Lights” is hidden pending review.")).to_be_visible()
    copied.refresh_from_db()
    assert copied.is_hidden
    assert page.js_errors == []


def test_a_writer_credits_a_quoted_source_from_the_sources_panel(
    phone_page, alice, admin_user, login_as
):
    page = phone_page
    reference_source_add(title="The Salt Keeper", text=QUOTE_SOURCE, user=admin_user)
    work = make_work(
        alice,
        title="Night Watch",
        content="<p>Orlagh stood there. The sea does not forgive a sleeping keeper, her mother "
        "had told her once, and it remembers every lamp that failed. Orlagh left.</p>",
    )
    login_as(page, alice)
    page.goto(work.get_absolute_url())
    page.get_by_test_id("sources-link").get_by_role("link").click()
    match = page.get_by_test_id("source-match")
    expect(match).to_contain_text("The Salt Keeper")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    match.get_by_role("button", name="Add a credit to the notes").click()
    expect(
        page.get_by_text("A credit for “The Salt Keeper” was added to the notes.")
    ).to_be_visible()
    expect(page.get_by_text("Credited in your notes.")).to_be_visible()
    page.goto(work.get_absolute_url())
    expect(page.locator(".preface cite")).to_have_text("The Salt Keeper")
    assert page.js_errors == []
