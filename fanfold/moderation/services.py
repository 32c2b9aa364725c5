"""Every moderation write: abuse reports, their handling, hiding works, suspending and banning
accounts, deleting spam in bulk. Each moderator action is recorded in the audit log by
audit_record, in the same transaction as the action itself."""

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from fanfold.accounts.models import User
from fanfold.comments import services as comment_services
from fanfold.comments.models import Comment
from fanfold.core.permissions import require_moderator
from fanfold.inbox.models import InboxKind
from fanfold.inbox.services import inbox_add
from fanfold.works.models import Work
from fanfold.works.services import work_hide, work_remove_creator, work_unhide

from .models import AbuseReport, AuditLogEntry, ReportCategory, ReportStatus

logger = logging.getLogger(__name__)
DESCRIPTION_MIN, DESCRIPTION_MAX = 10, 5000
MAX_SUSPENSION_DAYS = 3650


def _send_later(subject: str, body: str, recipients: list[str]) -> None:
    """Send an e-mail once the transaction commits. A mail server that is down must not undo a
    moderator's action, so a failure is logged, not raised."""

    def send() -> None:
        try:
            send_mail(subject, body, None, recipients)
        except Exception:
            logger.exception("Could not send the e-mail %r to %s", subject, recipients)

    if recipients:
        transaction.on_commit(send)


def audit_record(*, actor, action: str, target: str, detail: str = "") -> AuditLogEntry:
    """Record one moderator or admin action."""
    return AuditLogEntry.objects.create(
        actor=actor, actor_name=actor.get_username(), action=action, target=target[:255],
        detail=detail,
    )  # fmt: skip


def _target_of(url: str) -> tuple[str, Work | None, User | None, Comment | None]:
    """The archive page a report is about, from its address: (path, work, user, comment). Only
    pages of this archive can be reported. A comment's report names the comment and its writer
    (not its work: acting on the report must not hit the work's creators)."""
    parts = urlsplit(url.strip())
    site = urlsplit(settings.SITE_URL)
    if parts.scheme and (parts.scheme, parts.netloc) != (site.scheme, site.netloc):
        raise ValidationError({"url": "Please give the address of a page of this archive."})
    path = parts.path or ""
    if not path.startswith("/"):
        raise ValidationError({"url": "Please give the address of a page of this archive."})
    try:
        match = resolve(path)
    except Resolver404:
        raise ValidationError(
            {"url": "There is no page of this archive at that address."}
        ) from None
    work = user = comment = None
    if "comment_id" in match.kwargs:
        comment = (
            Comment.objects.select_related("user").filter(pk=match.kwargs["comment_id"]).first()
        )
        if comment is None or comment.is_deleted:
            raise ValidationError({"url": "That comment does not exist (any more)."})
        user = comment.user
        path = reverse("comment_detail", args=[comment.pk])
    elif "work_id" in match.kwargs:
        work = Work.objects.filter(pk=match.kwargs["work_id"]).first()
        if work is None:
            raise ValidationError({"url": "That work does not exist (any more)."})
    elif "username" in match.kwargs:
        user = User.objects.filter(username__iexact=match.kwargs["username"]).first()
        if user is None:
            raise ValidationError({"url": "That user does not exist (any more)."})
    return path, work, user, comment


