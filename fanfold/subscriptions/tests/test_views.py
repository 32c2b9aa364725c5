"""Subscribe and unsubscribe buttons and the subscriptions page: only its owner sees it."""

import pytest
from django.test import Client

from fanfold.series.services import series_add_work, series_create
from fanfold.subscriptions.models import Subscription
from fanfold.subscriptions.services import subscription_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text

pytestmark = pytest.mark.django_db


def test_subscribing_to_a_work_series_and_writer(alice, bob, client_for):
    work = make_work(alice, title="Tides")
    series = series_create(user=alice, title="Harbour Cycle")
    series_add_work(series=series, work=work, user=alice)
    client = client_for(bob)
    response = client.post("/subscriptions", {"work": work.pk}, follow=True)
    assert "You are now subscribed to Tides" in page_text(response)
    assert "Unsubscribe" in page_text(client.get(work.get_absolute_url()))
    client.post("/subscriptions", {"series": series.pk})
    client.post("/subscriptions", {"writer": "alice"})
    page = page_text(client.get("/users/bob/subscriptions"))
    assert "Work: Tides" in page and "Series: Harbour Cycle" in page and "Writer: alice" in page
    subscription = Subscription.objects.get(work=work)
    client.post(f"/subscriptions/{subscription.pk}/delete")
    assert not Subscription.objects.filter(work=work).exists()


def test_bad_targets(alice, bob, client_for):
    client = client_for(bob)
    draft = make_work(alice, post=False)
    assert client.post("/subscriptions", {"work": draft.pk}).status_code == 404
    assert client.post("/subscriptions", {"work": "abc"}).status_code == 404
    assert client.post("/subscriptions", {}).status_code == 404
    response = client.post("/subscriptions", {"writer": "bob"}, follow=True)
    assert "You can't subscribe to yourself." in page_text(response)
    assert not Subscription.objects.exists()
    assert client.get("/subscriptions").status_code == 405


def test_guests_are_sent_to_log_in(alice):
    work = make_work(alice)
    assert Client().post("/subscriptions", {"work": work.pk})["Location"].startswith("/login")


def test_only_the_subscriber_sees_and_removes_subscriptions(alice, bob, reader, client_for):
    subscription = subscription_create(user=bob, work=make_work(alice, title="Tides"))
    assert client_for(reader).get("/users/bob/subscriptions").status_code == 403
    assert Client().get("/users/bob/subscriptions")["Location"].startswith("/login")
    assert client_for(reader).post(f"/subscriptions/{subscription.pk}/delete").status_code == 403
    assert Subscription.objects.count() == 1


def test_next_must_stay_on_this_site(alice, bob, client_for):
    work = make_work(alice)
    response = client_for(bob).post(
        "/subscriptions", {"work": work.pk, "next": "https://elsewhere.example/"}
    )
    assert response["Location"] == work.get_absolute_url()


def test_subscribing_to_a_writer_from_their_page(alice, bob, client_for):
    client = client_for(bob)
    assert "Subscribe to alice" in page_text(client.get("/users/alice"))
    assert "Subscribe to" not in page_text(client_for(alice).get("/users/alice"))
    assert "Subscribe to" not in page_text(Client().get("/users/alice"))
    response = client.post(
        "/subscriptions", {"writer": "alice", "next": "/users/alice"}, follow=True
    )
    assert "Unsubscribe from alice" in page_text(response)
    assert Subscription.objects.get().writer == alice
