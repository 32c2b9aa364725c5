import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanfold.accounts.services import user_delete
from fanfold.blocking.services import user_block, user_mute
from fanfold.comments.models import Comment, CommentStatus
from fanfold.comments.selectors import COLLAPSE_DEPTH, HIDDEN, comment_thread, comment_threads
from fanfold.comments.services import (
    BLOCKED_BY_AUTHOR,
    BLOCKED_BY_CREATOR,
    COMMENTS_OFF,
    FROZEN,
    GUESTS_OFF,
    MAX_CONTENT,
    comment_approve,
    comment_create,
    comment_delete,
    comment_freeze,
    comment_settings_update,
    comment_update,
)
from fanfold.inbox.models import InboxItem
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import chapter_delete, work_hide

pytestmark = pytest.mark.django_db

GUEST = AnonymousUser()


def count(work) -> int:
    return Work.objects.get(pk=work.pk).comment_count


def rows_counted(work) -> int:
    return Comment.objects.filter(
        work=work, status=CommentStatus.PUBLISHED, is_deleted=False
    ).count()


def test_comment_and_threaded_replies_are_counted_and_notify(alice, bob, reader):
    work = make_work(alice, title="Tides")
    first = comment_create(work=work, user=bob, content="<p>Lovely!</p>")
    reply = comment_create(work=work, user=reader, content="Agreed", parent=first)
    deeper = comment_create(work=work, user=bob, content="Thanks", parent=reply)
    assert (first.depth, reply.depth, deeper.depth) == (0, 1, 2)
    assert {first.thread_id, reply.thread_id, deeper.thread_id} == {first.pk}
    assert count(work) == 3 == rows_counted(work)
    # alice hears of every comment on her work; bob of the reply to his comment, reader of
    # the reply to theirs; nobody of their own.
    assert InboxItem.objects.filter(user=alice, kind="comment").count() == 3
    assert InboxItem.objects.get(user=bob, kind="reply").comment == reply
    assert InboxItem.objects.get(user=reader, kind="reply").comment == deeper
    threads = comment_threads(work=work, viewer=None, is_creator=False)
    assert [node.comment for node in threads] == [first]
    assert threads[0].children[0].children[0].comment == deeper


def test_markup_is_sanitized_like_work_text(alice, bob):
    work = make_work(alice)
    comment = comment_create(
        work=work, user=bob, content='<p onclick="x()">Hi<script>alert(1)</script></p>'
    )
    assert "script" not in comment.content and "onclick" not in comment.content
    assert "Hi" in comment.content


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Please write something"),
        ("   <p> </p> ", "Please write something"),
        ("<script>only()</script>", "Please write something"),
        ("x" * (MAX_CONTENT + 1), "too long"),
    ],
)
def test_empty_or_too_long_comments_are_refused(alice, bob, content, message):
    work = make_work(alice)
    with pytest.raises(ValidationError) as exc:
        comment_create(work=work, user=bob, content=content)
    assert message in exc.value.message_dict["content"][0]
    assert not Comment.objects.exists() and count(work) == 0


def test_guests_comment_with_name_and_email(alice):
    work = make_work(alice)
    comment = comment_create(
        work=work, user=GUEST, content="Hi", guest_name="Wren", guest_email="wren@example.org"
    )
    assert comment.author_name == "Wren" and comment.user is None
    assert count(work) == 1


@pytest.mark.parametrize(
    ("name", "email", "field"),
    [("", "wren@example.org", "guest_name"), ("Wren", "not-an-address", "guest_email")],
)
def test_guests_need_a_name_and_a_valid_email(alice, name, email, field):
    work = make_work(alice)
    with pytest.raises(ValidationError) as exc:
        comment_create(work=work, user=GUEST, content="Hi", guest_name=name, guest_email=email)
    assert field in exc.value.message_dict
    assert not Comment.objects.exists()


def test_guests_cannot_comment_where_guests_are_off(alice, bob):
    work = make_work(alice, comment_permission="registered")
    with pytest.raises(PermissionDenied) as exc:
        comment_create(work=work, user=GUEST, content="Hi", guest_name="W", guest_email="w@x.org")
    assert str(exc.value) == GUESTS_OFF
    comment_create(work=work, user=bob, content="Hi")
    assert count(work) == 1


