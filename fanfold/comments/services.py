"""Every write to comments. Work.comment_count counts published, not deleted comments and is
kept equal to those rows: each service first locks the work's row, then the comment's
(select_for_update; on SQLite every write transaction is already exclusive), decides from the
locked state whether the count changes, and writes the row and the count's F() update in the
same transaction. Taking the work's lock first, always, gives every comment write on a work the
same lock order, so concurrent replies, deletions and approvals queue instead of deadlocking
(PostgreSQL found such a cycle under the concurrency test before this order was fixed).

Comments on site news posts (Comment.news_post, fanfold.news) go through the same functions,
except creation (comment_create_on_news): they take the post's row lock instead of a work's,
have no comment count, no creators to tell or to be blocked by, and are managed by the
archive's admins and moderators. A guest's comment on either may be held for moderation by the
spam heuristic (spam.py)."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from fanfold.blocking.selectors import user_has_blocked
from fanfold.core.permissions import is_admin_or_moderator, is_moderator, require_moderator
from fanfold.inbox.models import InboxKind
from fanfold.inbox.services import inbox_add
from fanfold.news.models import NewsPost
from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import work_get_for_reading, work_user_is_creator
from fanfold.works.text import sanitize_html

from .models import Comment, CommentSettings, CommentStatus
from .selectors import comment_permission_for, news_comment_permission_for
from .spam import ip_hash, spam_hold_reason

MAX_CONTENT = 10_000  # AO3's limit, in characters of the text as typed
MAX_GUEST_NAME = 100

COMMENTS_OFF = "Sorry, this work doesn't allow comments."
GUESTS_OFF = "Sorry, this work doesn't allow non-Archive users to comment. Please log in."
BLOCKED_BY_CREATOR = (
    "Sorry, you have been blocked by one or more of this work's creators and can't comment on it."
)
BLOCKED_BY_AUTHOR = "Sorry, you have been blocked by that user and can't reply to their comments."
FROZEN = "Sorry, this comment thread has been frozen and can't be replied to."


def _is_user(user) -> bool:
    return user is not None and user.is_authenticated


def _readable_work(*, work: Work, user) -> Work:
    """The work with its creators loaded, if this visitor may read it; else PermissionDenied."""
    readable = work_get_for_reading(work_id=work.pk, user=user if _is_user(user) else None)
    if readable is None or (readable.is_restricted and not _is_user(user)):
        raise PermissionDenied("You can't comment on this work.")
    return readable


def _creator_users(work: Work) -> list:
    users = {}
    for creatorship in work.approved_creatorships:
        users[creatorship.pseud.user_id] = creatorship.pseud.user
    return list(users.values())


def comment_settings_for(work: Work) -> CommentSettings:
    """The work's comment settings (unsaved defaults when it has none yet)."""
    try:
        return CommentSettings.objects.get(work=work)
    except CommentSettings.DoesNotExist:
        return CommentSettings(work=work)


def _clean_content(content: str) -> str:
    content = (content or "").strip()
    if not strip_tags(content).strip():
        raise ValidationError({"content": "Please write something in your comment."})
    if len(content) > MAX_CONTENT:
        raise ValidationError(
            {
                "content": f"Your comment is too long: {len(content):,} characters, "
                f"the most is {MAX_CONTENT:,}."
            }
        )
    cleaned = sanitize_html(content)
    if not strip_tags(cleaned).strip():
        raise ValidationError({"content": "Please write something in your comment."})
    return cleaned


def _excerpt(comment: Comment) -> str:
    text = " ".join(strip_tags(comment.content).split())
    return text[:300]


def _email_later(comment: Comment, user, kind: str) -> None:
    """Queue the e-mail about this inbox entry once the transaction commits (a rolled-back
    comment mails nobody); the task decides at send time whether it still goes."""
    from .tasks import email_comment_notification

    comment_id, user_id = comment.pk, user.pk
    transaction.on_commit(
        lambda: email_comment_notification.enqueue(
            comment_id=comment_id, user_id=user_id, kind=kind
        )
    )


