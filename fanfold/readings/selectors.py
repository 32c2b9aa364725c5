"""Reads of a user's history and Marked for Later list; only works the user may still see."""

from django.db.models import Exists, OuterRef, QuerySet

from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import works_for_blurbs, works_posted_visible_to

from .models import MarkedForLater, ReadingEntry, ReadingSettings


def history_enabled(*, user) -> bool:
    return not ReadingSettings.objects.filter(user=user, history_enabled=False).exists()


def history_for_user(*, user) -> QuerySet:
    """The user's history, most recent first: works with `last_viewed_at` and `last_chapter`."""
    entries = ReadingEntry.objects.filter(user=user, work=OuterRef("pk"))
    works = works_posted_visible_to(user).filter(Exists(entries))
    return works_for_blurbs(
        works.annotate(
            last_viewed_at=entries.values("last_viewed_at")[:1],
        ).order_by("-last_viewed_at", "-pk")
    )


def marked_for_later_for_user(*, user) -> QuerySet:
    marks = MarkedForLater.objects.filter(user=user, work=OuterRef("pk"))
    works = works_posted_visible_to(user).filter(Exists(marks))
    return works_for_blurbs(
        works.annotate(marked_at=marks.values("created_at")[:1]).order_by("-marked_at", "-pk")
    )


def is_marked_for_later(*, user, work: Work) -> bool:
    return MarkedForLater.objects.filter(user=user, work=work).exists()


def continue_reading_chapter(*, user, work: Work) -> Chapter | None:
    """The posted chapter the user last opened in this work, if any."""
    entry = (
        ReadingEntry.objects.filter(user=user, work=work, last_chapter__is_posted=True)
        .select_related("last_chapter")
        .defer("last_chapter__content", "last_chapter__notes", "last_chapter__end_notes")
        .first()
    )
    return entry.last_chapter if entry else None
