"""Subscriptions and the notifications they bring.

Works services call `subscriptions_work_changed` from works.changes.work_changed (inside their
transaction) and series services call `subscriptions_series_work_added`; both only enqueue the
background task `notify_subscribers` once the transaction commits, so a rolled-back post tells
nobody. The task calls `subscriptions_notify`, which decides at send time who hears of it: the
work must still be posted and not hidden, a creator is never told about their own work, and a
user subscribed several ways (the work, its writer, its series) gets one message."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse

from fanfold.inbox.models import InboxKind
from fanfold.inbox.services import inbox_add
from fanfold.series.models import Series, SeriesPart
from fanfold.series.selectors import series_get_for_viewer
from fanfold.works.models import Chapter, Creatorship, Work

from .models import Subscription

# What a notification is about (the task's `event` argument).
NEW_WORK = "new_work"
NEW_CHAPTER = "new_chapter"
SERIES_PART = "series_part"


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to subscribe.")


@transaction.atomic
def subscription_create(
    *, user, work: Work | None = None, series: Series | None = None, writer=None
):
    """Subscribe the user to a work, a series or a writer they may see. Subscribing twice keeps
    the one subscription."""
    _require_user(user)
    if sum(target is not None for target in (work, series, writer)) != 1:
        raise ValidationError("Please subscribe to one work, series or writer.")
    readable = Work.objects.visible_to(user).filter(is_posted=True, is_hidden=False)
    if work is not None and not readable.filter(pk=work.pk).exists():
        raise PermissionDenied("You can't subscribe to this work.")
    if series is not None and series_get_for_viewer(series_id=series.pk, viewer=user) is None:
        raise PermissionDenied("You can't subscribe to this series.")
    if writer is not None and writer.pk == user.pk:
        raise ValidationError("You can't subscribe to yourself.")
    target = {"work": work, "series": series, "writer": writer}
    target = {key: value for key, value in target.items() if value is not None}
    try:
        with transaction.atomic():
            return Subscription.objects.create(user=user, **target)
    except IntegrityError:
        return Subscription.objects.get(user=user, **target)


@transaction.atomic
def subscription_delete(*, subscription: Subscription, user) -> None:
    _require_user(user)
    if subscription.user_id != user.pk:
        raise PermissionDenied("Only the subscriber may unsubscribe.")
    Subscription.objects.filter(pk=subscription.pk).delete()


# --- Notifications -----------------------------------------------------------------------------


def _enqueue(work: Work, event: str, *, chapter_id=None, series_ids=None) -> None:
    from .tasks import notify_subscribers

    if series_ids is None:
        # The series the work is in now: one added to a series later is announced by
        # subscriptions_series_work_added, so nobody hears of one post twice.
        series_ids = list(SeriesPart.objects.filter(work=work).values_list("series_id", flat=True))
    transaction.on_commit(
        lambda: notify_subscribers.enqueue(
            work_id=work.pk, event=event, chapter_id=chapter_id, series_ids=series_ids
        )
    )


def subscriptions_work_changed(work: Work, change: str, *, chapter: Chapter | None = None) -> None:
    """Called by works.changes.work_changed: a posted work or a new chapter is news."""
    if change == "posted":
        _enqueue(work, NEW_WORK)
    elif change == "chapter_posted" and chapter is not None:
        _enqueue(work, NEW_CHAPTER, chapter_id=chapter.pk)


def subscriptions_series_work_added(*, series: Series, work: Work) -> None:
    """Called by series_add_work: a posted work joining a series is news to its subscribers (a
    draft is news when it is posted)."""
    if work.is_posted and not work.is_hidden:
        _enqueue(work, SERIES_PART, series_ids=[series.pk])


def _recipients(work: Work, event: str, series_ids: list[int]) -> dict[int, list[str]]:
    """user id -> why they are told (one entry per user), creators of the work left out."""
    creator_ids = set(
        Creatorship.objects.filter(work=work, approved=True).values_list("pseud__user", flat=True)
    )
    # The series must still hold the work when the task runs.
    wanted = Q(
        series__in=SeriesPart.objects.filter(work=work, series_id__in=series_ids).values("series")
    )
    if event != SERIES_PART:
        wanted |= Q(writer_id__in=creator_ids)
        if event == NEW_CHAPTER:
            wanted |= Q(work=work)
    reasons: dict[int, list[str]] = {}
    for sub in Subscription.objects.filter(wanted).select_related("writer", "series", "work"):
        if sub.user_id in creator_ids:
            continue
        if sub.writer is not None:
            reason = f"you subscribed to {sub.writer.username}"
        elif sub.series is not None:
            reason = f"you subscribed to the series {sub.series.title}"
        else:
            reason = f"you subscribed to {work.title}"
        reasons.setdefault(sub.user_id, []).append(reason)
    return reasons


def subscriptions_notify(
    *, work_id: int, event: str, chapter_id: int | None = None, series_ids: list[int] | None = None
) -> int:
    """Tell every subscriber (by e-mail and in their inbox) that a work, chapter or series part
    was posted. Returns how many users were told. Runs in the background task."""
    from django.contrib.auth import get_user_model

    work = Work.objects.filter(pk=work_id, is_posted=True, is_hidden=False).first()
    if work is None:
        return 0  # deleted, hidden or back to a draft since: nothing to announce
    chapter: Chapter | None = None
    if event == NEW_CHAPTER and chapter_id is not None:
        chapter = Chapter.objects.filter(pk=chapter_id, work=work, is_posted=True).first()
    if event == NEW_CHAPTER and chapter is None:
        return 0
    series_ids = series_ids or []
    series = Series.objects.filter(pk__in=series_ids).first() if event == SERIES_PART else None
    if event == SERIES_PART and series is None:
        return 0
    reasons = _recipients(work, event, series_ids)
    users = get_user_model().objects.filter(pk__in=list(reasons), is_active=True)
    byline = ", ".join(
        str(c.pseud) for c in work.creatorships.filter(approved=True).select_related("pseud")
    )
    path = chapter.get_absolute_url() if chapter else work.get_absolute_url()
    url = settings.SITE_URL.rstrip("/") + path
    if event == NEW_CHAPTER:
        assert chapter is not None
        subject = f"[{settings.SITE_NAME}] {work.title}: new chapter"
        news = f"New chapter of {work.title} by {byline}: {chapter.display_title}"
    elif event == SERIES_PART:
        subject = f"[{settings.SITE_NAME}] New work in the series {series}"
        news = f"New work in the series {series}: {work.title} by {byline}"
    else:
        subject = f"[{settings.SITE_NAME}] {byline} posted {work.title}"
        news = f"{byline} posted a new work: {work.title}"
    told = 0
    for user in users:
        context = {
            "user": user,
            "work": work,
            "chapter": chapter,
            "series": series,
            "event": event,
            "byline": byline,
            "url": url,
            "reasons": reasons[user.pk],
            "manage_url": settings.SITE_URL.rstrip("/")
            + reverse("user_subscriptions", args=[user.username]),
            "SITE_NAME": settings.SITE_NAME,
        }
        body = render_to_string("subscriptions/notification_email.txt", context)
        if user.email:
            send_mail(subject, body, None, [user.email])
        inbox_add(user=user, kind=InboxKind.SUBSCRIPTION, text=news, url=path, work=work)
        told += 1
    return told
