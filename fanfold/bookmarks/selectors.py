"""Reads of bookmarks. Private bookmarks are shown to their owner only; a bookmark of a work or
series the viewer may not see (a draft, a hidden work unless they moderate, a restricted work
for a guest) is left out of every list and count, and so are bookmarks by, or of works by,
users the viewer muted."""

from django.db.models import Prefetch, Q, QuerySet

from fanfold.blocking.selectors import muted_user_ids_subquery, work_by_muted_user
from fanfold.series.models import Series
from fanfold.series.selectors import series_visible_to
from fanfold.works.models import Creatorship, Work
from fanfold.works.selectors import works_gathered_for

from .models import Bookmark


def _is_user(viewer) -> bool:
    return viewer is not None and viewer.is_authenticated


def _with_details(bookmarks: QuerySet) -> QuerySet:
    return bookmarks.select_related("user", "work", "series__owner").prefetch_related(
        "tags",
        Prefetch(
            "work__creatorships",
            queryset=Creatorship.objects.filter(approved=True).select_related("pseud__user"),
        ),
    )


def bookmarks_visible_to(viewer) -> QuerySet:
    """Every bookmark this viewer may see."""
    targets = Q(work__in=works_gathered_for(viewer)) | Q(series__in=series_visible_to(viewer))
    if _is_user(viewer):
        # What muted users made is gone from the viewer's lists too: their bookmarks, and
        # bookmarks of their works.
        return (
            Bookmark.objects.filter(targets, Q(is_private=False) | Q(user=viewer))
            .exclude(user__in=muted_user_ids_subquery(viewer))
            .exclude(work__in=Work.objects.filter(work_by_muted_user(viewer)))
        )
    return Bookmark.objects.filter(targets, is_private=False)


def bookmark_list_for_user(*, owner, viewer, tag: str = "") -> QuerySet:
    bookmarks = bookmarks_visible_to(viewer).filter(user=owner)
    if tag:
        bookmarks = bookmarks.filter(tags__name__iexact=tag)
    return _with_details(bookmarks.order_by("-created_at", "-pk"))


def bookmark_list_for_work(*, work: Work, viewer) -> QuerySet:
    """Bookmarks of a work (the view checks that the viewer may see the work)."""
    return _with_details(
        bookmarks_visible_to(viewer).filter(work=work).order_by("-created_at", "-pk")
    )


def bookmark_list_for_series(*, series: Series, viewer) -> QuerySet:
    return _with_details(
        bookmarks_visible_to(viewer).filter(series=series).order_by("-created_at", "-pk")
    )


def bookmark_get_for_viewer(*, bookmark_id: int, viewer) -> Bookmark | None:
    return _with_details(bookmarks_visible_to(viewer).filter(pk=bookmark_id)).first()


def bookmark_of_user(*, user, work: Work | None = None, series: Series | None = None):
    """The user's own bookmark of this work or series, or None."""
    if not _is_user(user):
        return None
    if work is not None:
        return Bookmark.objects.filter(user=user, work=work).first()
    return Bookmark.objects.filter(user=user, series=series).first()
