"""The home page lists the newest works the visitor may see."""

import pytest
from django.urls import reverse

from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def test_home_lists_the_newest_works(client, alice):
    for number in range(12):
        make_work(alice, title=f"Story {number:02}")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert blurb_titles(response) == [f"Story {n:02}" for n in range(11, 1, -1)]
    assert 'href="/works"' in response.content.decode()


def test_home_hides_drafts_and_restricted_works_from_guests(client, alice, reader, client_for):
    make_work(alice, title="Public")
    make_work(alice, title="Members only", is_restricted=True)
    make_work(alice, title="Unfinished", post=False)
    assert blurb_titles(client.get(reverse("home"))) == ["Public"]
    assert blurb_titles(client_for(reader).get(reverse("home"))) == ["Members only", "Public"]
    assert "Unfinished" not in blurb_titles(client_for(alice).get(reverse("home")))


def test_empty_home_invites_the_first_work(client, reader, client_for):
    assert "No works have been posted yet." in text(client.get(reverse("home")))
    assert "Post the first one." in text(client_for(reader).get(reverse("home")))
