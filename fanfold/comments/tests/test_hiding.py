"""Moderators hide a comment pending review: it vanishes for everyone but its writer (who is
told, sees a notice and may still edit it) and moderators, leaves the counts, and comes back
when made visible again. Only moderators may do either."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fanfold.comments.models import Comment
from fanfold.comments.services import comment_create, comment_hide, comment_unhide
from fanfold.inbox.models import InboxItem
from fanfold.inbox.selectors import inbox_items_for_user
from fanfold.moderation.models import AuditLogEntry
from fanfold.moderation.services import moderation_comment_hide, moderation_comment_unhide
from fanfold.testing.factories import make_work
from fanfold.testing.pages import page_text as text
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db

NOTICE = "This comment has been hidden by a moderator pending review."


def count(work) -> int:
    return Work.objects.get(pk=work.pk).comment_count


@pytest.fixture
def hidden(alice, bob, reader, moderator, django_capture_on_commit_callbacks):
    """bob's comment on alice's work, with reader's reply under it, hidden by the moderator
    (the e-mails sent once the transaction commits)."""
    work = make_work(alice, title="Tides")
    comment = comment_create(work=work, user=bob, content="Spammy words")
    reply = comment_create(work=work, user=reader, content="Replying to it", parent=comment)
    assert count(work) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_comment_hide(comment=comment, moderator=moderator, reason="Looks like spam")
    return work, comment, reply


def test_hiding_takes_the_comment_out_of_the_count_and_tells_the_writer(hidden, bob):
    work, comment, _reply = hidden
    comment.refresh_from_db()
    assert comment.is_hidden and comment.hidden_reason == "Looks like spam"
    assert count(work) == 1  # the reply still counts; the hidden comment no longer does
    (notice,) = InboxItem.objects.filter(user=bob, kind="moderation")
    assert "hidden by a moderator pending review" in notice.text
    assert "Looks like spam" in notice.text
    assert [message.to for message in mail.outbox] == [[bob.email]]
    assert "hidden pending review" in mail.outbox[0].subject
    entry = AuditLogEntry.objects.get(action="hide comment")
    assert entry.detail == "Looks like spam" and f"comment {comment.pk}" in entry.target


def test_only_its_writer_and_moderators_see_a_hidden_comment(
    hidden, alice, bob, reader, moderator, client_for
):
    work, comment, _reply = hidden
    detail = reverse("comment_detail", args=[comment.pk])
    for viewer in (Client(), client_for(alice), client_for(reader)):
        page = text(viewer.get(work.get_absolute_url()))
        assert "Spammy words" not in page and "Replying to it" not in page
        assert viewer.get(detail).status_code == 404
        assert viewer.get(reverse("comment_permalink", args=[comment.pk])).status_code == 404
    for viewer in (client_for(bob), client_for(moderator)):
        page = text(viewer.get(work.get_absolute_url()))
        assert "Spammy words" in page and NOTICE in page and "Looks like spam" in page
        assert viewer.get(detail).status_code == 200
    # The creator's inbox entry about the comment goes out of sight with it.
    assert not inbox_items_for_user(user=alice).filter(comment=comment).exists()


def test_the_writer_may_still_edit_but_nobody_may_reply(hidden, bob, reader, client_for):
    work, comment, _reply = hidden
    edit = reverse("comment_edit", args=[comment.pk])
    response = client_for(bob).post(edit, {"content": "Words, rewritten"})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert "rewritten" in comment.content and comment.is_hidden
    own_reply_link = f"/comments/{comment.pk}#add-reply"
    assert own_reply_link not in client_for(bob).get(work.get_absolute_url()).content.decode()
    with pytest.raises(ValidationError):
        comment_create(work=work, user=reader, content="Another", parent=comment)
    response = client_for(reader).post(
        reverse("comment_create", args=[work.pk]), {"content": "x", "parent_id": comment.pk}
    )
    assert "That comment can't be replied to." in text(response)


def test_making_it_visible_again_restores_the_count(hidden, bob, reader, moderator):
    work, comment, _reply = hidden
    moderation_comment_unhide(comment=comment, moderator=moderator)
    comment.refresh_from_db()
    assert not comment.is_hidden and comment.hidden_reason == ""
    assert count(work) == 2
    assert AuditLogEntry.objects.filter(action="unhide comment").count() == 1
    assert InboxItem.objects.filter(user=bob, kind="moderation").count() == 2
    # Unhiding a visible comment changes nothing and logs nothing.
    moderation_comment_unhide(comment=comment, moderator=moderator)
    assert count(work) == 2 and AuditLogEntry.objects.filter(action="unhide comment").count() == 1


def test_deleting_a_hidden_comment_does_not_count_it_twice(hidden, bob):
    """Its writer deletes it: it left the count when hidden, so the count does not fall again."""
    from fanfold.comments.services import comment_delete

    work, comment, reply = hidden
    comment_delete(comment=reply, user=reply.user)
    comment_delete(comment=comment, user=bob)
    assert count(work) == 0 == Comment.objects.filter(work=work, is_deleted=False).count()


def test_only_moderators_may_hide_or_unhide(alice, bob, reader, moderator, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    for user in (alice, bob, reader):
        with pytest.raises(PermissionDenied):
            comment_hide(comment=comment, moderator=user, reason="No")
        with pytest.raises(PermissionDenied):
            moderation_comment_hide(comment=comment, moderator=user, reason="No")
        with pytest.raises(PermissionDenied):
            comment_unhide(comment=comment, moderator=user)
    hide = reverse("comment_hide", args=[comment.pk])
    unhide = reverse("comment_unhide", args=[comment.pk])
    assert "/login" in Client().get(hide)["Location"]
    for user in (alice, bob, reader):
        assert client_for(user).get(hide).status_code == 403
        assert client_for(user).post(hide, {"reason": "No"}).status_code == 403
        assert client_for(user).post(unhide).status_code == 403
    comment.refresh_from_db()
    assert not comment.is_hidden
    # The buttons: moderators only.
    assert hide not in client_for(alice).get(work.get_absolute_url()).content.decode()
    assert hide in client_for(moderator).get(work.get_absolute_url()).content.decode()


def test_the_hide_form_needs_a_reason(alice, bob, moderator, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    client = client_for(moderator)
    url = reverse("comment_hide", args=[comment.pk])
    response = client.post(url, {"reason": "   "})
    assert response.status_code == 200
    assert "The comment was not hidden." in text(response)
    with pytest.raises(ValidationError):
        comment_hide(comment=comment, moderator=moderator, reason="x" * 501)
    comment.refresh_from_db()
    assert not comment.is_hidden and count(work) == 1
    response = client.post(url, {"reason": "Off topic"})
    assert response["Location"] == reverse("comment_detail", args=[comment.pk])
    assert "its writer has been told" in text(client.get(response["Location"]))
    response = client.post(reverse("comment_unhide", args=[comment.pk]))
    assert "visible again" in text(client.get(response["Location"]))
    assert count(work) == 1


def test_a_guest_writer_is_told_by_email(alice, moderator, django_capture_on_commit_callbacks):
    work = make_work(alice)
    comment = comment_create(
        work=work, content="Buy now", guest_name="Wren", guest_email="wren@example.org"
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moderation_comment_hide(comment=comment, moderator=moderator, reason="Advertising")
    assert [message.to for message in mail.outbox] == [["wren@example.org"]]
    assert "Advertising" in mail.outbox[0].body


def test_making_visible_is_a_button_not_a_page(alice, bob, moderator, client_for):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    moderation_comment_hide(comment=comment, moderator=moderator, reason="Checking")
    unhide = reverse("comment_unhide", args=[comment.pk])
    assert "/login" in Client().post(unhide)["Location"]
    assert client_for(moderator).get(unhide).status_code == 405
    comment.refresh_from_db()
    assert comment.is_hidden


def test_a_comment_on_a_news_post_is_hidden_from_its_own_page(
    admin_user, bob, moderator, client_for
):
    from fanfold.comments.services import comment_create_on_news
    from fanfold.news.services import news_post_create

    post = news_post_create(user=admin_user, title="Server move", body="<p>On Friday.</p>")
    comment = comment_create_on_news(post=post, user=bob, content="<p>Spammy link</p>")
    client = client_for(moderator)
    url = reverse("comment_hide", args=[comment.pk])
    form = client.get(url).content.decode()
    assert f'<a href="{post.get_absolute_url()}">Server move</a>' in form
    response = client.post(url, {"reason": "Advertising"})
    assert response["Location"] == reverse("comment_detail", args=[comment.pk])
    assert "Spammy link" not in text(Client().get(post.get_absolute_url()))
    client.post(reverse("comment_unhide", args=[comment.pk]))
    assert "Spammy link" in text(Client().get(post.get_absolute_url()))