def test_nobody_comments_where_comments_are_off(alice, bob):
    work = make_work(alice, comment_permission="nobody")
    for user in (bob, alice):
        with pytest.raises(PermissionDenied) as exc:
            comment_create(work=work, user=user, content="Hi")
        assert str(exc.value) == COMMENTS_OFF
    assert not Comment.objects.exists()


def test_no_comments_on_drafts_hidden_works_or_restricted_works_for_guests(alice, moderator):
    hidden = make_work(alice)
    work_hide(work=hidden, moderator=moderator, reason="Review")
    for user in (alice, moderator):
        with pytest.raises(PermissionDenied) as exc:
            comment_create(work=hidden, user=user, content="Hi")
        assert str(exc.value) == HIDDEN
    draft = make_work(alice, post=False)
    restricted = make_work(alice, is_restricted=True)
    with pytest.raises(PermissionDenied):
        comment_create(work=draft, user=alice, content="Hi")
    with pytest.raises(PermissionDenied):
        comment_create(
            work=restricted, user=GUEST, content="Hi", guest_name="W", guest_email="w@example.org"
        )
    assert not Comment.objects.exists()


def test_a_blocked_user_cannot_comment_nor_reply_to_the_blocker(alice, bob, reader):
    work = make_work(alice)
    other = make_work(reader)
    alices_comment = comment_create(work=other, user=alice, content="Nice")
    user_block(user=alice, blocked=bob)
    with pytest.raises(PermissionDenied) as exc:
        comment_create(work=work, user=bob, content="Hi")
    assert str(exc.value) == BLOCKED_BY_CREATOR
    with pytest.raises(PermissionDenied) as exc:
        comment_create(work=other, user=bob, content="Hi", parent=alices_comment)
    assert str(exc.value) == BLOCKED_BY_AUTHOR
    # Elsewhere bob comments as before.
    comment_create(work=other, user=bob, content="Hello")
    assert Comment.objects.filter(user=bob).count() == 1


def test_only_the_author_edits_a_comment(alice, bob, reader):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Frist")
    for user in (alice, reader, GUEST):
        with pytest.raises(PermissionDenied):
            comment_update(comment=comment, user=user, content="Mine now")
    edited = comment_update(comment=comment, user=bob, content="First!")
    assert "First!" in edited.content and edited.edited_at is not None
    with pytest.raises(ValidationError):
        comment_update(comment=comment, user=bob, content=" ")


def test_authors_and_creators_delete_others_may_not(alice, bob, reader, moderator):
    work = make_work(alice)
    by_bob = comment_create(work=work, user=bob, content="One")
    by_reader = comment_create(work=work, user=reader, content="Two")
    third = comment_create(work=work, user=reader, content="Three")
    with pytest.raises(PermissionDenied):
        comment_delete(comment=by_bob, user=reader)
    comment_delete(comment=by_bob, user=bob)
    comment_delete(comment=by_reader, user=alice)
    comment_delete(comment=third, user=moderator)
    assert not Comment.objects.exists()
    assert count(work) == 0


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(alice, bob, reader):
    work = make_work(alice)
    parent = comment_create(work=work, user=bob, content="Parent")
    comment_create(work=work, user=reader, content="Child", parent=parent)
    comment_delete(comment=parent, user=bob)
    comment_delete(comment=parent, user=bob)  # twice changes nothing
    parent.refresh_from_db()
    assert parent.is_deleted and parent.content == ""
    assert count(work) == 1 == rows_counted(work)
    threads = comment_threads(work=work, viewer=None, is_creator=False)
    assert threads[0].comment.is_deleted and len(threads[0].children) == 1


def test_creators_freeze_a_thread_others_may_not(alice, bob, reader):
    work = make_work(alice)
    root = comment_create(work=work, user=bob, content="Root")
    reply = comment_create(work=work, user=reader, content="Reply", parent=root)
    with pytest.raises(PermissionDenied):
        comment_freeze(comment=root, user=bob)
    assert comment_freeze(comment=root, user=alice) == 2
    with pytest.raises(PermissionDenied) as exc:
        comment_create(work=work, user=reader, content="More", parent=reply)
    assert str(exc.value) == FROZEN
    with pytest.raises(PermissionDenied):
        comment_update(comment=root, user=bob, content="Changed")
    comment_freeze(comment=root, user=alice, frozen=False)
    comment_create(work=work, user=reader, content="More", parent=reply)