def comment_notification_email(*, comment_id: int, user_id: int, kind: str) -> bool:
    """Send the e-mail about a comment on the user's work (kind "comment") or a reply to their
    comment ("reply"), if it still stands when the background task runs: the comment is still
    there, not hidden, and published (a comment waiting for approval is news to the creators
    only); the user is active, has an address and wants comment e-mails; nobody is mailed
    about their own comment, nor about one by someone they muted, nor when either of the two
    blocked the other. Returns whether it was sent."""
    from django.contrib.auth import get_user_model

    from fanfold.blocking.models import Block
    from fanfold.blocking.selectors import user_has_muted
    from fanfold.inbox.selectors import comment_emails_wanted

    from .selectors import comment_location_url

    comment = (
        Comment.objects.select_related("user", "work", "chapter", "parent")
        .filter(pk=comment_id, is_deleted=False, is_hidden=False)
        .first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if comment is None or user is None or not user.email:
        return False
    if not comment.is_published and kind != InboxKind.COMMENT:
        return False
    author = comment.user
    if author is not None:
        if author.pk == user.pk or user_has_muted(muter=user, user=author):
            return False
        if Block.objects.filter(
            Q(blocker=user, blocked=author) | Q(blocker=author, blocked=user)
        ).exists():
            return False
    if not comment_emails_wanted(user=user):
        return False
    work = comment.work
    if work is None:
        return False  # comments on news posts are told in the inbox only
    is_creator = kind == InboxKind.COMMENT
    site = settings.SITE_URL.rstrip("/")
    context = {
        "user": user,
        "comment": comment,
        "work": work,
        "kind": kind,
        "text": " ".join(strip_tags(comment.content).split()),
        "url": site + comment_location_url(comment=comment, viewer=user, is_creator=is_creator),
        "preferences_url": site + reverse("user_preferences", args=[user.username]),
        "SITE_NAME": settings.SITE_NAME,
    }
    if kind == InboxKind.REPLY:
        subject = f"[{settings.SITE_NAME}] Reply to your comment on {work.title}"
    else:
        subject = f"[{settings.SITE_NAME}] Comment on {work.title}"
    body = render_to_string("comments/notification_email.txt", context)
    send_mail(subject, body, None, [user.email])
    return True


def _notify(comment: Comment, work: Work) -> None:
    """Inbox entries for a newly visible (or newly waiting) comment: the work's creators hear
    of comments on their work, the parent comment's author of replies to them. Nobody hears of
    their own comment, nor of one by someone they muted."""
    from fanfold.blocking.selectors import user_has_muted

    author = comment.user
    url = f"/comments/{comment.pk}"
    told = set()
    # A reply waiting for approval is news to the creators only, until it is approved.
    if comment.is_published and _notify_reply(comment, title=work.title, work=work):
        assert comment.parent is not None
        told.add(comment.parent.user_id)
    for creator in _creator_users(work):
        if creator.pk in told or creator.pk == getattr(author, "pk", None):
            continue
        if user_has_muted(muter=creator, user=author):
            continue
        waiting = " (awaiting your approval)" if not comment.is_published else ""
        inbox_add(
            user=creator,
            kind=InboxKind.COMMENT,
            text=f"{comment.author_name} commented on {work.title}{waiting}: {_excerpt(comment)}",
            url=url,
            work=work,
            comment=comment,
        )
        _email_later(comment, creator, InboxKind.COMMENT)


def _checked_parent(parent: Comment, *, user, work_id=None, news_post_id=None) -> Comment:
    """The comment replied to, read again under the target's lock: it must still exist, be on
    the same work or news post, be published and open, and its author must not have blocked
    the replying user."""
    found = Comment.objects.select_related("user").filter(pk=parent.pk).first()
    if found is None:
        raise ValidationError({"parent": "That comment has been deleted."})
    parent = found
    if parent.work_id != work_id or parent.news_post_id != news_post_id:
        raise ValidationError({"parent": "That comment is not on this page."})
    if parent.is_deleted or not parent.is_published or parent.is_hidden:
        raise ValidationError({"parent": "That comment can't be replied to."})
    if parent.is_frozen:
        raise PermissionDenied(FROZEN)
    if _is_user(user) and user_has_blocked(blocker=parent.user, user=user):
        raise PermissionDenied(BLOCKED_BY_AUTHOR)
    return parent


def _checked_input(
    *, is_user: bool, content: str, guest_name: str, guest_email: str
) -> tuple[str, str, str]:
    """The comment's sanitized text and the guest's name and address, or every problem with
    them at once."""
    errors = {}
    try:
        cleaned = _clean_content(content)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    guest_name = (guest_name or "").strip()
    guest_email = (guest_email or "").strip()
    if not is_user:
        if not guest_name:
            errors["guest_name"] = ["Please tell us your name."]
        elif len(guest_name) > MAX_GUEST_NAME:
            errors["guest_name"] = [f"Your name can be at most {MAX_GUEST_NAME} characters."]
        try:
            validate_email(guest_email)
        except ValidationError:
            errors["guest_email"] = ["Please enter a valid e-mail address."]
    if errors:
        raise ValidationError(errors)
    return cleaned, guest_name, guest_email


def _insert(*, user, parent: Comment | None, moderated: bool, ip: str, **fields) -> Comment:
    """Write the comment's row (and its thread). A guest's comment that looks like spam is
    held, waiting like one on a moderated work, with the reason for moderators."""
    is_user = _is_user(user)
    held_reason = digest = ""
    if not is_user:
        digest = ip_hash(ip)
        held_reason = spam_hold_reason(
            content=fields["content"], guest_name=fields["guest_name"], ip_digest=digest
        )
    waits = moderated or bool(held_reason)
    comment = Comment.objects.create(
        **fields,
        parent=parent,
        thread_id=parent.thread_id if parent is not None else None,
        depth=parent.depth + 1 if parent is not None else 0,
        user=user if is_user else None,
        status=CommentStatus.PENDING if waits else CommentStatus.PUBLISHED,
        held_reason=held_reason,
        ip_hash=digest,
    )
    if parent is None:
        Comment.objects.filter(pk=comment.pk).update(thread=comment)
        comment.thread = comment
    return comment


@transaction.atomic
def comment_create(
    *,
    work: Work,
    user=None,
    content: str,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
    guest_name: str = "",
    guest_email: str = "",
    ip: str = "",
) -> Comment:
    """A comment on the work (on `chapter` when given) or a reply to `parent`, by the logged-in
    `user` or by a guest with a name and e-mail address, as the work's comment permission
    allows. On a moderated work it waits for a creator's approval (creators' own comments do
    not), and so does a guest's comment that looks like spam (`ip`: the guest's address).
    Raises PermissionDenied with a message the commenter can read when they may not."""
    work = _readable_work(work=work, user=user)
    is_user = _is_user(user)
    check = comment_permission_for(work=work, user=user)
    if not check.allowed:
        raise PermissionDenied(check.reason)
    is_creator = is_user and work_user_is_creator(work=work, user=user)

    _lock_work(work.pk)  # before reading the parent, so it cannot be deleted meanwhile
    if parent is not None:
        parent = _checked_parent(parent, user=user, work_id=work.pk)
        chapter_id = parent.chapter_id
    elif chapter is not None:
        if chapter.work_id != work.pk or not chapter.is_posted:
            raise ValidationError({"chapter": "That chapter is not part of this work."})
        chapter_id = chapter.pk
    else:
        chapter_id = None

    cleaned, guest_name, guest_email = _checked_input(
        is_user=is_user, content=content, guest_name=guest_name, guest_email=guest_email
    )
    moderated = comment_settings_for(work).moderated and not is_creator
    comment = _insert(
        user=user,
        parent=parent,
        moderated=moderated,
        ip=ip,
        work=work,
        chapter_id=chapter_id,
        guest_name="" if is_user else guest_name,
        guest_email="" if is_user else guest_email,
        content=cleaned,
    )
    if comment.counts:
        Work.objects.filter(pk=work.pk).update(comment_count=F("comment_count") + 1)
    _notify(comment, work)
    return comment


def _lock_news_post(post_id: int) -> None:
    NewsPost.objects.select_for_update(no_key=True).filter(pk=post_id).values_list(
        "pk", flat=True
    ).first()


@transaction.atomic
def comment_create_on_news(
    *,
    post: NewsPost,
    user=None,
    content: str,
    parent: Comment | None = None,
    guest_name: str = "",
    guest_email: str = "",
    ip: str = "",
) -> Comment:
    """A comment on a published news post, or a reply to one of its comments, as the post's
    comment permission allows. On a post with moderated comments it waits for an admin's or
    moderator's approval (theirs do not); a guest's comment that looks like spam waits too.
    Only the author of the comment replied to is told (in their inbox)."""
    current = NewsPost.objects.filter(pk=post.pk).first()
    if current is None or not current.is_published:
        raise PermissionDenied("You can't comment on this post.")
    post = current
    check = news_comment_permission_for(post=post, user=user)
    if not check.allowed:
        raise PermissionDenied(check.reason)
    is_user = _is_user(user)
    _lock_news_post(post.pk)
    if parent is not None:
        parent = _checked_parent(parent, user=user, news_post_id=post.pk)
    cleaned, guest_name, guest_email = _checked_input(
        is_user=is_user, content=content, guest_name=guest_name, guest_email=guest_email
    )
    comment = _insert(
        user=user,
        parent=parent,
        moderated=post.comments_moderated and not is_admin_or_moderator(user),
        ip=ip,
        news_post=post,
        guest_name="" if is_user else guest_name,
        guest_email="" if is_user else guest_email,
        content=cleaned,
    )
    if comment.is_published:
        _notify_reply(comment, title=post.title, work=None)
    return comment


def _notify_reply(comment: Comment, *, title: str, work: Work | None) -> bool:
    """Tell the author of the comment replied to (in their inbox; by e-mail too for a reply on
    a work, as their preferences allow), unless they wrote the reply themselves or muted its
    author. The one place a reply is told, when it is posted and when it is approved, on works
    and on news posts. Returns whether they were told."""
    from fanfold.blocking.selectors import user_has_muted

    if comment.parent is None or comment.parent.user is None:
        return False
    parent_author = comment.parent.user
    if parent_author.pk == comment.user_id or user_has_muted(
        muter=parent_author, user=comment.user
    ):
        return False
    inbox_add(
        user=parent_author,
        kind=InboxKind.REPLY,
        text=f"{comment.author_name} replied to your comment on {title}: {_excerpt(comment)}",
        url=f"/comments/{comment.pk}",
        work=work,
        comment=comment,
    )
    if work is not None:
        _email_later(comment, parent_author, InboxKind.REPLY)
    return True


def _lock_work(work_id: int) -> None:
    """Take the work row's lock that every comment write takes first (NO KEY UPDATE, so that it
    does not wait for inserts that merely reference the work, such as kudos)."""
    Work.objects.select_for_update(no_key=True).filter(pk=work_id).values_list(
        "pk", flat=True
    ).first()


def _locked(comment: Comment) -> Comment:
    if comment.news_post_id is not None:
        _lock_news_post(comment.news_post_id)
    elif comment.work_id is not None:
        _lock_work(comment.work_id)
    return Comment.objects.select_for_update(of=("self",)).select_related("user").get(pk=comment.pk)


def _may_manage(*, comment: Comment, user) -> Work | NewsPost:
    """The comment's work if the user is one of its creators or a moderator (its news post if
    the user is an admin or a moderator); else PermissionDenied."""
    if comment.news_post_id is not None:
        if is_admin_or_moderator(user):
            return NewsPost.objects.get(pk=comment.news_post_id)
        raise PermissionDenied("Only the archive's admins and moderators can do that.")
    work = work_get_for_reading(work_id=comment.work_id or 0, user=user)
    if (
        work is not None
        and _is_user(user)
        and (work_user_is_creator(work=work, user=user) or is_moderator(user))
    ):
        return work
    raise PermissionDenied("Only the work's creators can do that.")


@transaction.atomic
def comment_update(*, comment: Comment, user, content: str) -> Comment:
    """The author edits their own comment (not once it is deleted or its thread frozen)."""
    comment = _locked(comment)
    if not _is_user(user) or comment.user_id != user.pk:
        raise PermissionDenied("Only the comment's author can edit it.")
    if comment.is_deleted:
        raise PermissionDenied("This comment has been deleted.")
    if comment.is_frozen:
        raise PermissionDenied("Sorry, this comment thread has been frozen and can't be edited.")
    comment.content = _clean_content(content)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["content", "edited_at"])
    return comment


