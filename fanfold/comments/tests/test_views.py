"""Comment pages: posting and replying through the forms, who sees which buttons, who may
edit, delete, freeze and approve, and the messages people get when they may not."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from fanfold.blocking.services import user_block
from fanfold.comments.models import Comment
from fanfold.comments.services import (
    BLOCKED_BY_CREATOR,
    GUESTS_OFF,
    comment_create,
)
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db


def post_comment(client, work, **data):
    return client.post(reverse("comment_create", args=[work.pk]), data)


def test_a_reader_comments_and_sees_it_under_the_work(alice, bob, client_for):
    work = make_work(alice, title="Tides")
    client = client_for(bob)
    response = post_comment(client, work, content="<p>What a <em>lovely</em> ending</p>")
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/works/{work.pk}#comment-{comment.pk}"
    page = client.get(response["Location"])
    assert "Comment created!" in text(page)
    assert "Comments (1)" in text(page)
    assert "<em>lovely</em>" in page.content.decode()
    assert Work.objects.get(pk=work.pk).comment_count == 1


def test_a_comment_on_a_chapter_shows_on_that_chapters_page(alice, bob, client_for):
    work = make_work(alice, chapters=2)
    one, two = work.chapters.order_by("position")
    client = client_for(bob)
    response = post_comment(client, work, content="Chapter two!", chapter_id=two.pk)
    assert response["Location"].startswith(f"/works/{work.pk}/chapters/{two.pk}#comment-")
    assert "Chapter two!" in text(client.get(two.get_absolute_url()))
    assert "Chapter two!" not in text(client.get(one.get_absolute_url()))
    assert "Chapter two!" in text(client.get(f"/works/{work.pk}?view_full_work=true"))


def test_empty_comment_shows_the_form_again_with_a_message(alice, bob, client_for):
    work = make_work(alice)
    response = post_comment(client_for(bob), work, content="  ")
    assert response.status_code == 200
    assert "Please write something in your comment." in text(response)
    assert not Comment.objects.exists()


def test_guest_comment_needs_name_and_email(alice):
    work = make_work(alice)
    guest = Client()
    page = guest.get(work.get_absolute_url())
    assert 'name="guest_name"' in page.content.decode()
    response = post_comment(guest, work, content="Hi", guest_name="", guest_email="nope")
    assert "Please tell us your name." in text(response)
    assert "Please enter a valid e-mail address." in text(response)
    assert not Comment.objects.exists()
    response = post_comment(
        guest, work, content="Hi", guest_name="Wren", guest_email="wren@example.org"
    )
    assert response.status_code == 302
    assert "Wren (Guest)" in text(guest.get(work.get_absolute_url()))


def test_guests_are_told_where_guests_may_not_comment(alice):
    work = make_work(alice, comment_permission="registered")
    guest = Client()
    assert GUESTS_OFF in text(guest.get(work.get_absolute_url()))
    response = post_comment(
        guest, work, content="Hi", guest_name="Wren", guest_email="wren@example.org"
    )
    assert response.status_code == 403
    assert GUESTS_OFF in text(response)
    assert not Comment.objects.exists()


def test_a_blocked_user_is_told_and_nothing_is_stored(alice, bob, client_for):
    work = make_work(alice)
    user_block(user=alice, blocked=bob)
    client = client_for(bob)
    assert BLOCKED_BY_CREATOR in text(client.get(work.get_absolute_url()))
    response = post_comment(client, work, content="Let me in")
    assert response.status_code == 403
    assert BLOCKED_BY_CREATOR in text(response)
    assert not Comment.objects.exists()


def test_replying_from_the_comments_page(alice, bob, reader, client_for):
    work = make_work(alice)
    parent = comment_create(work=work, user=bob, content="Top")
    client = client_for(reader)
    page = client.get(reverse("comment_detail", args=[parent.pk]))
    assert 'id="add-reply"' in page.content.decode()
    response = post_comment(client, work, content="A reply", parent_id=parent.pk)
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.user == reader and reply.depth == 1


def test_a_reply_to_another_works_comment_is_not_found(alice, bob, client_for):
    work = make_work(alice)
    other = make_work(bob)
    parent = comment_create(work=other, user=alice, content="Elsewhere")
    response = post_comment(client_for(bob), work, content="Hi", parent_id=parent.pk)
    assert response.status_code == 404


def test_only_the_author_may_open_the_edit_page(alice, bob, reader, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Frist")
    url = reverse("comment_edit", args=[comment.pk])
    assert client_for(reader).get(url).status_code == 403
    assert client_for(alice).post(url, {"content": "Hacked"}).status_code == 403
    assert Client().get(url).status_code == 302  # guests log in first
    response = client_for(bob).post(url, {"content": ""})
    assert "Please write something in your comment." in text(response)
    response = client_for(bob).post(url, {"content": "First!"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert "First!" in comment.content


def test_buttons_each_visitor_sees(alice, bob, reader, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    edit = reverse("comment_edit", args=[comment.pk])
    delete = reverse("comment_delete", args=[comment.pk])
    freeze = reverse("comment_freeze", args=[comment.pk])
    author = client_for(bob).get(work.get_absolute_url()).content.decode()
    assert edit in author and delete in author and freeze not in author
    creator = client_for(alice).get(work.get_absolute_url()).content.decode()
    assert edit not in creator and delete in creator and freeze in creator
    other = client_for(reader).get(work.get_absolute_url()).content.decode()
    assert edit not in other and delete not in other and freeze not in other


def test_delete_page_for_author_and_creator_only(alice, bob, reader, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    url = reverse("comment_delete", args=[comment.pk])
    assert client_for(reader).get(url).status_code == 403
    assert client_for(reader).post(url).status_code == 403
    assert "Are you sure" in text(client_for(alice).get(url))
    assert client_for(alice).post(url).status_code == 302
    assert not Comment.objects.exists()
    assert Work.objects.get(pk=work.pk).comment_count == 0


def test_freeze_for_creators_only(alice, bob, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    url = reverse("comment_freeze", args=[comment.pk])
    assert client_for(bob).post(url, {"action": "freeze"}).status_code == 403
    client_for(alice).post(url, {"action": "freeze"})
    comment.refresh_from_db()
    assert comment.is_frozen
    page = text(client_for(bob).get(reverse("comment_detail", args=[comment.pk])))
    assert "frozen and can't be replied to" in page
    client_for(alice).post(url, {"action": "unfreeze"})
    comment.refresh_from_db()
    assert not comment.is_frozen


def test_comment_settings_and_approval(alice, bob, reader, client_for):
    work = make_work(alice)
    url = reverse("comment_settings", args=[work.pk])
    assert client_for(bob).get(url).status_code == 403
    assert Client().get(url).status_code == 302
    assert url in client_for(alice).get(work.get_absolute_url()).content.decode()
    assert url not in client_for(bob).get(work.get_absolute_url()).content.decode()
    client_for(alice).post(url, {"moderated": "on"})
    commenter = client_for(bob)
    response = post_comment(commenter, work, content="Waiting")
    assert "after the work's creator has approved it" in text(commenter.get(response["Location"]))
    comment = Comment.objects.get()
    assert "Waiting" not in text(client_for(reader).get(work.get_absolute_url()))
    creator_page = text(client_for(alice).get(work.get_absolute_url()))
    assert (
        "Awaiting approval" in creator_page and "1 comment awaiting your approval" in creator_page
    )
    approve = reverse("comment_approve", args=[comment.pk])
    assert client_for(bob).post(approve).status_code == 403
    client_for(alice).post(approve)
    assert "Waiting" in text(client_for(reader).get(work.get_absolute_url()))
    assert Work.objects.get(pk=work.pk).comment_count == 1


def test_comment_pages_follow_the_works_visibility(alice, bob, client_for):
    draft = make_work(alice, post=False)
    restricted = make_work(alice, is_restricted=True)
    comment = comment_create(work=restricted, user=bob, content="Members only")
    assert Client().get(reverse("comment_detail", args=[comment.pk])).status_code == 302
    assert client_for(bob).get(reverse("comment_detail", args=[comment.pk])).status_code == 200
    assert post_comment(client_for(bob), draft, content="Hi").status_code == 404
    response = post_comment(
        Client(), restricted, content="Hi", guest_name="W", guest_email="w@example.org"
    )
    assert response.status_code == 302 and "/login" in response["Location"]
    assert Comment.objects.count() == 1


@override_settings(FANFOLD_RATE_LIMITS={"comment": {"user": (2, 60), "ip": (100, 60)}})
def test_comments_are_rate_limited_per_user(alice, bob, client_for):
    work = make_work(alice)
    client = client_for(bob)
    assert post_comment(client, work, content="1").status_code == 302
    assert post_comment(client, work, content="2").status_code == 302
    response = post_comment(client, work, content="3")
    assert response.status_code == 429
    assert Comment.objects.count() == 2


@override_settings(FANFOLD_RATE_LIMITS={"comment": {"user": (100, 60), "ip": (1, 60)}})
def test_comments_are_rate_limited_per_ip(alice):
    work = make_work(alice)
    data = {"content": "Hi", "guest_name": "W", "guest_email": "w@example.org"}
    assert post_comment(Client(), work, **data).status_code == 302
    assert post_comment(Client(), work, **data).status_code == 429


def test_deep_threads_fold_into_a_disclosure(alice, bob):
    work = make_work(alice)
    parent = None
    for number in range(6):
        parent = comment_create(work=work, user=bob, content=f"Level {number}", parent=parent)
    page = Client().get(work.get_absolute_url()).content.decode()
    assert '<details class="more-replies"><summary>2 more replies</summary>' in page


def test_after_commenting_the_form_sends_the_visitor_back_where_it_says_on_this_site_only(
    alice, bob, admin_user, client_for
):
    from fanfold.news.services import news_post_create

    work = make_work(alice, title="Tides")
    post = news_post_create(user=admin_user, title="Server move", body="<p>On Friday.</p>")
    client = client_for(bob)
    back = post_comment(client, work, content="Back to the list", next="/works?page=2")
    assert back["Location"] == "/works?page=2"
    elsewhere = post_comment(client, work, content="Not away", next="https://evil.example/")
    comment = Comment.objects.get(content__contains="Not away")
    assert elsewhere["Location"] == f"/works/{work.pk}#comment-{comment.pk}"
    news_url = reverse("news_comment_create", args=[post.pk])
    back = client.post(news_url, {"content": "Thanks", "next": "/admin_posts"})
    assert back["Location"] == "/admin_posts"
    elsewhere = client.post(news_url, {"content": "Again", "next": "//evil.example/"})
    comment = Comment.objects.get(content__contains="Again")
    assert elsewhere["Location"] == f"/admin_posts/{post.pk}#comment-{comment.pk}"


def test_a_refused_news_comment_shows_the_form_again_for_the_post(admin_user, reader, client_for):
    from fanfold.news.services import news_post_create

    post = news_post_create(
        user=admin_user, title="Quiet week", body="<p>Nothing new.</p>", comment_permission="nobody"
    )
    response = client_for(reader).post(
        reverse("news_comment_create", args=[post.pk]), {"content": "Still here"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "Comments are closed on this post." in text(response)
    assert f'action="{reverse("news_comment_create", args=[post.pk])}"' in page
    assert not Comment.objects.exists()


def test_moderators_see_every_comment_on_a_work_they_hid_waiting_ones_too(
    alice, bob, reader, moderator, client_for
):
    from fanfold.comments.services import comment_settings_update
    from fanfold.works.services import work_hide

    work = make_work(alice, title="Under Review")
    comment_settings_update(work=work, user=alice, moderated=True)
    waiting = comment_create(work=work, user=bob, content="<p>Waiting words</p>")
    assert not waiting.is_published
    detail = reverse("comment_detail", args=[waiting.pk])
    permalink = reverse("comment_permalink", args=[waiting.pk])
    client = client_for(moderator)
    # While everyone may read the work, a comment waiting for its creators' approval is theirs.
    assert "Waiting words" not in text(client.get(work.get_absolute_url()))
    assert client.get(detail).status_code == 404
    assert client.get(permalink).status_code == 404

    work_hide(work=work, moderator=moderator, reason="Reported; under review.")
    page = text(client.get(work.get_absolute_url()))
    assert "Waiting words" in page and "Awaiting approval" in page
    assert "Waiting words" in text(client.get(detail))
    assert client.get(permalink)["Location"] == f"/works/{work.pk}#comment-{waiting.pk}"
    # The creator still sees it; other readers see neither the hidden work nor the comment.
    assert "Waiting words" in text(client_for(alice).get(work.get_absolute_url()))
    assert client_for(reader).get(detail).status_code == 404
    assert client_for(reader).get(work.get_absolute_url()).status_code == 404
