"""The work page, chapter pages and the chapter index: what each reader sees, who may see a
work at all, and how hits are counted."""

import datetime
import re
from unittest import mock

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work, WorkHit
from fanfold.works.services import ChapterInput, chapter_create
from fanfold.works.views.reading import RESTRICTED_MESSAGE

pytestmark = pytest.mark.django_db


def detail_url(work, **query):
    url = reverse("work_detail", args=[work.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


@pytest.fixture
def guest():
    return Client()


@pytest.fixture
def tagged_work(alice):
    return make_work(
        alice,
        title="The Lantern Keeper",
        rating="Teen And Up Audiences",
        warnings=["Graphic Depictions Of Violence"],
        categories=["F/F", "Gen"],
        fandoms=["Harbour Tales"],
        relationships=["Mira/Tove"],
        characters=["Mira", "Tove"],
        freeforms=["Slow Burn", "Found Family"],
        summary="<p>Two keepers and one lighthouse.</p>",
        notes="<p>Written for a challenge.</p>",
        end_notes="<p>Thank you for reading!</p>",
    )


def test_work_page_shows_metadata_preface_text_and_end_notes_in_order(client, tagged_work):
    response = client.get(detail_url(tagged_work))
    assert response.status_code == 200
    page = text(response)
    expected_in_order = [
        "Rating: Teen And Up Audiences",
        "Archive Warning: Graphic Depictions Of Violence",
        "Categories: F/F Gen",
        "Fandom: Harbour Tales",
        "Relationship: Mira/Tove",
        "Characters: Mira Tove",
        "Additional Tags: Slow Burn Found Family",
        "Language: English",
        "Published: " + tagged_work.published_on.strftime("%Y-%m-%d"),
        "Words: " + str(tagged_work.word_count),
        "Chapters: 1/1",
        "Hits: 1",
        "The Lantern Keeper",
        "alice",
        "Summary: Two keepers and one lighthouse.",
        "Notes: Written for a challenge.",
        "This is chapter 1 of The Lantern Keeper",
        "Notes: Thank you for reading!",
    ]
    position = 0
    for fragment in expected_in_order:
        found = page.find(fragment, position)
        assert found >= 0, f"{fragment!r} missing (or out of order) in: {page}"
        position = found + len(fragment)


def test_work_page_links_tags_to_their_works_and_the_byline_to_the_pseud(client, tagged_work):
    html = client.get(detail_url(tagged_work)).content.decode()
    assert 'href="/tags/Mira*s*Tove/works"' in html
    assert 'href="/tags/F*s*F/works"' in html
    assert (
        'href="/tags/Harbour Tales/works"' in html or 'href="/tags/Harbour%20Tales/works"' in html
    )
    assert f'rel="author" href="{reverse("pseud_detail", args=["alice", "alice"])}"' in html


def test_single_chapter_work_has_no_chapter_heading_or_navigation(client, alice):
    work = make_work(alice, title="Oneshot")
    page = text(client.get(detail_url(work)))
    assert "Chapter 1" not in page
    assert "Next Chapter" not in page
    assert "Entire Work" not in page


def test_text_carries_the_language_and_direction(client, alice):
    arabic = make_work(alice, language="ar")
    english = make_work(alice)
    html = client.get(detail_url(arabic)).content.decode()
    assert re.search(r'class="userstuff chapter-text"[^>]*lang="ar" dir="rtl"', html)
    assert "Language: العربية" in text(client.get(detail_url(arabic)))
    html = client.get(detail_url(english)).content.decode()
    assert re.search(r'class="userstuff chapter-text"[^>]*lang="en" dir="ltr"', html)


# --- Who may see what ---------------------------------------------------------------------


def test_unknown_work_is_not_found(client, db):
    assert client.get(reverse("work_detail", args=[999_999])).status_code == 404
    assert client.get(reverse("work_navigate", args=[999_999])).status_code == 404


@pytest.mark.parametrize("who", ["guest", "reader", "bob"])
def test_a_draft_is_not_found_for_anyone_but_its_creators(who, alice, request, client_for):
    draft = make_work(alice, title="Secret Draft", chapters=2, post=False)
    client = Client() if who == "guest" else client_for(request.getfixturevalue(who))
    chapter = draft.chapters.first()
    assert client.get(detail_url(draft)).status_code == 404
    assert client.get(chapter.get_absolute_url()).status_code == 404
    assert client.get(reverse("work_navigate", args=[draft.pk])).status_code == 404


def test_creator_sees_their_draft_with_a_banner_and_no_hit_count(alice, client_for):
    draft = make_work(alice, title="Secret Draft", post=False)
    response = client_for(alice).get(detail_url(draft))
    assert response.status_code == 200
    page = text(response)
    assert "This work is a draft and has not been posted" in page
    assert "Secret Draft" in page
    assert "Hits:" not in page
    assert not WorkHit.objects.exists()


def test_a_posted_work_has_no_draft_banner(client, alice):
    work = make_work(alice)
    assert "has not been posted" not in text(client.get(detail_url(work)))


def test_a_restricted_work_sends_guests_to_log_in_and_back(guest, alice):
    work = make_work(alice, is_restricted=True)
    response = guest.get(detail_url(work, view_full_work="true"))
    assert response.status_code == 302
    next_url = detail_url(work) + "%3Fview_full_work%3Dtrue"
    assert response["Location"] == f"{reverse('login')}?next={next_url}"
    messages = [str(message) for message in get_messages(response.wsgi_request)]
    assert messages == [RESTRICTED_MESSAGE]
    chapter = work.chapters.get()
    assert guest.get(chapter.get_absolute_url()).status_code == 302
    assert guest.get(reverse("work_navigate", args=[work.pk])).status_code == 302


def test_a_restricted_work_is_shown_to_logged_in_readers(reader, alice, client_for):
    work = make_work(alice, title="Members Only", is_restricted=True)
    response = client_for(reader).get(detail_url(work))
    assert response.status_code == 200
    assert "Members Only" in text(response)


def test_creator_sees_edit_links_and_others_do_not(alice, bob, client_for):
    work = make_work(alice, chapters=2)
    html = client_for(alice).get(detail_url(work)).content.decode()
    for name in ("work_edit", "chapter_new", "chapters_manage", "work_delete"):
        assert f'href="{reverse(name, args=[work.pk])}"' in html, name
    page = text(client_for(alice).get(detail_url(work)))
    for label in ("Edit", "Add Chapter", "Manage Chapters", "Delete"):
        assert label in page
    other = client_for(bob).get(detail_url(work)).content.decode()
    for name in ("work_edit", "chapter_new", "chapters_manage", "work_delete"):
        assert f'href="{reverse(name, args=[work.pk])}"' not in other


# --- Chapters -----------------------------------------------------------------------------


@pytest.fixture
def three_chapters(alice):
    return make_work(
        alice,
        title="Tides",
        chapters=3,
        notes="<p>Work notes up front.</p>",
        end_notes="<p>Work notes at the end.</p>",
    )


def test_multi_chapter_work_opens_at_the_first_chapter(client, three_chapters):
    response = client.get(detail_url(three_chapters))
    page = text(response)
    assert "This is chapter 1 of Tides" in page
    assert "This is chapter 2 of Tides" not in page
    assert "Chapter 1" in page
    assert "Work notes up front." in page
    assert "Work notes at the end." not in page
    second = three_chapters.chapters.get(position=2)
    html = response.content.decode()
    assert f'rel="next" href="{second.get_absolute_url()}"' in html
    assert 'rel="prev"' not in html


def test_middle_chapter_links_both_ways_and_the_last_has_the_end_notes(client, three_chapters):
    first, second, third = three_chapters.chapters.order_by("position")
    response = client.get(second.get_absolute_url())
    html = response.content.decode()
    assert "This is chapter 2 of Tides" in text(response)
    assert "This is chapter 1 of Tides" not in text(response)
    assert f'rel="prev" href="{first.get_absolute_url()}"' in html
    assert f'rel="next" href="{third.get_absolute_url()}"' in html
    assert "Work notes at the end." not in text(response)

    response = client.get(third.get_absolute_url())
    html = response.content.decode()
    assert f'rel="prev" href="{second.get_absolute_url()}"' in html
    assert 'rel="next"' not in html
    assert "Work notes at the end." in text(response)


def test_chapter_select_lists_chapters_and_marks_the_current_one(client, three_chapters):
    second = three_chapters.chapters.get(position=2)
    html = client.get(second.get_absolute_url()).content.decode()
    form = re.search(r'<form class="chapter-jump".*?</form>', html, re.S).group(0)
    assert f'action="{reverse("work_navigate", args=[three_chapters.pk])}"' in form
    assert form.count("<option") == 3
    assert re.search(rf'<option value="{second.pk}" selected>2\. Chapter 2</option>', form)


def test_chapter_select_works_without_javascript(client, three_chapters):
    third = three_chapters.chapters.get(position=3)
    url = reverse("work_navigate", args=[three_chapters.pk])
    response = client.get(url, {"selected_id": third.pk})
    assert response.status_code == 302
    assert response["Location"] == third.get_absolute_url()


def test_chapter_select_refuses_a_chapter_of_another_work(client, alice, three_chapters):
    other = make_work(alice)
    url = reverse("work_navigate", args=[three_chapters.pk])
    assert client.get(url, {"selected_id": other.chapters.get().pk}).status_code == 404
    assert client.get(url, {"selected_id": "abc"}).status_code == 404


def test_a_chapter_of_another_work_is_not_found(client, alice, three_chapters):
    other = make_work(alice)
    url = reverse("chapter_detail", args=[three_chapters.pk, other.chapters.get().pk])
    assert client.get(url).status_code == 404
    assert client.get(reverse("chapter_detail", args=[three_chapters.pk, 999_999])).status_code == (
        404
    )


def test_entire_work_shows_every_chapter_with_both_notes(client, three_chapters):
    response = client.get(detail_url(three_chapters, view_full_work="true"))
    page = text(response)
    for number in (1, 2, 3):
        assert f"This is chapter {number} of Tides" in page
    assert page.index("Work notes up front.") < page.index("This is chapter 1 of Tides")
    assert page.index("This is chapter 3 of Tides") < page.index("Work notes at the end.")
    assert "Chapter by Chapter" in page
    assert 'rel="next"' not in response.content.decode()


def test_chapter_index_page_lists_chapters_with_dates(client, three_chapters):
    response = client.get(reverse("work_navigate", args=[three_chapters.pk]))
    page = text(response)
    assert "Chapter Index for Tides by alice" in page
    day = three_chapters.published_on.strftime("%Y-%m-%d")
    for number, chapter in enumerate(three_chapters.chapters.order_by("position"), start=1):
        assert f"{number}. Chapter {number} ({day})" in page
        assert chapter.get_absolute_url() in response.content.decode()


def test_draft_chapters_are_shown_only_to_creators_marked_as_drafts(alice, bob, client_for, client):
    work = make_work(alice, title="Tides", chapters=2)
    draft = chapter_create(
        work=work,
        user=alice,
        chapter=ChapterInput(content="<p>Not ready yet.</p>", title="Work in progress"),
        post=False,
    )
    for reader_client in (client, client_for(bob)):
        assert reader_client.get(draft.get_absolute_url()).status_code == 404
        last = reader_client.get(work.chapters.get(position=2).get_absolute_url())
        assert "Work in progress" not in text(last)
        assert 'rel="next"' not in last.content.decode()
        full = text(reader_client.get(detail_url(work, view_full_work="true")))
        assert "Not ready yet." not in full
        index = text(reader_client.get(reverse("work_navigate", args=[work.pk])))
        assert "Work in progress" not in index

    creator = client_for(alice)
    response = creator.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "This chapter is a draft" in text(response)
    assert "Not ready yet." in text(response)
    assert "3. Work in progress (Draft)" in text(creator.get(detail_url(work)))
    assert "Work in progress (Draft)" in text(creator.get(reverse("work_navigate", args=[work.pk])))


def test_a_work_of_one_chapter_so_far_is_chaptered(client, alice):
    work = make_work(alice, title="Begun", expected_chapters=None)
    page = text(client.get(detail_url(work)))
    assert "Chapters: 1/?" in page
    assert "Chapter 1" in page


# --- Hits -----------------------------------------------------------------------------------


def hits(work) -> int:
    return Work.objects.get(pk=work.pk).hit_count


def test_a_guest_counts_once_per_day(alice):
    work = make_work(alice)
    guest = Client(REMOTE_ADDR="203.0.113.5")
    first = guest.get(detail_url(work))
    assert "Hits: 1" in text(first)
    guest.get(detail_url(work))
    guest.get(work.chapters.get().get_absolute_url())
    assert hits(work) == 1
    Client(REMOTE_ADDR="203.0.113.6").get(detail_url(work))
    assert hits(work) == 2
    # Guests are told apart by a keyed hash; the address itself is not stored.
    assert not WorkHit.objects.filter(visitor__contains="203.0.113").exists()


def test_behind_a_proxy_guests_are_told_apart_by_their_own_address(alice, settings):
    settings.FANFOLD_TRUSTED_PROXY_COUNT = 1
    work = make_work(alice)
    for address in ("203.0.113.7", "203.0.113.8", "203.0.113.8"):
        # Every request comes from the proxy; the client's address is in X-Forwarded-For.
        Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address).get(detail_url(work))
    assert hits(work) == 2


def test_a_user_counts_once_per_day_from_any_address(alice, reader):
    work = make_work(alice)
    for address in ("198.51.100.1", "198.51.100.2"):
        client = Client(REMOTE_ADDR=address)
        client.force_login(reader)
        client.get(detail_url(work))
    assert hits(work) == 1
    assert WorkHit.objects.get().visitor == f"u:{reader.pk}"


def test_a_visit_the_next_day_counts_again(alice, reader, client_for):
    work = make_work(alice)
    client = client_for(reader)
    client.get(detail_url(work))
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=tomorrow):
        client.get(detail_url(work))
    assert hits(work) == 2


def test_creators_own_visits_do_not_count(alice, client_for):
    work = make_work(alice, chapters=2)
    creator = client_for(alice)
    creator.get(detail_url(work))
    creator.get(work.chapters.get(position=2).get_absolute_url())
    assert hits(work) == 0


def test_the_chapter_index_is_not_a_hit(alice, client):
    work = make_work(alice, chapters=2)
    client.get(reverse("work_navigate", args=[work.pk]))
    assert hits(work) == 0


def test_chaptered_works_show_updated_or_completed(client, alice):
    one_shot = make_work(alice)
    in_progress = make_work(alice, chapters=2, expected_chapters=4)
    finished = make_work(alice, chapters=2)
    assert "Updated:" not in text(client.get(detail_url(one_shot)))
    assert "Completed:" not in text(client.get(detail_url(one_shot)))
    day = in_progress.revised_at.strftime("%Y-%m-%d")
    assert f"Updated: {day}" in text(client.get(detail_url(in_progress)))
    day = finished.revised_at.strftime("%Y-%m-%d")
    assert f"Completed: {day}" in text(client.get(detail_url(finished)))
