"""The posting views (fanfold/works/views/posting.py): forms show clear messages and store
nothing on bad input; only a work's creators get in."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fanfold.accounts.models import Pseud
from fanfold.tags.models import Tag, TagType
from fanfold.testing.factories import make_work
from fanfold.works.models import Chapter, Creatorship, OrphanedWorkRecord, Work

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    html = response.content.decode()
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def work_data(user, **overrides) -> dict:
    data = {
        "pseuds": [user.pseuds.get(is_default=True).pk],
        "title": "The Lamp Room",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": "Harbour Town, Lighthouse Keepers",
        "categories": ["Gen"],
        "relationships": "",
        "characters": "The Keeper, Ferryman",
        "freeforms": "Found Family",
        "summary": "A keeper and a storm.",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "published_on": "",
        "expected_chapters": "1",
        "comment_permission": "everyone",
        "text_format": "rich",
        "content": "<p>The lamp turned all night.</p>",
        "action": "post",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def chapter_data(**overrides) -> dict:
    data = {
        "title": "Morning",
        "published_on": "",
        "summary": "",
        "notes": "",
        "end_notes": "",
        "text_format": "html",
        "content": "<p>The storm had passed.</p>",
        "action": "post",
    }
    data.update(overrides)
    return data


def stored() -> tuple:
    return (Work.objects.count(), Chapter.objects.count(), Tag.objects.count())


# --- New work --------------------------------------------------------------------------------


def test_guests_are_sent_to_log_in_to_post(client):
    response = client.get(reverse("work_new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_new_work_form_preselects_the_default_pseud(alice, client_for):
    Pseud.objects.create(user=alice, name="Lamplighter")
    response = client_for(alice).get(reverse("work_new"))
    html = response.content.decode()
    assert response.status_code == 200
    default = alice.pseuds.get(is_default=True)
    assert re.search(rf'value="{default.pk}"[^>]*checked', html)
    assert "Lamplighter" in html
    assert 'data-editor="rich"' in html
    assert "js/editor.js" in html


def test_posting_a_work_creates_it_and_shows_it(alice, client_for):
    response = client_for(alice).post(reverse("work_new"), work_data(alice))
    work = Work.objects.get()
    assert response.status_code == 302
    assert response["Location"] == work.get_absolute_url()
    assert work.is_posted and work.title == "The Lamp Room"
    assert [t.name for t in work.tags_by_type()["character"]] == ["The Keeper", "Ferryman"]
    assert work.chapters.get().content == "<p>The lamp turned all night.</p>"


def test_preview_saves_a_draft_and_shows_it_as_readers_will(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("work_new"), work_data(alice, action="preview"))
    work = Work.objects.get()
    assert not work.is_posted
    assert response["Location"] == reverse("work_preview", args=[work.pk])
    preview = client.get(response["Location"])
    text = page_text(preview)
    assert "The Lamp Room" in text and "The lamp turned all night." in text
    assert "Harbour Town" in text and "Found Family" in text
    assert "saved as a draft" in text
    for button in ("Post", "Edit", "Save As Draft"):
        assert f">{button}<" in preview.content.decode()
    posted = client.post(reverse("work_post", args=[work.pk]))
    assert posted["Location"] == work.get_absolute_url()
    assert Work.objects.get().is_posted


def test_save_as_draft_goes_to_the_writers_drafts(alice, client_for):
    response = client_for(alice).post(reverse("work_new"), work_data(alice, action="draft"))
    assert response["Location"] == reverse("user_drafts", args=["alice"])
    assert not Work.objects.get().is_posted


def test_plain_text_is_posted_as_paragraphs(alice, client_for):
    client_for(alice).post(
        reverse("work_new"),
        work_data(alice, text_format="plain", content="One line\nnext line\n\nSecond <b>"),
    )
    assert Work.objects.get().chapters.get().content == (
        "<p>One line<br>\nnext line</p>\n<p>Second &lt;b&gt;</p>"
    )


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Please enter a title."),
        ({"fandoms": " , "}, "Please add at least one fandom."),
        ({"rating": ""}, "Please choose a rating."),
        ({"warnings": None}, "Please choose at least one archive warning."),
        ({"pseuds": None}, "Please choose at least one of your pseuds as the creator."),
        ({"content": "<p>  </p>"}, "The chapter text can't be empty"),
        ({"freeforms": "Fluff, Hurt*Comfort"}, "contains *, which can't be used in tag names"),
        ({"summary": "x" * 1251}, "The summary must be at most 1,250 characters long"),
        ({"notes": "x" * 5001}, "The notes must be at most 5,000 characters long"),
        ({"expected_chapters": "0"}, "must be a whole number of at least 1"),
        ({"expected_chapters": "many"}, "Please enter the number of chapters as a whole number."),
        ({"co_creators": "nobody_here"}, "There is no pseud called “nobody_here”."),
        ({"language": "tlh"}, "Select a valid choice."),
        (
            {"published_on": (timezone.localdate() + timedelta(days=2)).isoformat()},
            "The publication date can't be in the future.",
        ),
        (
            {"characters": ", ".join(f"C{i}" for i in range(73))},
            "You have entered 76 fandoms, relationships, characters and additional tags",
        ),
    ],
)
def test_bad_input_shows_a_message_and_stores_nothing(alice, client_for, overrides, message):
    before = stored()
    response = client_for(alice).post(reverse("work_new"), work_data(alice, **overrides))
    assert response.status_code == 200
    assert message in page_text(response)
    assert "Sorry! We couldn't save this work because:" in page_text(response)
    assert stored() == before


def test_a_tag_of_another_type_is_refused_naming_the_type(alice, client_for):
    Tag.objects.create(name="Ferryman", type=TagType.FANDOM)
    response = client_for(alice).post(reverse("work_new"), work_data(alice))
    assert "The tag “Ferryman” is already in the archive as a Fandom tag." in page_text(response)
    assert not Work.objects.exists()
    assert not Tag.objects.filter(name="The Keeper").exists()


def test_typed_values_are_kept_when_the_form_comes_back(alice, client_for):
    response = client_for(alice).post(
        reverse("work_new"), work_data(alice, title="", content="<p>My precious draft</p>")
    )
    html = response.content.decode()
    assert "My precious draft" in html
    assert 'value="Harbour Town, Lighthouse Keepers"' in html


def test_co_creators_are_invited_by_pseud_name_and_not_listed_yet(alice, bob, client_for):
    Pseud.objects.create(user=bob, name="Tidewriter")
    form = client_for(alice).get(reverse("work_new"))
    assert "must accept the invitation before they are listed" in page_text(form)
    response = client_for(alice).post(
        reverse("work_new"), work_data(alice, co_creators="Tidewriter (bob)")
    )
    assert response.status_code == 302
    work = Work.objects.get()
    assert [
        (str(c.pseud), c.approved) for c in work.creatorships.select_related("pseud__user")
    ] == [("alice", True), ("Tidewriter (bob)", False)]
    page = page_text(client_for(alice).get(work.get_absolute_url()))
    assert "Tidewriter" not in page
    # bob is not a creator until he accepts: he may not edit.
    assert client_for(bob).get(reverse("work_edit", args=[work.pk])).status_code == 403


def test_edit_form_lists_open_invitations_and_keeps_them(alice, bob, client_for):
    work = make_work(alice, pseuds=[alice.pseuds.get(), bob.pseuds.get()], accept_invitations=False)
    client = client_for(alice)
    text = page_text(client.get(reverse("work_edit", args=[work.pk])))
    assert "Invited, not yet accepted: bob" in text and "Co-creators:" not in text
    client.post(reverse("work_edit", args=[work.pk]), work_data(alice, action="update"))
    assert Creatorship.objects.get(work=work, pseud__user=bob).approved is False


def test_an_ambiguous_co_creator_name_asks_for_the_username(alice, bob, reader, client_for):
    Pseud.objects.create(user=bob, name="Gull")
    Pseud.objects.create(user=reader, name="Gull")
    response = client_for(alice).post(reverse("work_new"), work_data(alice, co_creators="Gull"))
    assert "More than one user has a pseud called “Gull”" in page_text(response)
    assert not Work.objects.exists()


def test_another_users_pseud_cannot_be_picked_as_ones_own(alice, bob, client_for):
    response = client_for(alice).post(
        reverse("work_new"), work_data(alice, pseuds=[bob.pseuds.get().pk])
    )
    assert "Select a valid choice" in page_text(response)
    assert not Work.objects.exists()


# --- Editing a work ---------------------------------------------------------------------------


def test_edit_form_shows_the_work_and_updates_it(alice, client_for):
    work = make_work(alice, freeforms=["Fluff"], summary="Before")
    client = client_for(alice)
    html = client.get(reverse("work_edit", args=[work.pk])).content.decode()
    assert 'value="Generated Fandom"' in html and 'value="Fluff"' in html
    assert ">Update<" in html
    response = client.post(
        reverse("work_edit", args=[work.pk]),
        work_data(alice, title="Renamed", fandoms="Generated Fandom", action="update"),
    )
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "Renamed"
    assert [t.name for t in work.tags_by_type()["freeform"]] == ["Found Family"]


def test_edit_with_bad_input_shows_the_message_and_changes_nothing(alice, client_for):
    work = make_work(alice, title="Kept")
    response = client_for(alice).post(
        reverse("work_edit", args=[work.pk]),
        work_data(alice, title="", fandoms="", action="update"),
    )
    text = page_text(response)
    assert "Please enter a title." in text and "Please add at least one fandom." in text
    work.refresh_from_db()
    assert work.title == "Kept"


def test_editing_a_draft_can_post_it(alice, client_for):
    work = make_work(alice, post=False)
    response = client_for(alice).post(
        reverse("work_edit", args=[work.pk]), work_data(alice, action="post")
    )
    assert response["Location"] == work.get_absolute_url()
    assert Work.objects.get(pk=work.pk).is_posted


def test_co_creators_are_kept_when_the_other_creator_edits(alice, bob, client_for):
    work = make_work(alice, pseuds=[alice.pseuds.get(), bob.pseuds.get()])  # bob accepted
    response = client_for(bob).get(reverse("work_edit", args=[work.pk]))
    assert "Co-creators: alice" in page_text(response)
    client_for(bob).post(
        reverse("work_edit", args=[work.pk]),
        work_data(bob, title="Together", action="update"),
    )
    assert {p.user.username for p in Work.objects.get(pk=work.pk).pseuds.all()} == {
        "alice",
        "bob",
    }


# --- Permissions ------------------------------------------------------------------------------

CREATOR_PAGES = [
    "work_edit",
    "work_preview",
    "work_delete",
    "work_orphan",
    "chapter_new",
    "chapters_manage",
    "chapter_edit",
    "chapter_delete",
]


def page_url(name, work):
    if name.startswith("chapter_") and name != "chapter_new":
        return reverse(name, args=[work.pk, work.chapters.first().pk])
    return reverse(name, args=[work.pk])


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_creators_may_open_every_posting_page(alice, client_for, name):
    work = make_work(alice, chapters=2)
    assert client_for(alice).get(page_url(name, work)).status_code == 200


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_other_users_get_403(alice, bob, client_for, name):
    work = make_work(alice, chapters=2)
    assert client_for(bob).get(page_url(name, work)).status_code == 403
    assert client_for(bob).post(page_url(name, work), {}).status_code == 403


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_guests_are_sent_to_log_in(alice, client, name):
    work = make_work(alice, chapters=2)
    response = client.get(page_url(name, work))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", CREATOR_PAGES)
def test_other_peoples_drafts_are_404(alice, bob, client_for, name):
    work = make_work(alice, chapters=2, post=False)
    assert client_for(bob).get(page_url(name, work)).status_code == 404


def test_others_cannot_post_delete_or_orphan_by_post_request(alice, bob, client_for):
    work = make_work(alice, post=False, pseuds=[alice.pseuds.get()])
    posted = make_work(alice)
    client = client_for(bob)
    assert client.post(reverse("work_post", args=[work.pk])).status_code == 404
    assert client.post(reverse("work_delete", args=[posted.pk])).status_code == 403
    assert client.post(reverse("work_orphan", args=[posted.pk])).status_code == 403
    assert not Work.objects.get(pk=work.pk).is_posted
    assert Work.objects.filter(pk=posted.pk).exists()
    assert not OrphanedWorkRecord.objects.exists()


def test_posting_is_a_post_request_only(alice, client_for):
    work = make_work(alice, post=False)
    assert client_for(alice).get(reverse("work_post", args=[work.pk])).status_code == 405


def test_restricted_works_are_editable_by_their_creators_only(alice, bob, client_for):
    work = make_work(alice, is_restricted=True)
    assert client_for(alice).get(reverse("work_edit", args=[work.pk])).status_code == 200
    assert client_for(bob).get(reverse("work_edit", args=[work.pk])).status_code == 403


# --- Deleting and orphaning -----------------------------------------------------------------


def test_delete_asks_for_confirmation_then_deletes(alice, client_for):
    work = make_work(alice, title="Doomed", chapters=2)
    client = client_for(alice)
    confirm = client.get(reverse("work_delete", args=[work.pk]))
    assert "Are you sure you want to delete Doomed" in page_text(confirm)
    assert Work.objects.filter(pk=work.pk).exists()
    response = client.post(reverse("work_delete", args=[work.pk]))
    assert response["Location"] == reverse("user_works", args=["alice"])
    assert not Work.objects.exists() and not Chapter.objects.exists()


def test_orphan_asks_for_confirmation_then_takes_the_name_off(alice, client_for):
    work = make_work(alice, title="Left Behind")
    client = client_for(alice)
    confirm = client.get(reverse("work_orphan", args=[work.pk]))
    assert "orphan_account" in page_text(confirm)
    assert "permanent" in page_text(confirm)
    client.post(reverse("work_orphan", args=[work.pk]))
    creators = Creatorship.objects.filter(work=work).select_related("pseud__user")
    assert [c.pseud.user.username for c in creators] == ["orphan_account"]
    assert OrphanedWorkRecord.objects.get().former_user == alice
    # alice may no longer touch it.
    assert client.get(reverse("work_edit", args=[work.pk])).status_code == 403


# --- Chapters --------------------------------------------------------------------------------


def test_adding_a_chapter_posts_it(alice, client_for):
    work = make_work(alice, expected_chapters=None)
    response = client_for(alice).post(reverse("chapter_new", args=[work.pk]), chapter_data())
    chapter = work.chapters.get(position=2)
    assert response["Location"] == chapter.get_absolute_url()
    assert chapter.is_posted and chapter.title == "Morning"
    assert Work.objects.get(pk=work.pk).chapters_display == "2/?"


def test_a_chapter_can_be_saved_as_a_draft_and_posted_later(alice, client_for):
    work = make_work(alice, expected_chapters=None)
    client = client_for(alice)
    response = client.post(reverse("chapter_new", args=[work.pk]), chapter_data(action="draft"))
    chapter = work.chapters.get(position=2)
    assert response["Location"] == reverse("chapters_manage", args=[work.pk])
    assert not chapter.is_posted
    assert Work.objects.get(pk=work.pk).chapter_count == 1
    edit = client.get(reverse("chapter_edit", args=[work.pk, chapter.pk]))
    assert ">Post<" in edit.content.decode()
    client.post(reverse("chapter_edit", args=[work.pk, chapter.pk]), chapter_data(action="post"))
    assert Work.objects.get(pk=work.pk).chapter_count == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"content": ""}, "The chapter text can't be empty"),
        ({"title": "t" * 256}, "The chapter title must be at most 255 characters long"),
        ({"summary": "s" * 1251}, "The chapter summary must be at most 1,250 characters long"),
        ({"end_notes": "n" * 5001}, "The chapter end notes must be at most 5,000 characters"),
        ({"published_on": "not a date"}, "Enter a valid date."),
        (
            {"published_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "The publication date can't be in the future.",
        ),
    ],
)
def test_chapter_form_bad_input_shows_a_message_and_stores_nothing(
    alice, client_for, overrides, message
):
    work = make_work(alice)
    client = client_for(alice)
    response = client.post(reverse("chapter_new", args=[work.pk]), chapter_data(**overrides))
    assert message in page_text(response)
    assert work.chapters.count() == 1
    chapter = work.chapters.get()
    before = chapter.content
    response = client.post(
        reverse("chapter_edit", args=[work.pk, chapter.pk]), chapter_data(**overrides)
    )
    assert message in page_text(response)
    chapter.refresh_from_db()
    assert chapter.content == before


def test_editing_a_chapter_changes_its_text(alice, client_for):
    work = make_work(alice)
    chapter = work.chapters.get()
    client = client_for(alice)
    html = client.get(reverse("chapter_edit", args=[work.pk, chapter.pk])).content.decode()
    assert html_lib.escape(chapter.content) in html
    response = client.post(
        reverse("chapter_edit", args=[work.pk, chapter.pk]),
        chapter_data(content="<p>Rewritten <em>entirely</em>.</p>", action="update"),
    )
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert chapter.content == "<p>Rewritten <em>entirely</em>.</p>"


def test_deleting_a_chapter_asks_first(alice, client_for):
    work = make_work(alice, chapters=2)
    second = work.chapters.get(position=2)
    client = client_for(alice)
    confirm = client.get(reverse("chapter_delete", args=[work.pk, second.pk]))
    assert "Are you sure you want to delete Chapter 2" in page_text(confirm)
    response = client.post(reverse("chapter_delete", args=[work.pk, second.pk]))
    assert response["Location"] == work.get_absolute_url()
    assert work.chapters.count() == 1


def test_the_only_chapter_cannot_be_deleted(alice, client_for):
    work = make_work(alice)
    chapter = work.chapters.get()
    client = client_for(alice)
    confirm = client.get(reverse("chapter_delete", args=[work.pk, chapter.pk]))
    assert "is the only chapter" in page_text(confirm)
    assert "Yes, Delete Chapter" not in page_text(confirm)
    response = client.post(reverse("chapter_delete", args=[work.pk, chapter.pk]))
    assert response.status_code == 400
    assert "You can't delete the only chapter of a work." in page_text(response)
    assert work.chapters.count() == 1


def test_chapters_are_reordered_by_position_numbers(alice, client_for):
    work = make_work(alice, chapters=3)
    first, second, third = work.chapters.all()
    client = client_for(alice)
    page = client.get(reverse("chapters_manage", args=[work.pk]))
    assert page.content.decode().count('type="number"') == 3
    response = client.post(
        reverse("chapters_manage", args=[work.pk]),
        {f"position_{first.pk}": "3", f"position_{second.pk}": "1", f"position_{third.pk}": "2"},
    )
    assert response["Location"] == reverse("chapters_manage", args=[work.pk])
    assert [c.pk for c in work.chapters.all()] == [second.pk, third.pk, first.pk]


@pytest.mark.parametrize(
    ("value", "message"),
    [("", "Please give every chapter a position number."), ("0", "Position numbers start at 1.")],
)
def test_reorder_with_bad_numbers_shows_a_message_and_keeps_the_order(
    alice, client_for, value, message
):
    work = make_work(alice, chapters=2)
    first, second = work.chapters.all()
    response = client_for(alice).post(
        reverse("chapters_manage", args=[work.pk]),
        {f"position_{first.pk}": value, f"position_{second.pk}": "1"},
    )
    assert message in page_text(response)
    assert [c.pk for c in work.chapters.all()] == [first.pk, second.pk]


# --- Previewing edits -------------------------------------------------------------------------


def writes_during(client, url, data) -> tuple:
    """POST and return (response, the SQL statements that wrote anything)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    # The rate limiter's counters are bookkeeping about the request, not the writer's data.
    written = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "core_ratelimitcounter" not in q["sql"]
    ]
    return response, written


