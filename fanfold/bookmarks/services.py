"""Every write to bookmarks.

Work.bookmark_count is the number of public bookmarks of the work. It is kept with F()
updates (an atomic "count = count + 1" in the database) in the same transaction as the row
that is added, removed or switched between public and private, and every change to an existing
bookmark first locks its row, so concurrent requests from any number of processes cannot lose
or double an update: the count always equals the rows behind it (tests/test_concurrency.py)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from fanfold.series.models import Series
from fanfold.series.selectors import series_get_for_viewer
from fanfold.series.services import user_html
from fanfold.works.models import Work

from .models import Bookmark, BookmarkTag

MAX_NOTES = 5000
MAX_TAG = 100
MAX_TAGS = 75
# Said on the form's page and by the service: the creator and moderators still read a hidden
# work, but readers' marks on it wait until it is back.
HIDDEN_WORK_REFUSAL = (
    "This work is hidden by moderators while it is reviewed, so it can't be bookmarked now."
)


def parse_bookmark_tags(raw: str) -> list[str]:
    """Comma-separated tags as typed, stripped, each once (ignoring case), in order."""
    seen: set[str] = set()
    names = []
    for name in (raw or "").split(","):
        name = " ".join(name.split())
        if name and name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    return names


def _clean(notes: str, tags: str) -> tuple[str, list[str]]:
    errors: dict[str, list[str]] = {}
    length = len((notes or "").strip())
    if length > MAX_NOTES:
        errors["notes"] = [
            f"Notes must be at most {MAX_NOTES:,} characters long (it has {length:,})."
        ]
    names = parse_bookmark_tags(tags)
    if len(names) > MAX_TAGS:
        errors["tags"] = [f"A bookmark can have at most {MAX_TAGS} tags (it has {len(names)})."]
    too_long = [name for name in names if len(name) > MAX_TAG]
    if too_long:
        errors.setdefault("tags", []).append(
            f"Each tag must be at most {MAX_TAG} characters long: {too_long[0][:30]}… is longer."
        )
    if errors:
        raise ValidationError(errors)
    return user_html(notes), names


def _set_tags(bookmark: Bookmark, names: list[str]) -> None:
    bookmark.tags.all().delete()
    BookmarkTag.objects.bulk_create(
        [BookmarkTag(bookmark=bookmark, name=name, position=i) for i, name in enumerate(names)]
    )


def _count_change(work_id: int | None, delta: int) -> None:
    if work_id is not None and delta:
        Work.objects.filter(pk=work_id).update(bookmark_count=F("bookmark_count") + delta)


def _require_user(user) -> None:
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to bookmark.")


@transaction.atomic
def bookmark_create(
    *,
    user,
    work: Work | None = None,
    series: Series | None = None,
    notes: str = "",
    tags: str = "",
    is_rec: bool = False,
    is_private: bool = False,
) -> Bookmark:
    """Bookmark a work or a series the user may see. One bookmark per user and thing."""
    _require_user(user)
    if (work is None) == (series is None):
        raise ValidationError("Please bookmark either a work or a series.")
    if work is not None:
        readable = Work.objects.visible_to(user).filter(is_posted=True, pk=work.pk)
        is_hidden = readable.values_list("is_hidden", flat=True).first()
        if is_hidden is None:
            raise PermissionDenied("You can't bookmark this work.")
        if is_hidden:
            raise PermissionDenied(HIDDEN_WORK_REFUSAL)
    if series is not None and series_get_for_viewer(series_id=series.pk, viewer=user) is None:
        raise PermissionDenied("You can't bookmark this series.")
    clean_notes, names = _clean(notes, tags)
    try:
        with transaction.atomic():
            bookmark = Bookmark.objects.create(
                user=user,
                work=work,
                series=series,
                notes=clean_notes,
                is_rec=is_rec,
                is_private=is_private,
            )
    except IntegrityError as exc:
        raise ValidationError(
            "You have already bookmarked this; edit your bookmark instead."
        ) from exc
    _set_tags(bookmark, names)
    if not is_private:
        _count_change(bookmark.work_id, +1)
    return bookmark


def _locked_own(bookmark: Bookmark, user) -> Bookmark | None:
    _require_user(user)
    if bookmark.user_id != user.pk:
        raise PermissionDenied("Only the bookmark's owner may change it.")
    return Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()


@transaction.atomic
def bookmark_update(
    *, bookmark: Bookmark, user, notes: str = "", tags: str = "", is_rec=False, is_private=False
) -> Bookmark:
    locked = _locked_own(bookmark, user)
    if locked is None:
        raise ValidationError("This bookmark has been deleted.")
    clean_notes, names = _clean(notes, tags)
    delta = (0 if is_private else 1) - (0 if locked.is_private else 1)
    locked.notes = clean_notes
    locked.is_rec = is_rec
    locked.is_private = is_private
    locked.save()
    _set_tags(locked, names)
    _count_change(locked.work_id, delta)
    return locked


@transaction.atomic
def bookmark_delete(*, bookmark: Bookmark, user) -> None:
    locked = _locked_own(bookmark, user)
    if locked is None:
        return  # deleted already (a second click): nothing more to count
    locked.delete()
    if not locked.is_private:
        _count_change(locked.work_id, -1)


@transaction.atomic
def bookmarks_delete_for_user(*, user) -> None:
    """Delete all of a user's bookmarks with their counts (before the account goes: a plain
    cascade would leave the works' counts too high)."""
    for bookmark in Bookmark.objects.select_for_update().filter(user=user).order_by("pk"):
        bookmark.delete()
        if not bookmark.is_private:
            _count_change(bookmark.work_id, -1)