def test_moderated_comments_wait_for_approval_then_count(alice, bob, reader):
    work = make_work(alice)
    with pytest.raises(PermissionDenied):
        comment_settings_update(work=work, user=bob, moderated=True)
    comment_settings_update(work=work, user=alice, moderated=True)
    waiting = comment_create(work=work, user=bob, content="Please approve")
    own = comment_create(work=work, user=alice, content="My own note")
    assert waiting.status == CommentStatus.PENDING and own.is_published
    assert count(work) == 1 == rows_counted(work)
    # Readers do not see it; its author and the creators do.
    assert [n.comment for n in comment_threads(work=work, viewer=reader, is_creator=False)] == [own]
    assert waiting in [n.comment for n in comment_threads(work=work, viewer=bob, is_creator=False)]
    assert "awaiting your approval" in InboxItem.objects.get(user=alice).text
    with pytest.raises(ValidationError):
        comment_create(work=work, user=reader, content="Reply", parent=waiting)
    with pytest.raises(PermissionDenied):
        comment_approve(comment=waiting, user=bob)
    comment_approve(comment=waiting, user=alice)
    comment_approve(comment=waiting, user=alice)  # twice counts once
    assert count(work) == 2 == rows_counted(work)


def test_a_deleted_chapters_comments_stay_on_the_work(alice, bob):
    work = make_work(alice, chapters=2)
    chapter = work.chapters.get(position=2)
    comment_create(work=work, user=bob, content="On chapter two", chapter=chapter)
    chapter_delete(chapter=chapter, user=alice)
    assert count(work) == 1 == rows_counted(work)


def test_a_deleted_accounts_comments_stay(alice, bob):
    work = make_work(alice)
    comment = comment_create(work=work, user=bob, content="Hi")
    user_delete(user=bob, works="delete")
    comment.refresh_from_db()
    assert comment.author_name == "(deleted account)"
    assert count(work) == 1


def test_muted_users_comments_and_their_replies_are_removed_for_the_muter(alice, bob, reader):
    work = make_work(alice)
    by_bob = comment_create(work=work, user=bob, content="Bob")
    comment_create(work=work, user=reader, content="Under bob", parent=by_bob)
    by_reader = comment_create(work=work, user=reader, content="Reader")
    user_mute(user=alice, muted=bob)
    shown = comment_threads(work=work, viewer=alice, is_creator=True)
    assert [node.comment for node in shown] == [by_reader]
    assert comment_thread(comment=by_bob, viewer=alice, is_creator=True) is None
    # Comments from then on by the muted user send the muter nothing.
    InboxItem.objects.all().delete()
    comment_create(work=work, user=bob, content="Again")
    assert not InboxItem.objects.filter(user=alice).exists()


def test_replies_beyond_the_collapse_depth_are_folded(alice, bob):
    work = make_work(alice)
    parent = None
    for number in range(COLLAPSE_DEPTH + 2):
        parent = comment_create(work=work, user=bob, content=f"Level {number}", parent=parent)
    node = comment_threads(work=work, viewer=None, is_creator=False)[0]
    depth = 0
    while not node.collapsed:
        node = node.children[0]
        depth += 1
    assert depth == COLLAPSE_DEPTH - 1
    assert node.reply_count == 2


def test_an_approved_reply_is_told_to_the_replied_to_author_unless_they_muted_its_writer(
    alice, bob, reader, django_capture_on_commit_callbacks
):
    from django.core import mail

    work = make_work(alice, title="Tides")
    top = comment_create(work=work, user=bob, content="Top")
    comment_settings_update(work=work, user=alice, moderated=True)
    reply = comment_create(work=work, user=reader, content="A reply", parent=top)
    # Waiting for approval, the reply is news to the creator only.
    assert not InboxItem.objects.filter(user=bob).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=reply, user=alice)
    (told,) = InboxItem.objects.filter(user=bob, kind="reply")
    assert told.text.startswith("reader replied to your comment on Tides: A reply")
    assert [message.to for message in mail.outbox] == [[bob.email]]

    muted_reply = comment_create(work=work, user=reader, content="Another", parent=top)
    user_mute(user=bob, muted=reader)
    with django_capture_on_commit_callbacks(execute=True):
        comment_approve(comment=muted_reply, user=alice)
    assert InboxItem.objects.filter(user=bob, kind="reply").count() == 1
    assert len(mail.outbox) == 1