def comment_may_delete(*, comment: Comment, user, is_creator: bool) -> bool:
    """Whether the user may delete the comment: its author, the work's creators, moderators."""
    if not _is_user(user):
        return False
    return comment.user_id == user.pk or is_creator or is_moderator(user)


@transaction.atomic
def comment_delete(*, comment: Comment, user) -> None:
    """Delete a comment: its author, the work's creators and moderators may. A comment with
    replies stays as a placeholder ("Previous comment deleted") so its thread holds together."""
    comment = _locked(comment)
    if not (_is_user(user) and comment.user_id == user.pk):
        _may_manage(comment=comment, user=user)
    if comment.is_deleted:
        return
    counted = comment.counts
    if Comment.objects.filter(parent=comment).exists():
        comment.is_deleted = True
        comment.content = ""
        comment.save(update_fields=["is_deleted", "content"])
    else:
        comment.delete()
    if counted and comment.work_id is not None:
        Work.objects.filter(pk=comment.work_id).update(comment_count=F("comment_count") - 1)


def _subtree_ids(comment: Comment) -> list[int]:
    """The comment and every reply under it, at any depth (one query over its thread)."""
    rows = Comment.objects.filter(thread_id=comment.thread_id).values_list("pk", "parent_id")
    children: dict[int, list[int]] = {}
    for pk, parent_id in rows:
        children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [comment.pk]
    while todo:
        current = todo.pop()
        ids.append(current)
        todo.extend(children.get(current, []))
    return ids


