"""Listing pages: /works, a user's works, a pseud's works, a user's drafts. Blurbs, counts in
headings, pagination, who sees what, and a fixed number of queries however many works."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.accounts.services import pseud_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def heading(response) -> str:
    html = response.content.decode()
    match = re.search(r'<h2 class="heading listing-heading"[^>]*>(.*?)</h2>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


@pytest.fixture
def alices_works(alice):
    return {
        "posted": make_work(alice, title="Posted"),
        "restricted": make_work(alice, title="Restricted", is_restricted=True),
        "draft": make_work(alice, title="Draft", post=False),
    }


# --- Blurbs ---------------------------------------------------------------------------------


def test_blurb_shows_what_ao3_readers_expect(client, alice):
    work = make_work(
        alice,
        title="The Lantern Keeper",
        rating="Mature",
        warnings=["Major Character Death"],
        categories=["F/F"],
        fandoms=["Harbour Tales", "Sea Songs"],
        relationships=["Mira/Tove"],
        characters=["Mira"],
        freeforms=["Slow Burn"],
        summary="<p>Two keepers and one lighthouse.</p>",
        chapters=2,
        expected_chapters=5,
    )
    response = client.get(reverse("work_index"))
    html = response.content.decode()
    page = text(response)
    assert f'<a href="{work.get_absolute_url()}">The Lantern Keeper</a>' in html
    assert f'rel="author" href="{reverse("pseud_detail", args=["alice", "alice"])}"' in html
    assert "The Lantern Keeper by alice" in page
    assert "Harbour Tales , Sea Songs" in page
    for shown in ("Mature", "Major Character Death", "F/F", "Work in Progress"):
        assert f'title="{shown}"' in html, shown
    assert work.revised_at.strftime("%-d %b %Y") in page
    assert "Major Character Death Mira/Tove Mira Slow Burn" in page
    assert 'href="/tags/Mira*s*Tove/works"' in html
    assert "Two keepers and one lighthouse." in page
    assert f"Language: English Words: {work.word_count} Chapters: 2/5 Hits: 0" in page


def test_restricted_and_draft_works_are_never_listed_for_who_may_not_see_them(
    client, alice, alices_works, reader, client_for
):
    assert blurb_titles(client.get(reverse("work_index"))) == ["Posted"]
    assert heading(client.get(reverse("work_index"))) == "1 Work"
    assert blurb_titles(client_for(reader).get(reverse("work_index"))) == [
        "Restricted",
        "Posted",
    ]
    # Drafts stay off every public list, even for their creator.
    assert "Draft" not in blurb_titles(client_for(alice).get(reverse("work_index")))


def test_empty_index_says_so(client, db):
    response = client.get(reverse("work_index"))
    assert heading(response) == "0 Works"
    assert "No works have been posted yet." in text(response)


# --- Pagination -----------------------------------------------------------------------------


@pytest.fixture
def many_works(alice):
    return [make_work(alice, title=f"Story {number:02}") for number in range(1, 46)]


def test_index_pages_twenty_at_a_time_newest_first(client, many_works):
    first = client.get(reverse("work_index"))
    assert heading(first) == "1 - 20 of 45 Works"
    assert blurb_titles(first)[:2] == ["Story 45", "Story 44"]
    assert len(blurb_titles(first)) == 20
    html = first.content.decode()
    assert 'rel="next" href="?page=2"' in html
    assert 'rel="prev"' not in html
    assert 'aria-current="page">1<' in html

    third = client.get(reverse("work_index"), {"page": 3})
    assert heading(third) == "41 - 45 of 45 Works"
    assert blurb_titles(third) == [f"Story {n:02}" for n in range(5, 0, -1)]
    html = third.content.decode()
    assert 'rel="prev" href="?page=2"' in html
    assert "Next →" in text(third) and 'rel="next"' not in html


def test_page_one_link_has_no_page_parameter(client, many_works):
    html = client.get(reverse("work_index"), {"page": 2}).content.decode()
    assert 'rel="prev" href="/works"' in html


def test_pages_past_the_end_or_not_numbers_are_not_found(client, many_works):
    assert client.get(reverse("work_index"), {"page": 4}).status_code == 404
    assert client.get(reverse("work_index"), {"page": "two"}).status_code == 404


def test_one_page_has_no_pagination(client, alice):
    make_work(alice)
    assert "Next →" not in text(client.get(reverse("work_index")))


# --- A user's and a pseud's works ---------------------------------------------------------


def test_user_works_lists_only_that_users_visible_works(client, alice, bob, alices_works):
    make_work(bob, title="Bob's story")
    url = reverse("user_works", args=["alice"])
    response = client.get(url)
    assert blurb_titles(response) == ["Posted"]
    assert heading(response) == "1 Work by alice"
    reader_view = Client()
    reader_view.force_login(bob)
    assert blurb_titles(reader_view.get(url)) == ["Restricted", "Posted"]


def test_user_works_of_an_unknown_user_is_not_found(client, db):
    assert client.get(reverse("user_works", args=["nobody"])).status_code == 404


def test_user_without_works_gets_a_helpful_empty_page(client, bob, client_for):
    assert "bob hasn't posted any works yet." in text(
        client.get(reverse("user_works", args=["bob"]))
    )
    own = text(client_for(bob).get(reverse("user_works", args=["bob"])))
    assert "You haven't posted any works yet." in own
    assert "Your drafts" in own


def test_pseud_works_lists_only_that_pseuds_works(client, alice):
    second = pseud_create(user=alice, name="Tidewriter")
    make_work(alice, title="Under my name")
    make_work(alice, title="Under Tidewriter", pseuds=[second])
    response = client.get(reverse("pseud_works", args=["alice", "Tidewriter"]))
    assert blurb_titles(response) == ["Under Tidewriter"]
    assert heading(response) == "1 Work by Tidewriter (alice)"
    response = client.get(reverse("pseud_works", args=["alice", "alice"]))
    assert blurb_titles(response) == ["Under my name"]


def test_pseud_works_of_an_unknown_pseud_is_not_found(client, alice, bob):
    assert client.get(reverse("pseud_works", args=["alice", "Nobody"])).status_code == 404
    # A pseud belongs to its user: bob's pseud is not found under alice.
    assert client.get(reverse("pseud_works", args=["alice", "bob"])).status_code == 404


def test_pseud_works_empty_state(client, alice):
    pseud_create(user=alice, name="Tidewriter")
    response = client.get(reverse("pseud_works", args=["alice", "Tidewriter"]))
    assert "No works have been posted under the name Tidewriter yet." in text(response)


# --- Drafts -------------------------------------------------------------------------------


def test_owner_sees_only_their_drafts_with_actions(alice, bob, alices_works, client_for):
    make_work(bob, title="Bob's draft", post=False)
    response = client_for(alice).get(reverse("user_drafts", args=["alice"]))
    assert response.status_code == 200
    assert blurb_titles(response) == ["Draft"]
    assert heading(response) == "1 Draft by alice"
    html = response.content.decode()
    draft = alices_works["draft"]
    for name in ("work_edit", "work_preview", "work_delete"):
        assert f'href="{reverse(name, args=[draft.pk])}"' in html
    page = text(response)
    assert "Post Draft" in page and "Delete Draft" in page


@pytest.mark.parametrize("who", ["bob", "reader"])
def test_other_users_may_not_see_someones_drafts(who, alice, alices_works, client_for, request):
    response = client_for(request.getfixturevalue(who)).get(reverse("user_drafts", args=["alice"]))
    assert response.status_code == 403
    assert "Draft" not in blurb_titles(response)


def test_guests_are_asked_to_log_in_for_drafts(client, alice, alices_works):
    url = reverse("user_drafts", args=["alice"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_no_drafts_says_so(alice, client_for):
    make_work(alice)
    response = client_for(alice).get(reverse("user_drafts", args=["alice"]))
    assert "You have no drafts." in text(response)


# --- Queries --------------------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url_name, args",
    [
        ("work_index", []),
        ("user_works", ["alice"]),
        ("pseud_works", ["alice", "alice"]),
        ("user_drafts", ["alice"]),
    ],
)
def test_listing_queries_do_not_grow_with_the_number_of_works(
    url_name, args, alice, client_for, django_assert_max_num_queries
):
    client = client_for(alice)
    url = reverse(url_name, args=args)
    post = url_name != "user_drafts"

    def add(count):
        for number in range(count):
            make_work(
                alice,
                post=post,
                fandoms=[f"Fandom {number % 4}"],
                relationships=[f"A/B{number}"],
                freeforms=["Fluff", f"Tag {number}"],
            )

    add(3)
    few = count_queries(client, url)
    add(27)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200
    # Session and user, the inbox's unread count, the announcement banners (cached: one query
    # per 30 seconds, counted here as the cache starts empty), the page's owner, exclusions, the
    # capped count, works, taggings, creatorships and the sidebar's top tags (sample, counts,
    # tag names): a fixed number, whatever the page shows.
    assert few <= 15
