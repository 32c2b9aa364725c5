"""Co-creator invitations (fanfold/works/views/creatorships.py and the dashboard): only the
invited user sees and answers them; accepting lists them, declining removes the invitation."""

import html as html_lib
import re

import pytest
from django.urls import reverse

from fanfold.testing.factories import make_work
from fanfold.works.models import Creatorship

pytestmark = pytest.mark.django_db


def page_text(response) -> str:
    html = response.content.decode()
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


@pytest.fixture
def invitation(alice, bob) -> Creatorship:
    """alice's posted work "Salt Flats", inviting bob as a co-creator."""
    work = make_work(
        alice,
        title="Salt Flats",
        pseuds=[alice.pseuds.get(), bob.pseuds.get()],
        accept_invitations=False,
    )
    return work.creatorships.get(pseud__user=bob)


def url_for(user) -> str:
    return reverse("user_creatorships", args=[user.username])


def byline(client, work) -> str:
    html = client.get(work.get_absolute_url()).content.decode()
    return html_lib.unescape(
        re.sub(r"<[^>]+>", "", re.search(r'class="byline">(.*?)</h3>', html)[1])
    )


def test_the_invited_user_sees_the_work_and_who_invited_them(bob, invitation, client_for):
    for url in (url_for(bob), reverse("user_detail", args=["bob"])):
        text = page_text(client_for(bob).get(url))
        assert "Co-Creator Requests" in text
        assert re.search(r"Salt Flats — invited by alice ?, as bob", text)
        assert "Accept" in text and "Decline" in text


def test_nobody_else_sees_the_invitation_on_the_dashboard(
    alice, bob, invitation, client_for, client
):
    for viewer in (client_for(alice), client):
        assert "Salt Flats — invited by" not in page_text(
            viewer.get(reverse("user_detail", args=["bob"]))
        )


def test_accepting_lists_the_user_as_a_creator(bob, invitation, client_for, client):
    work = invitation.work
    assert byline(client, work) == "alice"
    bobs = client_for(bob)
    response = bobs.post(url_for(bob), {"creatorship": invitation.pk, "action": "accept"})
    assert response.status_code == 302
    assert response["Location"] == url_for(bob)
    assert "You are now listed as a co-creator of Salt Flats." in page_text(
        bobs.get(response["Location"])
    )
    assert byline(client, work) == "alice, bob"
    assert client_for(bob).get(reverse("work_edit", args=[work.pk])).status_code == 200


def test_declining_removes_the_invitation(bob, invitation, client_for, client):
    response = client_for(bob).post(
        url_for(bob),
        {"creatorship": invitation.pk, "action": "decline", "next": "/users/bob"},
    )
    assert response["Location"] == "/users/bob"
    assert not Creatorship.objects.filter(pk=invitation.pk).exists()
    assert byline(client, invitation.work) == "alice"
    assert "You have no co-creator requests." in page_text(client_for(bob).get(url_for(bob)))


def test_an_answer_never_goes_back_to_another_site(bob, invitation, client_for):
    response = client_for(bob).post(
        url_for(bob),
        {"creatorship": invitation.pk, "action": "accept", "next": "https://evil.example/"},
    )
    assert response["Location"] == url_for(bob)


@pytest.mark.parametrize("action", ["accept", "decline"])
def test_others_may_not_answer(alice, reader, bob, invitation, client_for, action):
    data = {"creatorship": invitation.pk, "action": action}
    # Through their own page (the service refuses) and through bob's (the page refuses).
    for stranger in (alice, reader):
        assert client_for(stranger).post(url_for(stranger), data).status_code == 403
        assert client_for(stranger).post(url_for(bob), data).status_code == 403
    invitation.refresh_from_db()
    assert invitation.approved is False


def test_others_may_not_see_someone_elses_requests(alice, bob, invitation, client_for):
    response = client_for(alice).get(url_for(bob))
    assert response.status_code == 403
    assert "Salt Flats" not in response.content.decode()


def test_guests_are_sent_to_log_in(bob, invitation, client):
    for response in (
        client.get(url_for(bob)),
        client.post(url_for(bob), {"creatorship": invitation.pk, "action": "accept"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    invitation.refresh_from_db()
    assert invitation.approved is False


def test_a_bad_answer_shows_a_message_and_changes_nothing(bob, invitation, client_for):
    client = client_for(bob)
    response = client.post(url_for(bob), {"creatorship": invitation.pk, "action": "maybe"})
    assert "Please choose an invitation and whether to accept it." in page_text(
        client.get(response["Location"])
    )
    assert client.post(url_for(bob), {"creatorship": 999999, "action": "accept"}).status_code == 404
    invitation.refresh_from_db()
    assert invitation.approved is False


def test_an_invitation_to_a_draft_shows_its_title_but_not_the_draft(alice, bob, client_for):
    draft = make_work(
        alice,
        title="Unfinished Harbour",
        post=False,
        pseuds=[alice.pseuds.get(), bob.pseuds.get()],
        accept_invitations=False,
    )
    html = client_for(bob).get(url_for(bob)).content.decode()
    assert "Unfinished Harbour" in html and draft.get_absolute_url() not in html
    assert client_for(bob).get(draft.get_absolute_url()).status_code == 404


def test_an_invited_user_does_not_see_the_work_on_their_pages(bob, invitation, client):
    for url in ("/users/bob", "/users/bob/works", "/users/bob/pseuds/bob/works"):
        assert "Salt Flats" not in page_text(client.get(url)), url
    assert "Works (0)" in page_text(client.get("/users/bob"))
