"""Invitations while sign-up is invitation-only: the queue anyone may join (served a set
number a day by the periodic job), and invitations users give out."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from fanfold.accounts.models import Invitation, InvitationRequest
from fanfold.accounts.services import (
    invitation_give,
    invitation_queue_send,
    invitation_request_create,
    invitation_request_position,
)
from fanfold.core.models import ArchiveConfig

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation_only():
    config = ArchiveConfig.load()
    config.invitation_only = True
    config.invitations_per_day = 2
    config.save()
    return config


def test_people_queue_up_and_keep_their_place(invitation_only):
    for name in ("ann", "ben", "cat"):
        invitation_request_create(email=f"{name}@example.org")
    invitation_request_create(email="BEN@example.org")  # asking again keeps the place
    assert InvitationRequest.objects.count() == 3
    assert invitation_request_position(email="cat@example.org") == 3
    assert invitation_request_position(email="nobody@example.org") is None


def test_a_set_number_a_day_get_their_invitation(
    invitation_only, django_capture_on_commit_callbacks
):
    for name in ("ann", "ben", "cat"):
        invitation_request_create(email=f"{name}@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        assert invitation_queue_send() == 2
    assert invitation_queue_send() == 0  # the day's two are gone, even run hourly
    assert sorted(m.to[0] for m in mail.outbox) == ["ann@example.org", "ben@example.org"]
    code = Invitation.objects.get(email="ann@example.org").code
    assert f"/signup?invitation={code}" in mail.outbox[0].body
    assert invitation_request_position(email="cat@example.org") == 1
    # A day later the next one goes out.
    assert invitation_queue_send(now=timezone.now() + timedelta(days=1, minutes=1)) == 1


def test_the_periodic_job_sends_queued_invitations(invitation_only):
    invitation_request_create(email="ann@example.org")
    call_command("periodic", "--once")
    assert InvitationRequest.objects.get().sent_at is not None


@pytest.mark.parametrize(
    "setup, email, message",
    [
        ({"invitation_only": False}, "ann@example.org", "Sign-up is open"),
        ({"invitations_per_day": 0}, "ann@example.org", "queue is closed"),
        ({}, "not an address", "valid email"),
        ({}, "alice@example.org", "already an account"),
    ],
)
def test_the_queue_refuses_with_a_reason(alice, invitation_only, setup, email, message):
    for key, value in setup.items():
        setattr(invitation_only, key, value)
    invitation_only.save()
    response = Client().post("/invite_requests", {"email": email})
    assert message in response.content.decode()
    assert not InvitationRequest.objects.exists()


def test_joining_through_the_page_shows_the_place(invitation_only):
    response = Client().post("/invite_requests", {"email": "ann@example.org"}, follow=True)
    page = response.content.decode()
    assert "in the queue" in page and "number 1 in the queue" in page


def test_the_queue_page_is_rate_limited_per_address(invitation_only):
    client = Client(REMOTE_ADDR="192.0.2.77")
    for number in range(5):
        client.post("/invite_requests", {"email": f"p{number}@example.org"})
    assert client.post("/invite_requests", {"email": "p9@example.org"}).status_code == 429
    assert InvitationRequest.objects.count() == 5


def test_users_give_the_invitations_admins_granted(
    alice, client_for, django_capture_on_commit_callbacks
):
    alice.invitations_left = 1
    alice.save()
    client = client_for(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/users/alice/invitations", {"email": "friend@example.org"})
    assert response.status_code == 302
    assert "alice has invited you" in mail.outbox[0].body
    page = client.get("/users/alice/invitations").content.decode()
    assert "friend@example.org" in page and "0 invitations left" in page
    refused = client.post("/users/alice/invitations", {"email": "other@example.org"})
    assert refused.status_code == 200
    assert Invitation.objects.count() == 1


def test_without_invitations_left_none_can_be_given(alice):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="no invitations left"):
        invitation_give(user=alice, email="friend@example.org")
    assert not Invitation.objects.exists()


def test_only_the_owner_sees_their_invitations(alice, bob, client_for):
    assert client_for(bob).get("/users/alice/invitations").status_code == 403
    response = Client().get("/users/alice/invitations")
    assert response.status_code == 302 and "/login" in response["Location"]