@transaction.atomic
def comment_freeze(*, comment: Comment, user, frozen: bool = True) -> int:
    """Freeze (or unfreeze) a comment and every reply under it: nobody can reply to or edit
    them. The work's creators and moderators may. Returns how many comments changed."""
    comment = _locked(comment)
    _may_manage(comment=comment, user=user)
    return Comment.objects.filter(pk__in=_subtree_ids(comment)).update(is_frozen=frozen)


@transaction.atomic
def comment_approve(*, comment: Comment, user) -> Comment:
    """A creator (or moderator) approves a comment waiting on a moderated work: it is published
    and counted, and the author of the comment it replies to hears of it."""
    comment = _locked(comment)
    target = _may_manage(comment=comment, user=user)
    if comment.status != CommentStatus.PENDING:
        return comment
    comment.status = CommentStatus.PUBLISHED
    comment.save(update_fields=["status"])
    if isinstance(target, NewsPost):
        _notify_reply(comment, title=target.title, work=None)
        return comment
    work = target
    if comment.counts:
        Work.objects.filter(pk=work.pk).update(comment_count=F("comment_count") + 1)
    # The work's creators heard of the reply when it was posted (it awaited their approval).
    parent = comment.parent
    if parent is not None and not (
        parent.user is not None and work_user_is_creator(work=work, user=parent.user)
    ):
        _notify_reply(comment, title=work.title, work=work)
    return comment


