"""Spam protection for guests' comments, on works and news posts: the honeypot drops a comment
without saying why; too many links, a listed keyword or the same text again from one address
hold it for moderation (waiting like a moderated comment, with the guest told so); moderators
list held comments and approve or delete them; registered users are never held."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fanfold.comments.models import Comment, CommentStatus
from fanfold.comments.services import comment_create
from fanfold.comments.spam import ip_hash, link_count
from fanfold.inbox.models import InboxItem
from fanfold.news.services import news_post_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

GUEST = {"guest_name": "Wren", "guest_email": "wren@example.org"}


def guest_comment(client, work, content, **extra):
    return client.post(
        reverse("comment_create", args=[work.pk]), {"content": content, **GUEST, **extra}
    )


def test_the_honeypot_drops_a_bots_comment_with_a_neutral_message(alice):
    work = make_work(alice)
    client = Client()
    response = guest_comment(client, work, "Nice story", website="http://spam.example")
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    assert "Thank you: your comment was received." in text(client.get(response["Location"]))
    assert Comment.objects.count() == 0 and Work.objects.get(pk=work.pk).comment_count == 0


def test_the_honeypot_is_hidden_from_people_and_screen_readers(alice):
    work = make_work(alice)
    page = Client().get(f"/works/{work.pk}").content.decode()
    assert '<div class="honeypot" aria-hidden="true">' in page
    assert 'name="website"' in page and 'tabindex="-1"' in page


def test_the_honeypot_works_on_news_posts_too(admin_user):
    post = news_post_create(user=admin_user, title="News", body="Body")
    response = Client().post(
        f"/admin_posts/{post.pk}/comments", {"content": "Hi", "website": "x", **GUEST}
    )
    assert response.status_code == 302 and Comment.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (
            '<a href="https://a.example">a</a> https://b.example www.c.example',
            "3 links (more than 2)",
        ),
        ("Cheap CASINO bonus here", "contains “CASINO”"),
        ("Try our payday   loan offer", "contains “payday loan”"),
    ],
)
def test_suspicious_guest_comments_are_held(alice, content, reason):
    work = make_work(alice, title="Tides")
    client = Client()
    response = guest_comment(client, work, content)
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.held_reason == reason
    page = text(client.get(response["Location"]))
    assert "It will appear publicly after it has been approved." in page
    assert "Comments (" not in text(Client().get(f"/works/{work.pk}"))
    assert Work.objects.get(pk=work.pk).comment_count == 0
    # The creator hears of it as of a moderated comment, and may approve it.
    assert "awaiting your approval" in InboxItem.objects.get(user=alice).text


def test_the_same_text_again_from_one_address_is_held(alice):
    work, other = make_work(alice), make_work(alice)
    guest_comment(Client(), work, "Lovely!")
    guest_comment(Client(), other, "Lovely!")  # same address (the test client's)
    first, second = Comment.objects.order_by("pk")
    assert first.is_published and not first.held_reason
    assert second.status == CommentStatus.PENDING
    assert second.held_reason == "the same text again from the same address"
    # The address itself is not stored, only its keyed hash.
    assert second.ip_hash == ip_hash("127.0.0.1") and "127.0.0.1" not in second.ip_hash
    guest_comment(Client(REMOTE_ADDR="10.0.0.9"), work, "Lovely!")
    assert Comment.objects.order_by("pk").last().is_published


def test_ordinary_guest_comments_and_registered_users_are_not_held(alice, reader):
    work = make_work(alice)
    guest_comment(Client(), work, 'One link is fine: <a href="https://a.example">here</a>')
    comment_create(work=work, user=reader, content="casino https://a https://b https://c")
    assert all(c.is_published and not c.held_reason for c in Comment.objects.all())


@override_settings(FANFOLD_SPAM_KEYWORDS=["knitting pattern"], FANFOLD_SPAM_MAX_LINKS=0)
def test_the_keywords_and_link_limit_come_from_settings(alice):
    work = make_work(alice)
    guest_comment(Client(), work, "A casino is fine here")
    guest_comment(Client(), work, "Free KNITTING pattern")
    guest_comment(Client(), work, "see www.example.org")
    held = list(Comment.objects.order_by("pk").values_list("held_reason", flat=True))
    assert held == ["", "contains “KNITTING pattern”", "1 link (more than 0)"]


def test_guest_comments_on_news_are_held_too(admin_user):
    post = news_post_create(user=admin_user, title="News", body="Body")
    client = Client()
    response = client.post(f"/admin_posts/{post.pk}/comments", {"content": "viagra deals", **GUEST})
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING and comment.held_reason
    assert "after it has been approved" in text(client.get(response["Location"]))
    assert "viagra" not in text(Client().get(f"/admin_posts/{post.pk}"))


def test_moderators_list_held_comments_and_approve_or_delete_them(
    alice, admin_user, moderator, client_for
):
    work = make_work(alice, title="Tides")
    post = news_post_create(user=admin_user, title="Server move", body="Body")
    guest_comment(Client(), work, "casino one")
    Client().post(f"/admin_posts/{post.pk}/comments", {"content": "casino two", **GUEST})
    guest_comment(Client(), work, "An honest comment")
    client = client_for(moderator)
    page = text(client.get("/comments/held"))
    assert "casino one" in page and "casino two" in page and "An honest comment" not in page
    assert "Tides" in page and "Server move" in page and "Held: contains “casino”" in page
    one, two = Comment.objects.filter(held_reason__startswith="contains").order_by("pk")
    response = client.post("/comments/held", {"comments": [one.pk], "action": "approve"})
    assert response.status_code == 302
    assert "1 comment approved." in text(client.get("/comments/held"))
    one.refresh_from_db()
    assert one.is_published and Work.objects.get(pk=work.pk).comment_count == 2
    client.post("/comments/held", {"comments": [two.pk], "action": "delete"})
    assert not Comment.objects.filter(pk=two.pk).exists()
    response = client.post("/comments/held", {"comments": [], "action": "delete"})
    assert "Please choose comments" in text(client.get("/comments/held"))


@pytest.mark.parametrize("who", [None, "reader", "alice"])
def test_only_moderators_see_held_comments(who, alice, client_for, request):
    work = make_work(alice)
    guest_comment(Client(), work, "casino")
    client = client_for(request.getfixturevalue(who)) if who else Client()
    comment = Comment.objects.get()
    data = {"comments": [comment.pk], "action": "delete"}
    for response in [client.get("/comments/held"), client.post("/comments/held", data)]:
        if who is None:
            assert response.status_code == 302 and "/login" in response["Location"]
        else:
            assert response.status_code == 403
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_the_creator_may_approve_a_held_comment(alice, client_for):
    work = make_work(alice)
    guest_comment(Client(), work, "casino but actually a fan")
    comment = Comment.objects.get()
    page = text(client_for(alice).get(f"/works/{work.pk}"))
    assert "Awaiting approval (held as possible spam)" in page
    client_for(alice).post(f"/comments/{comment.pk}/approve")
    comment.refresh_from_db()
    assert comment.is_published


def test_link_count_counts_different_addresses():
    assert link_count('<a href="https://a.example/x">https://a.example/x</a>') == 1
    assert link_count("no links, not even example.org") == 0
    assert link_count("https://a.example, https://b.example.") == 2
