"""Saved filters and the permanent exclusion list: saving, reapplying, deleting, only the
owner, exclusions applied to every listing and search, bad input."""

import pytest
from django.urls import reverse

from fanfold.savedfilters.models import Exclusion, SavedFilter
from fanfold.savedfilters.services import exclusion_create, saved_filter_create
from fanfold.tags.models import Tag
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(alice, bob):
    return {
        "fluff": make_work(alice, title="Fluffy", freeforms=["Fluff"], fandoms=["Harbour Tales"]),
        "angst": make_work(alice, title="Sad", freeforms=["Angst"], fandoms=["Harbour Tales"]),
        "bobs": make_work(bob, title="Bob's", fandoms=["Harbour Tales"]),
    }


def test_save_a_filter_and_reapply_it(client_for, reader, works):
    client = client_for(reader)
    fluff = Tag.objects.get(name="Fluff").pk
    response = client.post(
        reverse("saved_filter_create"),
        {"name": "Comfort", "path": "/works", "query": f"include={fluff}&page=3&sort="},
    )
    saved = SavedFilter.objects.get(user=reader)
    assert saved.query == f"include={fluff}"  # the page number is not part of a filter
    assert response.status_code == 302 and response["Location"] == f"/works?include={fluff}"
    page = client.get(reverse("saved_filters"))
    assert "Comfort" in text(page)
    assert f'href="/works?include={fluff}"' in page.content.decode()
    assert blurb_titles(client.get(saved.url)) == ["Fluffy"]


def test_the_sidebar_offers_saving_to_logged_in_readers_only(client, client_for, reader, works):
    assert 'data-testid="save-filter"' not in client.get("/works").content.decode()
    html = client_for(reader).get("/works", {"language": "en"}).content.decode()
    assert 'data-testid="save-filter"' in html
    assert 'name="query" value="language=en"' in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "path": "/works"}, "This field is required."),
        ({"name": "Comfort", "path": "/works"}, "You already have a saved filter named"),
        ({"name": "Other", "path": "/users/alice/password"}, "only be saved from a list of works"),
        ({"name": "Other", "path": "https://elsewhere.example/works"}, "only be saved from"),
        ({"name": "x" * 101, "path": "/works"}, "at most 100 characters"),
    ],
)
def test_bad_saved_filters_are_refused_with_a_message(client_for, reader, data, message):
    saved_filter_create(user=reader, name="Comfort", path="/works", query="")
    response = client_for(reader).post(reverse("saved_filter_create"), data)
    assert response.status_code == 400
    assert message in text(response)
    assert SavedFilter.objects.filter(user=reader).count() == 1


def test_only_the_owner_sees_and_deletes_their_filters(client, client_for, reader, bob):
    saved = saved_filter_create(user=reader, name="Mine", path="/works", query="language=en")
    assert "Mine" not in text(client_for(bob).get(reverse("saved_filters")))
    url = reverse("saved_filter_delete", args=[saved.pk])
    assert client_for(bob).post(url).status_code == 404
    assert client.post(url).status_code == 302  # a guest is sent to log in
    assert client.get(reverse("saved_filters"))["Location"].startswith("/login")
    assert SavedFilter.objects.filter(pk=saved.pk).exists()
    assert client_for(reader).post(url).status_code == 302
    assert not SavedFilter.objects.filter(pk=saved.pk).exists()
    assert client_for(reader).get(url).status_code == 405


def test_exclusions_apply_to_every_listing_and_search(client, client_for, reader, alice, works):
    exclusion_create(user=reader, tag_name="fluff")
    exclusion_create(user=reader, creator_name="bob")
    client = client_for(reader)
    assert blurb_titles(client.get("/works")) == ["Sad"]
    assert blurb_titles(client.get(reverse("tag_works", args=["Harbour Tales"]))) == ["Sad"]
    assert blurb_titles(client.get(reverse("user_works", args=["alice"]))) == ["Sad"]
    assert blurb_titles(client.get(reverse("search"), {"q": "harbour"})) == ["Sad"]
    assert blurb_titles(client.get("/")) == ["Sad"]
    # Nobody else is affected.
    assert len(blurb_titles(client_for(alice).get("/works"))) == 3


def test_exclusions_are_managed_on_the_preferences_page(client_for, reader, works):
    client = client_for(reader)
    response = client.post(reverse("exclusion_create"), {"tag_name": "Angst"})
    assert response.status_code == 302
    exclusion = Exclusion.objects.get(user=reader)
    assert "Tag: Angst" in text(client.get(reverse("saved_filters")))
    assert "Sad" not in blurb_titles(client.get("/works"))
    client.post(reverse("exclusion_delete", args=[exclusion.pk]))
    assert "Sad" in blurb_titles(client.get("/works"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter a tag name or a creator's user name."),
        ({"tag_name": "Nope"}, "No tag is named “Nope”."),
        ({"creator_name": "nobody"}, "No user is named “nobody”."),
        ({"creator_name": "reader"}, "You can't exclude your own works."),
        ({"tag_name": "Fluff"}, "You already exclude “Fluff”."),
    ],
)
def test_bad_exclusions_are_refused_with_a_message(client_for, reader, works, data, message):
    exclusion_create(user=reader, tag_name="Fluff")
    response = client_for(reader).post(reverse("exclusion_create"), data)
    assert response.status_code == 400
    assert message in text(response)
    assert Exclusion.objects.filter(user=reader).count() == 1


def test_others_cannot_remove_an_exclusion(client_for, reader, bob, works):
    exclusion = exclusion_create(user=reader, tag_name="Fluff")
    assert client_for(bob).post(reverse("exclusion_delete", args=[exclusion.pk])).status_code == 404
    assert Exclusion.objects.filter(pk=exclusion.pk).exists()