MAX_HIDDEN_REASON = 500


@transaction.atomic
def comment_hide(*, comment: Comment, moderator, reason: str) -> Comment:
    """A moderator hides a comment pending review: only its writer (who may still edit it) and
    moderators see it, replies under it are out of sight with it, and it leaves the work's
    comment count. Hiding a hidden comment again changes its reason only. Callers tell the
    writer and write the audit log (fanfold.moderation.services.moderation_comment_hide)."""
    require_moderator(moderator, "Only moderators may hide comments.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationError({"reason": "Please say why; the comment's writer is told."})
    if len(reason) > MAX_HIDDEN_REASON:
        raise ValidationError(
            {"reason": f"Please keep the reason under {MAX_HIDDEN_REASON} characters."}
        )
    comment = _locked(comment)
    if comment.is_deleted:
        raise ValidationError({"reason": "This comment has been deleted."})
    counted = comment.counts
    comment.is_hidden = True
    comment.hidden_reason = reason
    comment.hidden_at = timezone.now()
    comment.hidden_by = moderator
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    if counted and comment.work_id is not None:
        Work.objects.filter(pk=comment.work_id).update(comment_count=F("comment_count") - 1)
    return comment


@transaction.atomic
def comment_unhide(*, comment: Comment, moderator) -> Comment:
    """A moderator makes a hidden comment visible again (and counted, if it is published)."""
    require_moderator(moderator, "Only moderators may make hidden comments visible.")
    comment = _locked(comment)
    if not comment.is_hidden:
        return comment
    comment.is_hidden = False
    comment.hidden_reason = ""
    comment.hidden_at = None
    comment.hidden_by = None
    comment.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "hidden_by"])
    if comment.counts and comment.work_id is not None:
        Work.objects.filter(pk=comment.work_id).update(comment_count=F("comment_count") + 1)
    return comment