def test_previewing_a_posted_work_edit_shows_it_and_stores_nothing(alice, client_for):
    work = make_work(alice, title="Before")
    before = (stored(), Work.objects.values().get(pk=work.pk))
    response, written = writes_during(
        client_for(alice),
        reverse("work_edit", args=[work.pk]),
        work_data(
            alice,
            title="After the Storm",
            fandoms="Generated Fandom, Brand New Fandom",
            summary="A new <em>summary</em>.",
            action="preview",
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "After the Storm" in text and "Brand New Fandom" in text
    assert "Your changes have not been saved yet" in text
    assert "This is chapter 1 of Before" in text  # the text readers would see
    html = response.content.decode()
    assert 'value="After the Storm"' in html  # the form rides along for Update
    assert 'value="update"' in html and 'value="edit"' in html
    assert written == []
    assert (stored(), Work.objects.values().get(pk=work.pk)) == before
    assert not Tag.objects.filter(name="Brand New Fandom").exists()


def test_update_after_preview_saves_what_was_previewed(alice, client_for):
    work = make_work(alice, title="Before")
    client = client_for(alice)
    url = reverse("work_edit", args=[work.pk])
    data = work_data(alice, title="After the Storm", fandoms="Generated Fandom, Brand New")
    preview = client.post(url, data | {"action": "preview"})
    # The preview page posts back its hidden copy of the form.
    hidden = dict(
        re.findall(
            r'<input type="hidden" name="(title|fandoms)" value="([^"]*)"', preview.content.decode()
        )
    )
    assert hidden == {"title": "After the Storm", "fandoms": "Generated Fandom, Brand New"}
    response = client.post(url, data | {"action": "update"})
    assert response["Location"] == work.get_absolute_url()
    work.refresh_from_db()
    assert work.title == "After the Storm"
    assert [t.name for t in work.tags_by_type()["fandom"]] == ["Generated Fandom", "Brand New"]


def test_edit_after_preview_returns_to_the_form_with_the_changes_unsaved(alice, client_for):
    work = make_work(alice, title="Before")
    response = client_for(alice).post(
        reverse("work_edit", args=[work.pk]), work_data(alice, title="Halfway", action="edit")
    )
    assert response.status_code == 200
    assert 'value="Halfway"' in response.content.decode()
    assert "Sorry!" not in page_text(response)
    assert Work.objects.get(pk=work.pk).title == "Before"


def test_preview_with_bad_input_shows_the_same_messages_as_update(alice, client_for):
    work = make_work(alice, title="Kept")
    client = client_for(alice)
    url = reverse("work_edit", args=[work.pk])
    bad = work_data(alice, title="", fandoms="", freeforms="Bad<Tag")

    def errors(response):
        return re.findall(
            r"<li><a href=\"#field-\w+\">[^<]*</a>: ([^<]*)</li>", response.content.decode()
        )

    previewed = errors(client.post(url, bad | {"action": "preview"}))
    updated = errors(client.post(url, bad | {"action": "update"}))
    assert previewed == updated
    assert "Please enter a title." in previewed and "Please add at least one fandom." in previewed
    assert Work.objects.get(pk=work.pk).title == "Kept"


def test_previewing_a_chapter_edit_shows_it_and_stores_nothing(alice, client_for):
    work = make_work(alice, chapters=2)
    chapter = work.chapters.get(position=2)
    before = (stored(), Chapter.objects.values().get(pk=chapter.pk), work.word_count)
    response, written = writes_during(
        client_for(alice),
        reverse("chapter_edit", args=[work.pk, chapter.pk]),
        chapter_data(
            title="Low Water",
            content="<p>Every boat in the harbour sat on the mud that morning.</p>",
            action="preview",
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Chapter 2: Low Water" in text
    assert "Every boat in the harbour sat on the mud that morning." in text
    assert "This is chapter 2 of" not in text
    assert written == []
    work.refresh_from_db()
    assert (stored(), Chapter.objects.values().get(pk=chapter.pk), work.word_count) == before


def test_update_after_chapter_preview_saves_it(alice, client_for):
    work = make_work(alice, chapters=2)
    chapter = work.chapters.get(position=2)
    client = client_for(alice)
    url = reverse("chapter_edit", args=[work.pk, chapter.pk])
    data = chapter_data(title="Low Water", content="<p>Mud and gulls.</p>")
    assert client.post(url, data | {"action": "preview"}).status_code == 200
    response = client.post(url, data | {"action": "update"})
    assert response["Location"] == chapter.get_absolute_url()
    chapter.refresh_from_db()
    assert (chapter.title, chapter.content) == ("Low Water", "<p>Mud and gulls.</p>")


def test_chapter_preview_with_bad_input_shows_the_message_and_stores_nothing(alice, client_for):
    work = make_work(alice)
    chapter = work.chapters.get()
    response = client_for(alice).post(
        reverse("chapter_edit", args=[work.pk, chapter.pk]),
        chapter_data(content="  ", action="preview"),
    )
    assert "The chapter text can't be empty" in page_text(response)
    assert "Your changes have not been saved yet" not in page_text(response)
    assert Chapter.objects.get(pk=chapter.pk).content == chapter.content


def test_a_draft_chapter_preview_offers_save_as_draft_and_post(alice, client_for):
    work = make_work(alice)
    client = client_for(alice)
    client.post(reverse("chapter_new", args=[work.pk]), chapter_data(action="draft"))
    draft = work.chapters.get(position=2)
    response = client.post(
        reverse("chapter_edit", args=[work.pk, draft.pk]), chapter_data(action="preview")
    )
    html = response.content.decode()
    assert 'value="update">Save As Draft<' in html and 'value="post"' in html
    assert "This chapter is a draft" in page_text(response)


@pytest.mark.parametrize("page", ["work_edit", "chapter_edit"])
def test_others_may_not_preview(alice, bob, reader, client_for, client, page):
    work = make_work(
        alice, pseuds=[alice.pseuds.get(), reader.pseuds.get()], accept_invitations=False
    )
    url = page_url(page, work)
    data = (work_data(bob) if page == "work_edit" else chapter_data()) | {"action": "preview"}
    data["title"] = "Not Yours"
    for stranger in (bob, reader):  # reader is invited but has not accepted
        response = client_for(stranger).post(url, data)
        assert response.status_code == 403
        assert "Not Yours" not in response.content.decode()
    assert client.post(url, data)["Location"].startswith(reverse("login"))


# --- Previewing a new chapter ------------------------------------------------------------------


def test_previewing_a_new_chapter_shows_it_and_stores_nothing(alice, client_for):
    work = make_work(alice, title="Harbour Lights", expected_chapters=None)
    before = (stored(), Work.objects.values().get(pk=work.pk))
    response, written = writes_during(
        client_for(alice),
        reverse("chapter_new", args=[work.pk]),
        chapter_data(
            title="Low Water",
            content="<p>Every boat in the harbour sat on the mud that morning.</p>",
            action="preview",
        ),
    )
    assert response.status_code == 200
    text = page_text(response)
    assert "Harbour Lights" in text  # the work's title, as readers see it above the chapter
    assert "Chapter 2: Low Water" in text
    assert "Every boat in the harbour sat on the mud that morning." in text
    assert "It has not been saved yet" in text
    assert "2/?" in text  # the work's counts as they will be once it is posted
    html = response.content.decode()
    assert 'value="Low Water"' in html  # the form rides along for Post
    for action, label in (("post", "Post"), ("draft", "Save As Draft"), ("edit", "Edit")):
        assert re.search(f'value="{action}"[^>]*>{label}<', html), label
    assert written == []
    assert (stored(), Work.objects.values().get(pk=work.pk)) == before


def test_post_after_new_chapter_preview_creates_it(alice, client_for):
    work = make_work(alice, expected_chapters=None)
    client = client_for(alice)
    url = reverse("chapter_new", args=[work.pk])
    data = chapter_data(title="Low Water", content="<p>Mud and gulls.</p>")
    preview = client.post(url, data | {"action": "preview"})
    # The preview page posts back its hidden copy of the form.
    hidden = dict(
        re.findall(
            r'<input type="hidden" name="(title|content)" value="([^"]*)"',
            preview.content.decode(),
        )
    )
    assert {k: html_lib.unescape(v) for k, v in hidden.items()} == {
        "title": "Low Water",
        "content": "<p>Mud and gulls.</p>",
    }
    response = client.post(url, data | {"action": "post"})
    chapter = work.chapters.get(position=2)
    assert response["Location"] == chapter.get_absolute_url()
    assert chapter.is_posted
    assert (chapter.title, chapter.content) == ("Low Water", "<p>Mud and gulls.</p>")


def test_edit_after_new_chapter_preview_returns_to_the_form_unsaved(alice, client_for):
    work = make_work(alice)
    response = client_for(alice).post(
        reverse("chapter_new", args=[work.pk]), chapter_data(title="Halfway", action="edit")
    )
    assert response.status_code == 200
    assert 'value="Halfway"' in response.content.decode()
    assert "Post New Chapter" in page_text(response)
    assert work.chapters.count() == 1


def test_new_chapter_preview_of_a_draft_work_offers_add_to_draft(alice, client_for):
    work = make_work(alice, post=False)
    response = client_for(alice).post(
        reverse("chapter_new", args=[work.pk]), chapter_data(action="preview")
    )
    html = response.content.decode()
    assert 'value="post">Add to Draft<' in html and 'value="draft"' not in html
    assert "Chapter 2: Morning" in page_text(response)
    assert work.chapters.count() == 1


@pytest.mark.parametrize(
    "overrides",
    [
        {"content": "  "},
        {"title": "t" * 256, "summary": "s" * 1251},
        {"published_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
        {"published_on": "not a date"},
    ],
)
def test_new_chapter_preview_with_bad_input_shows_the_same_messages_as_post(
    alice, client_for, overrides
):
    work = make_work(alice)
    client = client_for(alice)
    url = reverse("chapter_new", args=[work.pk])

    def errors(response):
        return re.findall(
            r"<li><a href=\"#field-\w+\">[^<]*</a>: ([^<]*)</li>", response.content.decode()
        )

    previewed = client.post(url, chapter_data(**overrides, action="preview"))
    posted = client.post(url, chapter_data(**overrides, action="post"))
    assert errors(previewed) == errors(posted) != []
    assert "It has not been saved yet" not in page_text(previewed)
    assert work.chapters.count() == 1


def test_others_may_not_preview_a_new_chapter(alice, bob, reader, client_for, client):
    work = make_work(
        alice, pseuds=[alice.pseuds.get(), reader.pseuds.get()], accept_invitations=False
    )
    url = reverse("chapter_new", args=[work.pk])
    data = chapter_data(title="Not Yours", action="preview")
    for stranger in (bob, reader):  # reader is invited but has not accepted
        response = client_for(stranger).post(url, data)
        assert response.status_code == 403
        assert "Not Yours" not in response.content.decode()
    assert client.post(url, data)["Location"].startswith(reverse("login"))
    assert work.chapters.count() == 1
