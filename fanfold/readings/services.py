"""History and Marked for Later.

The reading view calls `reading_record` once per page view of a logged-in reader: one upsert
(INSERT ... ON CONFLICT DO UPDATE on SQLite and PostgreSQL alike), plus a look at the reader's
settings only when they have switched history off."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fanfold.works.models import Chapter, Work

from .models import MarkedForLater, ReadingEntry, ReadingSettings


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to keep a history and a reading list.")


def reading_record(*, user, work: Work, chapter: Chapter | None = None) -> None:
    """Remember that the user opened the work now, and the chapter when they opened one by
    name (the work's front page keeps the chapter they last read, so it can offer it). Guests,
    creators' own drafts and users who switched history off leave no trace."""
    if user is None or not user.is_authenticated or not work.is_posted:
        return
    if _history_off(user):
        return
    fields = ["last_viewed_at"] + (["last_chapter"] if chapter is not None else [])
    ReadingEntry.objects.bulk_create(
        [ReadingEntry(user=user, work=work, last_chapter=chapter, last_viewed_at=timezone.now())],
        update_conflicts=True,
        unique_fields=["user", "work"],
        update_fields=fields,
    )


def _history_off(user) -> bool:
    # Cached on the user object for the request, so the page's own tags don't ask again.
    if not hasattr(user, "_history_off"):
        user._history_off = ReadingSettings.objects.filter(
            user=user, history_enabled=False
        ).exists()
    return user._history_off


@transaction.atomic
def history_set_enabled(*, user, enabled: bool) -> None:
    """Switch history on or off; switching it off also clears it."""
    _require_user(user)
    ReadingSettings.objects.update_or_create(user=user, defaults={"history_enabled": enabled})
    user._history_off = not enabled
    if not enabled:
        ReadingEntry.objects.filter(user=user).delete()


@transaction.atomic
def history_clear(*, user) -> int:
    _require_user(user)
    deleted, _ = ReadingEntry.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def history_remove(*, user, work: Work) -> None:
    _require_user(user)
    ReadingEntry.objects.filter(user=user, work=work).delete()


@transaction.atomic
def marked_for_later_add(*, user, work: Work) -> None:
    """Put a work the user may see on their Marked for Later list (once)."""
    _require_user(user)
    if not Work.objects.visible_to(user).filter(pk=work.pk, is_posted=True).exists():
        raise ValidationError("Only posted works you can read can be marked for later.")
    try:
        with transaction.atomic():
            MarkedForLater.objects.create(user=user, work=work)
    except IntegrityError:
        pass  # already on the list


@transaction.atomic
def marked_for_later_remove(*, user, work: Work) -> None:
    _require_user(user)
    MarkedForLater.objects.filter(user=user, work=work).delete()
