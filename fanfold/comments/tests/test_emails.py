"""Comment notifications by e-mail: comments on one's works and replies to one's comments are
e-mailed by a background task as well as put in the inbox, unless the user switched comment
e-mails off; never about one's own comment, nor between users who blocked or muted each
other. The first test goes through the real task queue and worker."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from fanfold.blocking.services import user_block, user_mute
from fanfold.comments.services import (
    comment_approve,
    comment_create,
    comment_notification_email,
    comment_settings_update,
)
from fanfold.inbox.models import InboxItem
from fanfold.inbox.services import inbox_settings_update
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db


def sent_to() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
def test_the_worker_emails_the_creator_and_the_replied_to_commenter(alice, bob, reader):
    from django_tasks_db.models import DBTaskResult

    work = make_work(alice, title="Tides")
    ours = DBTaskResult.objects.filter(task_path__contains="comments")
    top = comment_create(work=work, user=bob, content="<p>The <em>harbour</em> scene!</p>")
    reply = comment_create(work=work, user=reader, content="Agreed, the harbour", parent=top)
    # Queued, not sent: bob's comment tells alice; reader's reply tells bob and alice.
    assert ours.count() == 3 and mail.outbox == []

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    assert set(ours.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert sent_to() == sorted([alice.email, alice.email, bob.email])
    to_bob = next(message for message in mail.outbox if message.to == [bob.email])
    assert to_bob.subject.endswith("Reply to your comment on Tides")
    assert "reader replied to your comment on Tides" in to_bob.body
    assert "Agreed, the harbour" in to_bob.body
    assert f"/works/{work.pk}#comment-{reply.pk}" in to_bob.body
    assert "/users/bob/preferences" in to_bob.body
    to_alice = [message for message in mail.outbox if message.to == [alice.email]]
    assert {message.subject.split("] ")[1] for message in to_alice} == {"Comment on Tides"}
    assert "The harbour scene!" in to_alice[0].body  # as text: no markup in a plain e-mail
    # The inbox entries are there too.
    assert InboxItem.objects.filter(user=bob, kind="reply").count() == 1


def send(comment, user, kind) -> bool:
    return comment_notification_email(comment_id=comment.pk, user_id=user.pk, kind=kind)


def test_switched_off_comment_emails_are_not_sent_but_the_inbox_still_is(alice, bob):
    work = make_work(alice)
    inbox_settings_update(user=alice, comment_emails=False)
    comment = comment_create(work=work, user=bob, content="Hello")
    assert send(comment, alice, "comment") is False
    assert mail.outbox == []
    assert InboxItem.objects.filter(user=alice, comment=comment).exists()
    inbox_settings_update(user=alice, comment_emails=True)
    assert send(comment, alice, "comment") is True
    assert sent_to() == [alice.email]


def test_no_email_between_blocked_or_muted_users_nor_about_ones_own(alice, bob, reader):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hello")
    assert send(comment, bob, "comment") is False  # one's own comment
    user_mute(user=alice, muted=bob)
    assert send(comment, alice, "comment") is False
    other = make_work(reader)
    comment = comment_create(work=other, user=bob, content="Hi")
    user_block(user=bob, blocked=reader)  # the commenter blocked the creator since
    assert send(comment, reader, "comment") is False
    assert mail.outbox == []


def test_no_email_once_the_comment_is_gone_or_hidden_or_the_user_has_no_address(
    alice, bob, moderator
):
    from fanfold.comments.services import comment_delete, comment_hide

    work = make_work(alice)
    hidden = comment_create(work=work, user=bob, content="Hidden soon")
    comment_hide(comment=hidden, moderator=moderator, reason="Review")
    assert send(hidden, alice, "comment") is False
    deleted = comment_create(work=work, user=bob, content="Deleted soon")
    comment_delete(comment=deleted, user=bob)
    assert comment_notification_email(comment_id=deleted.pk, user_id=alice.pk, kind="comment") is (
        False
    )
    kept = comment_create(work=work, user=bob, content="Kept")
    alice.email = ""
    alice.save(update_fields=["email"])
    assert send(kept, alice, "comment") is False
    assert mail.outbox == []


def test_a_comment_awaiting_approval_is_emailed_to_the_creator_only(alice, bob, reader):
    work = make_work(alice)
    top = comment_create(work=work, user=reader, content="Top")
    comment_settings_update(work=work, user=alice, moderated=True)
    waiting = comment_create(work=work, user=bob, content="Waiting", parent=top)
    assert send(waiting, alice, "comment") is True
    assert "waits for your approval" in mail.outbox[0].body
    assert send(waiting, reader, "reply") is False
    comment_approve(comment=waiting, user=alice)
    assert send(waiting, reader, "reply") is True


def test_posting_queues_one_email_per_inbox_entry(
    alice, bob, reader, django_capture_on_commit_callbacks
):
    """With the immediate task backend of the tests, the e-mails go as the transaction
    commits: one for each inbox entry the comment made."""
    work = make_work(alice, title="Tides")
    top = comment_create(work=work, user=bob, content="Top")
    with django_capture_on_commit_callbacks(execute=True):
        comment_create(work=work, user=reader, content="Reply", parent=top)
        comment_create(work=work, user=alice, content="The writer's own reply", parent=top)
    # reader's reply: bob and alice; alice's reply: bob (alice is not told of her own).
    assert sent_to() == sorted([alice.email, bob.email, bob.email])
