"""The preferences page (/users/NAME/preferences): a user switches comment e-mails off and on;
nobody else may open it."""

import pytest
from django.test import Client
from django.urls import reverse

from fanfold.inbox.selectors import comment_emails_wanted
from fanfold.testing.pages import page_text as text

pytestmark = pytest.mark.django_db


def test_comment_emails_are_on_by_default_and_can_be_switched_off(alice, client_for):
    url = reverse("user_preferences", args=["alice"])
    client = client_for(alice)
    page = client.get(url).content.decode()
    assert 'name="comment_emails"' in page and "checked" in page
    assert comment_emails_wanted(user=alice)
    response = client.post(url, {})  # the box unticked
    assert response["Location"] == url
    assert "Your preferences were saved." in text(client.get(url))
    assert not comment_emails_wanted(user=alice)
    assert "checked" not in client.get(url).content.decode().split('name="comment_emails"')[0][-80:]
    client.post(url, {"comment_emails": "on"})
    assert comment_emails_wanted(user=alice)


def test_only_the_user_may_open_their_preferences(alice, bob, client_for):
    url = reverse("user_preferences", args=["alice"])
    assert "/login" in Client().get(url)["Location"]
    assert client_for(bob).get(url).status_code == 403
    assert client_for(bob).post(url, {}).status_code == 403
    assert comment_emails_wanted(user=alice)


def test_the_inbox_links_to_the_preferences(alice, client_for):
    page = client_for(alice).get(reverse("inbox")).content.decode()
    assert reverse("user_preferences", args=["alice"]) in page
