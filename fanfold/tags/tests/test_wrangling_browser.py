"""Tags in a real browser: a wrangler works through a fandom's queue and a tag's edit page on a
phone; a reader finds a fandom through the media index and a synonym's page; a writer picks
tags from the autocomplete while posting."""

import re

import pytest
from playwright.sync_api import expect

from fanfold.tags import wrangling
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser


def no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_wrangler_clears_a_fandom_queue_on_a_phone(phone_page, alice, wrangler, login_as):
    make_work(
        alice,
        title="Lanterns",
        fandoms=["Harbour Tales"],
        characters=["Mira Holm", "Tove Lind", "Mira H.", "the lighthouse keeper's cat (unnamed)"],
    )
    page = phone_page
    login_as(page, wrangler)
    page.goto("/tags/wrangling")
    no_sideways_scroll(page)
    page.get_by_role("link", name="4 unwrangled characters in Harbour Tales").click()
    expect(
        page.get_by_role("heading", name="Unwrangled Characters in Harbour Tales")
    ).to_be_visible()
    no_sideways_scroll(page)

    page.get_by_label("Mira Holm").check()
    page.get_by_label("Tove Lind").check()
    page.get_by_label("Action").select_option("Make canonical")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Made canonical: “Mira Holm”, “Tove Lind”.")).to_be_visible()
    expect(page.get_by_test_id("queue").get_by_role("listitem")).to_have_count(2)

    page.get_by_label("Mira H.").check()
    page.get_by_label("Action").select_option("Make synonyms of")
    target = page.get_by_label("Canonical tag to merge into, or fandom to attach to")
    target.press_sequentially("mira h")
    page.get_by_role("option", name="Mira Holm", exact=True).click()
    expect(target).to_have_value("Mira Holm")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("Made synonyms of “Mira Holm”: “Mira H.”.")).to_be_visible()

    page.get_by_label("the lighthouse keeper's cat (unnamed)").check()
    page.get_by_label("Action").select_option("Mark unwrangleable")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_test_id("empty")).to_have_text("No unwrangled characters here.")
    assert Tag.objects.get(name="Mira H.").merger == Tag.objects.get(name="Mira Holm")
    assert page.js_errors == []


def test_a_wrangler_edits_a_tag_and_reads_its_history(phone_page, alice, wrangler, login_as):
    make_work(alice, fandoms=["Harbour Tales"], characters=["Mira Holm"])
    wrangling.tags_make_canonical(user=wrangler, tags=[Tag.objects.get(name="Harbour Tales")])
    page = phone_page
    login_as(page, wrangler)
    page.goto("/tags/Mira Holm")
    page.get_by_role("link", name="Edit tag").click()
    make_canonical = page.get_by_role("button", name="Make canonical")
    # Measure the edit page, not the document that is still loading after the click.
    expect(make_canonical).to_be_visible()
    no_sideways_scroll(page)
    make_canonical.click()
    expect(page.get_by_text("“Mira Holm” is now canonical.")).to_be_visible()

    page.get_by_label("Attach to a canonical fandom").fill("Nowhere")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_test_id("errors")).to_contain_text(
        "There is no tag “Nowhere” in the archive."
    )
    page.get_by_label("Attach to a canonical fandom").fill("Harbour Tales")
    page.get_by_role("button", name="Attach").click()
    expect(page.get_by_text("“Mira Holm” is now attached to “Harbour Tales”.")).to_be_visible()
    expect(page.get_by_role("button", name="Detach from Harbour Tales")).to_be_visible()

    page.get_by_role("link", name="Whole history").click()
    changes = page.get_by_test_id("changes")
    expect(changes).to_contain_text("Attached to a parent to “Harbour Tales” — wrangler")
    expect(changes).to_contain_text("Made canonical")
    no_sideways_scroll(page)
    assert page.js_errors == []


def test_a_reader_finds_a_fandom_by_media_and_follows_a_synonym(page, alice, wrangler):
    make_work(alice, title="Lanterns", fandoms=["Harbour Tales"], relationships=["Mira/Tove"])
    harbour = Tag.objects.get(name="Harbour Tales")
    wrangling.tags_make_canonical(user=wrangler, tags=[harbour])
    wrangling.tags_attach_to_parent(
        user=wrangler, tags=[harbour], parent=Tag.objects.get(name="Books & Literature")
    )
    canonical = Tag.objects.create(name="Mira Holm/Tove Lind", type="relationship", canonical=True)
    wrangling.tags_merge(user=wrangler, tags=[Tag.objects.get(name="Mira/Tove")], into=canonical)

    page.goto("/media")
    page.get_by_role("link", name="Books & Literature", exact=True).click()
    expect(page.get_by_role("heading", name="Books & Literature Fandoms")).to_be_visible()
    expect(page.get_by_test_id("fandoms")).to_contain_text("Harbour Tales (1)")
    page.get_by_role("link", name="Harbour Tales").click()
    expect(page.get_by_test_id("listing-heading")).to_have_text("1 Work in Harbour Tales")

    page.goto("/tags/Mira*s*Tove")
    expect(page.get_by_test_id("tag-status")).to_contain_text(
        "It's a synonym of Mira Holm/Tove Lind"
    )
    page.get_by_test_id("merger").click()
    expect(page).to_have_url(re.compile(r"/tags/Mira%20Holm\*s\*Tove%20Lind$"))
    expect(page.get_by_test_id("synonyms")).to_contain_text("Mira/Tove")
    assert page.js_errors == []


def test_a_writer_picks_tags_from_the_autocomplete(page, alice, bob, wrangler, login_as):
    make_work(bob, fandoms=["Harbour Tales"], characters=["Mira Holm", "Miro the Ferryman"])
    wrangling.tags_make_canonical(user=wrangler, tags=[Tag.objects.get(name="Mira Holm")])
    login_as(page, alice)
    page.goto("/works/new")

    fandoms = page.get_by_role("combobox", name="Fandoms")
    fandoms.press_sequentially("harb")
    page.get_by_role("option", name="Harbour Tales").click()
    expect(fandoms).to_have_value("Harbour Tales, ")

    characters = page.get_by_role("combobox", name="Characters")
    characters.fill("Tove Lind, ")
    characters.press_sequentially("mi")
    options = page.get_by_test_id("field-characters").get_by_role("option")
    # Canonical tags come first.
    expect(options).to_have_text(["Mira Holm", "Miro the Ferryman"])
    characters.press("ArrowDown")
    characters.press("ArrowDown")
    characters.press("Enter")
    expect(characters).to_have_value("Tove Lind, Miro the Ferryman, ")
    expect(options).to_have_count(0)
    assert page.js_errors == []
