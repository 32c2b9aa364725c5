import pytest
from django.test import Client
from django.urls import reverse

from fanfold.kudos.models import Kudos
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def give(client, work, **extra):
    return client.post(reverse("kudos_create", args=[work.pk]), **extra)


def test_reader_leaves_kudos_once_and_is_named(alice, bob, client_for):
    work = make_work(alice)
    client = client_for(bob)
    assert 'data-testid="kudos-button"' in client.get(work.get_absolute_url()).content.decode()
    response = give(client, work)
    assert response["Location"] == f"/works/{work.pk}#kudos"
    page = client.get(response["Location"])
    assert "Thank you for leaving kudos!" in text(page)
    assert "bob left kudos on this work!" in text(page)
    assert 'data-testid="kudos-button"' not in page.content.decode()
    give(client, work)
    assert "You have already left kudos here. :)" in text(client.get(work.get_absolute_url()))
    assert Work.objects.get(pk=work.pk).kudos_count == 1


def test_guests_are_counted_by_address(alice, bob, client_for):
    work = make_work(alice)
    give(client_for(bob), work)
    give(Client(REMOTE_ADDR="192.0.2.1"), work)
    give(Client(REMOTE_ADDR="192.0.2.2"), work)
    give(Client(REMOTE_ADDR="192.0.2.2"), work)
    page = text(Client().get(work.get_absolute_url()))
    assert "bob as well as 2 guests left kudos on this work!" in page
    assert Kudos.objects.count() == 3


def test_creators_get_no_button_and_a_message_if_they_try(alice, client_for):
    work = make_work(alice)
    client = client_for(alice)
    assert 'data-testid="kudos-button"' not in client.get(work.get_absolute_url()).content.decode()
    give(client, work)
    assert "You can't leave kudos on your own work." in text(client.get(work.get_absolute_url()))
    assert not Kudos.objects.exists()


def test_drafts_and_restricted_works(alice, bob, client_for):
    draft = make_work(alice, post=False)
    restricted = make_work(alice, is_restricted=True)
    assert give(client_for(bob), draft).status_code == 404
    response = give(Client(), restricted)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert not Kudos.objects.exists()


def test_kudos_page_returns_to_the_chapter(alice, bob, client_for):
    work = make_work(alice, chapters=2)
    chapter = work.chapters.get(position=2)
    response = give(client_for(bob), work, data={"next": chapter.get_absolute_url()})
    assert response["Location"] == f"{chapter.get_absolute_url()}#kudos"
    response = give(client_for(alice), work, data={"next": "https://elsewhere.example/"})
    assert response["Location"] == f"/works/{work.pk}#kudos"


def test_only_post(alice, bob, client_for):
    work = make_work(alice)
    assert client_for(bob).get(reverse("kudos_create", args=[work.pk])).status_code == 405
