"""Site news pages: admins write, edit and delete posts (nobody else may); everyone reads the
list, a post and the Atom feed; drafts stay with admins; bad input is explained and nothing is
stored. Comments on news posts: guests where the post allows, replies reach the inbox, admins
delete, and work-only paths (counts, creators' inboxes) never see them."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fanfold.comments.models import Comment, CommentStatus
from fanfold.comments.services import comment_create, comment_create_on_news
from fanfold.inbox.models import InboxItem
from fanfold.moderation.models import AuditLogEntry
from fanfold.news.models import NewsPost
from fanfold.news.services import news_post_create
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import CommentPermission, Work

pytestmark = pytest.mark.django_db


def make_post(admin, title="Server move", body="<p>We move on Friday.</p>", **kwargs):
    return news_post_create(user=admin, title=title, body=body, **kwargs)


def form_data(**overrides):
    data = {
        "title": "Maintenance on Sunday",
        "category": "Maintenance",
        "body": "<p>The archive is down for an hour.</p><script>alert(1)</script>",
        "comment_permission": "everyone",
        "action": "publish",
    }
    data.update(overrides)
    return data


# --- Writing news -------------------------------------------------------------------------


def test_an_admin_posts_news_and_everyone_reads_it(admin_user, client_for):
    response = client_for(admin_user).post(reverse("news_new"), form_data())
    post = NewsPost.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/admin_posts/{post.pk}"
    assert post.is_published and post.author == admin_user
    assert "<script>" not in post.body and "down for an hour" in post.body
    page = Client().get(f"/admin_posts/{post.pk}")
    assert page.status_code == 200
    assert "Maintenance on Sunday" in text(page) and "down for an hour" in text(page)
    assert AuditLogEntry.objects.filter(action="create news post").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "Title", "Please give the post a title."),
        ({"title": "x" * 256}, "Title", "at most 255 characters"),
        ({"body": "<p> </p><script>x</script>"}, "Post", "Please write the post."),
        ({"category": "c" * 61}, "Category", "at most 60 characters"),
        ({"comment_permission": "anyone"}, "Who can comment", "Select a valid choice"),
    ],
)
def test_bad_news_input_is_explained_and_nothing_is_stored(
    admin_user, client_for, overrides, field, message
):
    response = client_for(admin_user).post(reverse("news_new"), form_data(**overrides))
    assert response.status_code == 200
    assert message in text(response)
    assert field in text(response)
    assert NewsPost.objects.count() == 0


@pytest.mark.parametrize("who", [None, "reader", "moderator", "alice"])
def test_only_admins_may_write_edit_or_delete_news(who, admin_user, client_for, request):
    post = make_post(admin_user)
    client = client_for(request.getfixturevalue(who)) if who else Client()
    for url in ["/admin_posts/new", f"/admin_posts/{post.pk}/edit",
                f"/admin_posts/{post.pk}/delete"]:  # fmt: skip
        got = client.get(url)
        posted = client.post(url, form_data(title="Taken over"))
        if who is None:
            assert got.status_code == 302 and "/login" in got["Location"]
            assert posted.status_code == 302 and "/login" in posted["Location"]
        else:
            assert got.status_code == 403 and posted.status_code == 403
    post.refresh_from_db()
    assert post.title == "Server move" and NewsPost.objects.count() == 1


def test_an_admin_edits_and_deletes_a_post_with_its_comments(admin_user, reader, client_for):
    post = make_post(admin_user)
    comment_create_on_news(post=post, user=reader, content="Thanks!")
    client = client_for(admin_user)
    response = client.post(f"/admin_posts/{post.pk}/edit", form_data(title="Server moved"))
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "Server moved"
    response = client.post(f"/admin_posts/{post.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/admin_posts"
    assert NewsPost.objects.count() == 0 and Comment.objects.count() == 0


def test_drafts_are_seen_by_admins_only(admin_user, reader, client_for):
    response = client_for(admin_user).post(reverse("news_new"), form_data(action="draft"))
    draft = NewsPost.objects.get()
    assert response.status_code == 302 and draft.published_at is None
    assert "Draft" in text(client_for(admin_user).get("/admin_posts"))
    for client in [Client(), client_for(reader)]:
        assert client.get(f"/admin_posts/{draft.pk}").status_code == 404
        assert "Maintenance on Sunday" not in text(client.get("/admin_posts"))
    assert "Maintenance on Sunday" not in Client().get("/admin_posts/feed.atom").content.decode()
    # Publishing it dates it now.
    client_for(admin_user).post(f"/admin_posts/{draft.pk}/edit", form_data())
    draft.refresh_from_db()
    assert draft.is_published
    assert Client().get(f"/admin_posts/{draft.pk}").status_code == 200


def test_nobody_comments_on_a_draft(admin_user, reader, client_for):
    draft = make_post(admin_user, publish=False)
    response = client_for(admin_user).post(
        f"/admin_posts/{draft.pk}/comments", {"content": "Early!"}
    )
    assert response.status_code == 403
    response = client_for(reader).post(f"/admin_posts/{draft.pk}/comments", {"content": "x"})
    assert response.status_code == 404
    assert Comment.objects.count() == 0


# --- Reading news -------------------------------------------------------------------------


@override_settings(FANFOLD_NEWS_PER_PAGE=2)
def test_the_list_is_newest_first_paginated_and_filtered_by_category(admin_user):
    for number in range(3):
        make_post(admin_user, title=f"Post {number}", category="Events" if number else "")
    client = Client()
    first = text(client.get("/admin_posts"))
    assert first.index("Post 2") < first.index("Post 1") and "Post 0" not in first
    assert "Post 0" in text(client.get("/admin_posts?page=2"))
    assert client.get("/admin_posts?page=9").status_code == 404
    events = text(client.get("/admin_posts?category=events"))
    assert "Post 1" in events and "Post 2" in events and "Post 0" not in events


def test_the_atom_feed_lists_published_posts(admin_user):
    make_post(admin_user, title="Feed item", category="Events")
    response = Client().get("/admin_posts/feed.atom")
    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    assert "<title>Feed item</title>" in body and 'term="Events"' in body


def test_the_header_and_footer_link_to_news(reader, client_for):
    page = client_for(reader).get("/").content.decode()
    assert page.count('href="/admin_posts"') == 2


# --- Comments on news posts ---------------------------------------------------------------


def test_a_guest_comments_where_the_post_allows(admin_user):
    post = make_post(admin_user)
    client = Client()
    response = client.post(
        f"/admin_posts/{post.pk}/comments",
        {"content": "Good luck!", "guest_name": "Wren", "guest_email": "wren@example.org"},
    )
    comment = Comment.objects.get()
    assert response["Location"] == f"/admin_posts/{post.pk}#comment-{comment.pk}"
    assert comment.news_post == post and comment.work is None and comment.is_published
    page = text(client.get(response["Location"]))
    assert "Comment created!" in page and "Wren (Guest)" in page and "Comments (1)" in page


def test_guests_are_refused_where_only_users_may_comment(admin_user, reader, client_for):
    post = make_post(admin_user, comment_permission=CommentPermission.REGISTERED)
    data = {"content": "Hi", "guest_name": "Wren", "guest_email": "wren@example.org"}
    response = Client().post(f"/admin_posts/{post.pk}/comments", data)
    assert response.status_code == 403
    assert "Only registered users can comment on this post" in text(response)
    assert "Please log in" in text(Client().get(f"/admin_posts/{post.pk}"))
    assert client_for(reader).post(f"/admin_posts/{post.pk}/comments", data).status_code == 302
    closed = make_post(admin_user, comment_permission=CommentPermission.NOBODY)
    assert client_for(reader).post(f"/admin_posts/{closed.pk}/comments", data).status_code == 403
    assert Comment.objects.count() == 1


def test_bad_news_comments_are_explained(admin_user):
    post = make_post(admin_user)
    response = Client().post(
        f"/admin_posts/{post.pk}/comments",
        {"content": " ", "guest_name": "", "guest_email": "not-an-address"},
    )
    page = text(response)
    assert response.status_code == 200
    assert "Please write something in your comment." in page
    assert "Please tell us your name." in page
    assert "Please enter a valid e-mail address." in page
    assert Comment.objects.count() == 0


def test_a_reply_reaches_the_replied_to_users_inbox(admin_user, reader, bob, client_for):
    post = make_post(admin_user, title="Server move")
    first = comment_create_on_news(post=post, user=reader, content="When exactly?")
    response = client_for(bob).post(
        f"/admin_posts/{post.pk}/comments", {"content": "Friday noon.", "parent_id": first.pk}
    )
    assert response.status_code == 302
    item = InboxItem.objects.get(user=reader)
    assert item.kind == "reply" and item.work is None
    assert "replied to your comment on Server move" in item.text
    # The inbox shows it, with a reply form posting back to the news post.
    inbox = client_for(reader).get("/inbox").content.decode()
    assert f'action="/admin_posts/{post.pk}/comments"' in inbox
    assert InboxItem.objects.filter(user=admin_user).count() == 0


def test_authors_edit_and_admins_or_moderators_delete_news_comments(
    admin_user, reader, bob, moderator, client_for
):
    post = make_post(admin_user)
    comment = comment_create_on_news(post=post, user=reader, content="First!")
    assert client_for(bob).get(f"/comments/{comment.pk}/edit").status_code == 403
    response = client_for(reader).post(f"/comments/{comment.pk}/edit", {"content": "Second!"})
    assert response.status_code == 302
    assert client_for(bob).post(f"/comments/{comment.pk}/delete").status_code == 403
    assert "Comment on Server move" in text(Client().get(f"/comments/{comment.pk}"))
    response = client_for(moderator).post(f"/comments/{comment.pk}/delete")
    assert response["Location"] == f"/admin_posts/{post.pk}#comments"
    assert Comment.objects.count() == 0
    other = comment_create_on_news(post=post, user=reader, content="Again")
    assert client_for(admin_user).post(f"/comments/{other.pk}/delete").status_code == 302
    assert Comment.objects.count() == 0


def test_moderated_news_comments_wait_for_an_admin(admin_user, reader, client_for):
    post = make_post(admin_user, comments_moderated=True)
    client_for(reader).post(f"/admin_posts/{post.pk}/comments", {"content": "Waiting"})
    comment = Comment.objects.get()
    assert comment.status == CommentStatus.PENDING
    assert "Waiting" not in text(Client().get(f"/admin_posts/{post.pk}"))
    assert "Awaiting approval" in text(client_for(admin_user).get(f"/admin_posts/{post.pk}"))
    assert client_for(reader).post(f"/comments/{comment.pk}/approve").status_code == 403
    client_for(admin_user).post(f"/comments/{comment.pk}/approve")
    assert "Waiting" in text(Client().get(f"/admin_posts/{post.pk}"))


def test_news_comments_never_touch_works(admin_user, alice, reader):
    """Work-only paths ignore news comments: counts, creators' inboxes, the work's threads."""
    work = make_work(alice, title="Tides")
    comment_create(work=work, user=reader, content="On the work")
    post = make_post(admin_user)
    comment_create_on_news(post=post, user=reader, content="On the news")
    assert Work.objects.get(pk=work.pk).comment_count == 1
    assert InboxItem.objects.filter(user=alice).count() == 1
    page = text(Client().get(f"/works/{work.pk}"))
    assert "On the work" in page and "On the news" not in page
    assert "On the work" not in text(Client().get(f"/admin_posts/{post.pk}"))


def test_a_comment_must_be_on_exactly_one_thing(admin_user, alice):
    from django.db import IntegrityError, transaction

    work = make_work(alice)
    post = make_post(admin_user)
    for target in [{}, {"work": work, "news_post": post}]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Comment.objects.create(content="x", **target)


def test_a_reply_from_another_page_is_refused(admin_user, alice, reader, client_for):
    work = make_work(alice)
    on_work = comment_create(work=work, user=reader, content="On the work")
    post = make_post(admin_user)
    response = client_for(reader).post(
        f"/admin_posts/{post.pk}/comments", {"content": "x", "parent_id": on_work.pk}
    )
    assert response.status_code == 404
    assert Comment.objects.count() == 1


@override_settings(FANFOLD_RATE_LIMITS={"comment": {"user": (100, 60), "ip": (1, 60)}})
def test_guest_comments_on_news_are_rate_limited_per_ip(admin_user):
    post = make_post(admin_user)
    data = {"content": "Hi", "guest_name": "Wren", "guest_email": "wren@example.org"}
    client = Client()
    assert client.post(f"/admin_posts/{post.pk}/comments", data).status_code == 302
    data["content"] = "Hi again"
    assert client.post(f"/admin_posts/{post.pk}/comments", data).status_code == 429
    assert Comment.objects.count() == 1
