"""/tags/NAME/works: the works with a tag, with AO3's URL escapes, for each kind of viewer."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


@pytest.fixture
def harbour_works(alice, bob):
    return [
        make_work(alice, title="Lanterns", fandoms=["Harbour Tales"]),
        make_work(bob, title="Nets", fandoms=["Harbour Tales", "Sea Songs"]),
        make_work(alice, title="Members only", fandoms=["Harbour Tales"], is_restricted=True),
        make_work(alice, title="Unfinished", fandoms=["Harbour Tales"], post=False),
        make_work(bob, title="Elsewhere", fandoms=["Sea Songs"]),
    ]


def test_tag_page_lists_the_works_with_that_tag(client, harbour_works):
    tag = Tag.objects.get(name="Harbour Tales")
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert blurb_titles(response) == ["Nets", "Lanterns"]
    assert "2 Works in Harbour Tales" in text(response)
    assert "Fandom" in text(response)


def test_logged_in_readers_also_see_restricted_works_never_drafts(
    harbour_works, reader, alice, client_for
):
    url = Tag.objects.get(name="Harbour Tales").get_absolute_url()
    for user in (reader, alice):
        response = client_for(user).get(url)
        assert blurb_titles(response) == ["Members only", "Nets", "Lanterns"]
        assert "3 Works in Harbour Tales" in text(response)


def test_tag_names_use_ao3_escapes_and_any_case(client, alice):
    make_work(alice, title="Pair", relationships=["Mira/Tove"], categories=["F/F"])
    assert client.get("/tags/Mira*s*Tove/works").status_code == 200
    assert blurb_titles(client.get("/tags/mira*s*tove/works")) == ["Pair"]
    assert blurb_titles(client.get("/tags/F*s*F/works")) == ["Pair"]
    assert "1 Work in F/F" in text(client.get("/tags/F*s*F/works"))


def test_unknown_tag_is_not_found(client, db):
    assert client.get(reverse("tag_works", args=["No Such Tag"])).status_code == 404


def test_tag_without_visible_works_says_so(alice):
    make_work(alice, title="Members only", fandoms=["Quiet Fandom"], is_restricted=True)
    response = Client().get(reverse("tag_works", args=["Quiet Fandom"]))
    assert "0 Works in Quiet Fandom" in text(response)
    assert "There are no works tagged Quiet Fandom yet." in text(response)
    # A fixed tag nobody used yet has a page too.
    assert Client().get(reverse("tag_works", args=["Explicit"])).status_code == 200


def test_tag_page_pages_twenty_at_a_time(client, alice):
    for number in range(22):
        make_work(alice, title=f"Story {number:02}", fandoms=["Big Fandom"])
    url = reverse("tag_works", args=["Big Fandom"])
    assert "1 - 20 of 22 Works in Big Fandom" in text(client.get(url))
    assert "21 - 22 of 22 Works in Big Fandom" in text(client.get(url, {"page": 2}))
    assert client.get(url, {"page": 3}).status_code == 404


def test_tag_page_queries_do_not_grow_with_the_number_of_works(
    alice, client, django_assert_max_num_queries
):
    url = reverse("tag_works", args=["Big Fandom"])

    def add(count):
        for number in range(count):
            make_work(alice, fandoms=["Big Fandom"], characters=[f"Person {number}"])

    add(3)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add(27)
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