@transaction.atomic
def comment_settings_update(*, work: Work, user, moderated: bool) -> CommentSettings:
    """A creator turns comment moderation on or off for their work. Comments already waiting
    keep waiting for approval either way."""
    readable = work_get_for_reading(work_id=work.pk, user=user)
    if readable is None or not work_user_is_creator(work=readable, user=user):
        raise PermissionDenied("Only the work's creators can change its comment settings.")
    settings_row, _ = CommentSettings.objects.get_or_create(work=readable)
    if settings_row.moderated != moderated:
        settings_row.moderated = moderated
        settings_row.save(update_fields=["moderated"])
    return settings_row


@transaction.atomic
def comment_import(
    *,
    work: Work,
    content: str,
    chapter: Chapter | None = None,
    user=None,
    guest_name: str = "",
    created_at=None,
) -> Comment:
    """A comment brought over from another archive by an admin's import (the eFiction
    importer's reviews). comment_create is for a visitor commenting now, so it refuses what an
    import legitimately has: a guest reviewer known only by name (no e-mail address), a work
    that is still a draft or does not allow comments today, and an old date; and it would fill
    the creators' inboxes with years-old news. This keeps what matters to the archive: the text
    is checked and sanitized the same way, the work's row is locked first and
    Work.comment_count rises in the same transaction as the row."""
    if chapter is not None and chapter.work_id != work.pk:
        raise ValidationError({"chapter": "That chapter is not part of this work."})
    is_user = _is_user(user)
    guest_name = " ".join((guest_name or "").split())[:MAX_GUEST_NAME] or "Guest"
    cleaned = _clean_content(content)
    _lock_work(work.pk)
    comment = Comment.objects.create(
        work=work,
        chapter=chapter,
        user=user if is_user else None,
        guest_name="" if is_user else guest_name,
        content=cleaned,
        status=CommentStatus.PUBLISHED,
    )
    # created_at is auto_now_add, so the old date is written after the row exists.
    fields: dict = {"thread": comment}
    if created_at is not None:
        fields["created_at"] = created_at
    Comment.objects.filter(pk=comment.pk).update(**fields)
    comment.refresh_from_db()
    Work.objects.filter(pk=work.pk).update(comment_count=F("comment_count") + 1)
    return comment