@transaction.atomic
def report_create(
    *, reporter, url: str, category: str, description: str, email: str = ""
) -> AbuseReport:
    """A report about a page of this archive, from a user or a guest. Rate limits are applied by
    the view (per address and per user)."""
    errors: dict[str, str] = {}
    description = (description or "").strip()
    if category not in ReportCategory.values:
        errors["category"] = "Please choose what the problem is."
    if len(description) < DESCRIPTION_MIN:
        errors["description"] = (
            "Please describe the problem in a sentence or two, so moderators can act on it."
        )
    elif len(description) > DESCRIPTION_MAX:
        errors["description"] = f"Please keep the description under {DESCRIPTION_MAX} characters."
    try:
        path, work, user, comment = _target_of(url or "")
    except ValidationError as error:
        errors.update({k: v[0] for k, v in error.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    if reporter is not None and not reporter.is_authenticated:
        reporter = None
    return AbuseReport.objects.create(
        reporter=reporter, reporter_email="" if reporter else (email or "").strip(),
        url=path, work=work, reported_user=user, comment=comment, category=category,
        description=description,
    )  # fmt: skip


@transaction.atomic
def report_set_status(
    *, report: AbuseReport, moderator, status: str, note: str = ""
) -> AbuseReport:
    require_moderator(moderator)
    if status not in ReportStatus.values:
        raise ValidationError({"status": "Unknown status."})
    report = AbuseReport.objects.select_for_update().get(pk=report.pk)
    report.status = status
    report.resolution_note = (note or "").strip()
    report.handled_by = moderator
    report.handled_at = timezone.now()
    report.save()
    audit_record(
        actor=moderator, action=f"report {status}", target=f"report {report.pk} on {report.url}",
        detail=report.resolution_note,
    )  # fmt: skip
    return report


def _tell_creators(work: Work, subject: str, body: str) -> None:
    recipients = sorted(
        {c.pseud.user.email for c in work.creatorships.filter(approved=True).select_related(
            "pseud__user") if c.pseud.user.email}
    )  # fmt: skip
    _send_later(subject, body, recipients)


@transaction.atomic
def moderation_work_hide(*, work: Work, moderator, reason: str) -> Work:
    """Hide a work pending review; its creators are told why by e-mail and on the work page."""
    require_moderator(moderator)
    work = work_hide(work=work, moderator=moderator, reason=reason)
    audit_record(actor=moderator, action="hide work", target=f"work {work.pk}: {work.title}",
                 detail=work.hidden_reason)  # fmt: skip
    _tell_creators(
        work,
        f"Your work “{work.title}” has been hidden pending review",
        f"The archive's moderators have hidden your work “{work.title}” while they review it. "
        f"You can still see and edit it.\n\nThe reason given: {work.hidden_reason}\n\n"
        f"{settings.SITE_URL}{work.get_absolute_url()}\n",
    )
    return work


@transaction.atomic
def moderation_work_unhide(*, work: Work, moderator) -> Work:
    require_moderator(moderator)
    work = work_unhide(work=work, moderator=moderator)
    audit_record(actor=moderator, action="unhide work", target=f"work {work.pk}: {work.title}")
    _tell_creators(
        work,
        f"Your work “{work.title}” is visible again",
        f"The archive's moderators have finished reviewing “{work.title}”; it is visible again."
        f"\n\n{settings.SITE_URL}{work.get_absolute_url()}\n",
    )
    return work


def _tell_comment_writer(comment: Comment, subject: str, body: str, inbox_text: str) -> None:
    """The comment's writer hears of a moderator's action: in their inbox (a registered user)
    and by e-mail (their account's address, or the one a guest left)."""
    if comment.user is not None:
        inbox_add(
            user=comment.user, kind=InboxKind.MODERATION, text=inbox_text,
            url=reverse("comment_detail", args=[comment.pk]), work=comment.work,
            comment=comment,
        )  # fmt: skip
    address = comment.user.email if comment.user is not None else comment.guest_email
    _send_later(subject, body, [address] if address else [])


def _comment_target(comment: Comment) -> str:
    on = f"news post {comment.news_post_id}" if comment.news_post_id else f"work {comment.work_id}"
    return f"comment {comment.pk} by {comment.author_name} on {on}: " + comment.target.title


@transaction.atomic
def moderation_comment_hide(*, comment: Comment, moderator, reason: str) -> Comment:
    """Hide a comment pending review (comments.services.comment_hide); its writer is told why
    in their inbox and by e-mail, and the action goes into the audit log."""
    require_moderator(moderator)
    comment = comment_services.comment_hide(comment=comment, moderator=moderator, reason=reason)
    comment = Comment.objects.select_related("user", "work", "news_post").get(pk=comment.pk)
    audit_record(actor=moderator, action="hide comment", target=_comment_target(comment),
                 detail=comment.hidden_reason)  # fmt: skip
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('comment_detail', args=[comment.pk])}"
    _tell_comment_writer(
        comment,
        f"Your comment on “{comment.target.title}” has been hidden pending review",
        f"The archive's moderators have hidden your comment on “{comment.target.title}” while "
        f"they review it. Only you and the moderators can see it, and you can still edit it."
        f"\n\nThe reason given: {comment.hidden_reason}\n\n{link}\n",
        f"Your comment on {comment.target.title} has been hidden by a moderator pending review. "
        f"The reason given: {comment.hidden_reason}",
    )
    return comment


@transaction.atomic
def moderation_comment_unhide(*, comment: Comment, moderator) -> Comment:
    """Make a hidden comment visible again; its writer is told and the audit log records it."""
    require_moderator(moderator)
    was_hidden = Comment.objects.filter(pk=comment.pk, is_hidden=True).exists()
    comment = comment_services.comment_unhide(comment=comment, moderator=moderator)
    comment = Comment.objects.select_related("user", "work", "news_post").get(pk=comment.pk)
    if not was_hidden:
        return comment
    audit_record(actor=moderator, action="unhide comment", target=_comment_target(comment))
    link = f"{settings.SITE_URL.rstrip('/')}{reverse('comment_detail', args=[comment.pk])}"
    _tell_comment_writer(
        comment,
        f"Your comment on “{comment.target.title}” is visible again",
        f"The archive's moderators have finished reviewing your comment on "
        f"“{comment.target.title}”; it is visible again.\n\n{link}\n",
        f"Your comment on {comment.target.title} is visible again: the moderators have finished "
        f"reviewing it.",
    )
    return comment


def _require_may_act_on(moderator, user: User) -> None:
    require_moderator(moderator)
    if user.pk == moderator.pk:
        raise PermissionDenied("Moderators can't suspend or ban themselves.")
    if user.is_superuser or (user.is_moderator and not moderator.is_superuser):
        raise PermissionDenied("Only an admin may suspend or ban a moderator or an admin.")


@transaction.atomic
def user_suspend(*, user: User, moderator, days: int, reason: str) -> User:
    """The user may read but not post or change works until the suspension ends."""
    _require_may_act_on(moderator, user)
    errors = {}
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = "Please say why; the user is told."
    if not isinstance(days, int) or not 1 <= days <= MAX_SUSPENSION_DAYS:
        errors["days"] = f"A suspension lasts from 1 to {MAX_SUSPENSION_DAYS} days."
    if errors:
        raise ValidationError(errors)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.suspended_until = timezone.now() + timedelta(days=days)
    user.suspension_reason = reason[:500]
    user.save(update_fields=["suspended_until", "suspension_reason"])
    audit_record(actor=moderator, action="suspend user", target=f"user {user.username}",
                 detail=f"{days} days: {reason}")  # fmt: skip
    if user.email:
        body = (
            f"Your account {user.username} has been suspended until "
            f"{timezone.localtime(user.suspended_until):%d %b %Y}. Until then you can read but "
            f"not post or change works.\n\nThe reason given: {reason}\n"
        )
        _send_later("Your account has been suspended", body, [user.email])
    return user


@transaction.atomic
def user_unsuspend(*, user: User, moderator) -> User:
    _require_may_act_on(moderator, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.suspended_until = None
    user.suspension_reason = ""
    user.save(update_fields=["suspended_until", "suspension_reason"])
    audit_record(actor=moderator, action="unsuspend user", target=f"user {user.username}")
    return user


@transaction.atomic
def user_ban(*, user: User, moderator, reason: str, delete_works: bool = False) -> int:
    """Ban: the account can't log in any more (its sessions end). With delete_works (spam),
    the works it created alone are deleted and it is taken off co-created ones. Returns the
    number of works deleted or left."""
    _require_may_act_on(moderator, user)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please say why the account is banned."})
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = False
    user.save(update_fields=["is_active"])
    removed = 0
    if delete_works:
        works = Work.objects.filter(creatorships__pseud__user=user).distinct()
        for work in works:
            work_remove_creator(work=work, user=user)
            removed += 1
    audit_record(
        actor=moderator, action="ban user", target=f"user {user.username}",
        detail=reason + (f" (works removed: {removed})" if delete_works else ""),
    )  # fmt: skip
    return removed


@transaction.atomic
def user_unban(*, user: User, moderator) -> User:
    _require_may_act_on(moderator, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.is_active = True
    user.save(update_fields=["is_active"])
    audit_record(actor=moderator, action="unban user", target=f"user {user.username}")
    return user


@transaction.atomic
def spam_delete_bulk(*, reports: list[AbuseReport], moderator, reason: str) -> int:
    """Deal with a wave of spam at once: ban every account the chosen reports are about (the
    reported user, or the creators of the reported work), delete their works, and resolve the
    reports. Returns the number of accounts banned."""
    require_moderator(moderator)
    if not reports:
        raise ValidationError({"reports": "Please choose the reports to treat as spam."})
    users: dict[int, User] = {}
    for report in reports:
        if report.reported_user is not None:
            users[report.reported_user.pk] = report.reported_user
        if report.work is not None:
            for creatorship in report.work.creatorships.filter(approved=True).select_related(
                "pseud__user"
            ):
                users[creatorship.pseud.user.pk] = creatorship.pseud.user
    for user in users.values():
        _require_may_act_on(moderator, user)
    for user in users.values():
        if user.username == settings.FANFOLD_ORPHAN_USERNAME:
            continue  # orphaned works belong to nobody to ban
        user_ban(user=user, moderator=moderator, reason=reason or "spam", delete_works=True)
    for report in reports:
        report_set_status(report=report, moderator=moderator, status=ReportStatus.RESOLVED,
                          note=f"Spam: {reason}".strip())  # fmt: skip
    return len(users)
