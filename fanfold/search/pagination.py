"""Paging for filtered listings without counting a million rows on every page view.

The count is capped: COUNT(*) over at most COUNT_CAP + 1 rows (a LIMIT inside the count), so a
listing of a large archive reads a bounded number of index entries. Beyond the cap the heading
says "10,000+" and the pages stop there, as AO3's do; filters narrow a list further."""

import contextlib
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import transaction
from django.db.models import Count, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils.functional import cached_property

COUNT_CAP = 10_000

# A listing's count (with its filters and reader) is kept this long. Its key holds a version
# that every change to which works listings show moves on (listings_changed), so within a
# process a count is never stale; other server processes with their own memory cache see a
# change within this time (a shared cache, FANFOLD_CACHE_DIR, at once). Paging through a
# filtered listing then counts it once: counting a filter that includes popular tags checks
# every row of the narrowest tag (100 ms at a million works).
COUNT_CACHE_SECONDS = 60
_VERSION_KEY = "listings-version"


# Whether this thread read the version since it last moved it on (see listings_changed).
_seen = threading.local()


def listings_version() -> int:
    _seen.since_moved = True
    version = cache.get(_VERSION_KEY)
    if version is None:
        # Milliseconds: a cache that lost the version never brings an old one back.
        cache.add(_VERSION_KEY, int(time.time() * 1000), None)
        version = cache.get(_VERSION_KEY, 0)
    return version


def _move_on() -> None:
    with contextlib.suppress(ValueError):  # no version yet: the next reader starts one
        cache.incr(_VERSION_KEY)


def _move_on_at_commit() -> None:
    _move_on()


def listings_changed() -> None:
    """Which works some listing shows may have changed: called by the lowest writers of what
    listings read (a work's filter rows, the search index, a reader's mutes and exclusions), so
    that cached counts are dropped once the change commits.

    The version moves on now, for readers in this transaction (and tests, which never commit),
    and again on commit: a count made from the old rows between the two is dropped with its
    version. One change reaches several of those writers (a work's new tags rewrite its filter
    rows and its search entry), so the version moves on once per transaction, and again only
    if it was read since (a count kept in between must not outlive the next write)."""
    connection = transaction.get_connection()
    # Read from the transaction's own list: a rolled-back savepoint takes its callback with it.
    pending = connection.in_atomic_block and any(
        func is _move_on_at_commit for _, func, _ in connection.run_on_commit
    )
    if pending and not getattr(_seen, "since_moved", True):
        return
    _move_on()
    _seen.since_moved = False
    if not pending:
        transaction.on_commit(_move_on_at_commit)


def in_order_found_first(listing):
    """`listing` in its own order, numbered and then ordered by the numbers: the same rows in
    the same order, for reading every match of a search (or its first thousand) at once.

    PostgreSQL reads a search listed by date either by finding the matches in the full-text
    index and sorting them, or by walking the date index newest first and checking each row
    until it has enough. It cannot tell how many rows a phrase matches (its estimate for
    "the harbour" is ten times the truth), so for more than a page it may choose the walk
    and pass most of the archive: 1.3 s for a thousand matches at a million works, against
    450 ms to find and sort all of them. Ordered by a row number, it must find them first."""
    ordering = list(listing.query.order_by)
    if not ordering:
        return listing
    return listing.annotate(listing_position=Window(RowNumber(), order_by=ordering)).order_by(
        "listing_position"
    )


def count_reading_first(ids, *, count_key: str, first: int) -> list[int]:
    """Count a listing (capped, as CappedPaginator does) by reading its ids in its own order,
    keep the count under `count_key` for the paginator, and return its first `first` ids.

    For a listing's first reader, whose sidebar counts its tags over the first thousand
    results: counting and then reading those thousand each check every candidate row of a
    filter (100 ms apiece for two included tags at a million works); one ordered read of up
    to COUNT_CAP + 1 ids does both. Ordering costs nothing extra: the sidebar's read had to
    find and order every match too."""
    found = list(ids[: COUNT_CAP + 1])
    kept = (min(len(found), COUNT_CAP), len(found) > COUNT_CAP)
    cache.set(count_key, kept, COUNT_CACHE_SECONDS)
    return found[:first]


class CappedPaginator(Paginator):
    capped = False
    # The listing's first ids, when a page read them on the way (CountedWithPagePaginator).
    first_ids: list[int] | None = None
    # Set to keep the count in the cache (see COUNT_CACHE_SECONDS); the key must name the
    # listing, its filters, its reader and listings_version().
    count_key: str | None = None

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        if self.count_key is None:
            return self._count()
        kept = cache.get(self.count_key)
        if kept is None:
            kept = (self._count(), self.capped)
            cache.set(self.count_key, kept, COUNT_CACHE_SECONDS)
        count, self.capped = kept
        return count

    def _count(self) -> int:
        # Counted without the listing's order and other columns (a best-match rank, say),
        # which cannot change how many rows there are but would be computed for each. A
        # listing of ids keeps its column: a tag's filter rows are counted from their index.
        listing = self.object_list.order_by()  # type: ignore[attr-defined]
        listing = listing.values(*(listing.query.values_select or ("pk",)))
        counted = listing[: COUNT_CAP + 1].count()
        if counted > COUNT_CAP:
            self.capped = True
            return COUNT_CAP
        return counted


class CountedWithPagePaginator(CappedPaginator):
    """For a listing of ids whose every row is read to order them anyway (search index rows
    by date: the matches come from the full-text index in no useful order). The page's query
    counts the rows too (COUNT(*) OVER ()), so the matches are read once rather than once for
    the page and again for the count; the count is capped like CappedPaginator's.

    `read_first`: when the page is read with its count, read at least this many ids from the
    start, kept in first_ids: the sidebar counts its tags over them (a search's first reader
    then finds the matches once, not once for the page and again for the sidebar)."""

    read_first = 0

    def page(self, number):
        number = self._validate_number(number, float("inf"))  # not a number, or below 1
        bottom = (number - 1) * self.per_page
        column = self.object_list.query.values_select[0]
        kept = cache.get(self.count_key) if self.count_key else None
        if kept is not None and kept[0] >= settings.FANFOLD_PAGE_ALONE_FROM:
            # The count is known (kept from an earlier page view) and the matches are many:
            # read the page alone. The database may then read the rows newest first and stop
            # after a page, where counting had to check every candidate (a phrase of common
            # words: every document holding both words, 450 ms at a million works). With few
            # matches that walk could pass most of the archive, so the page is read with
            # its count as below.
            self.__dict__["count"], self.capped = kept
            number = self.validate_number(number)
            ids = list(
                self.object_list.values_list(column, flat=True)[bottom : bottom + self.per_page]
            )
            return self._get_page(ids, number, self)
        # PostgreSQL costs COUNT(*) OVER () as if it could stop after a page: with the
        # listing's own order it walked the date index through the whole archive, checking
        # each row (4 s at a million works, where finding the matches first and sorting
        # them takes 30-450 ms).
        counted = in_order_found_first(self.object_list.annotate(listing_total=Window(Count("*"))))
        start = 0 if bottom < self.read_first else bottom
        end = max(bottom + self.per_page, self.read_first if start == 0 else 0)
        read = list(counted.values_list(column, "listing_total")[start:end])
        if self.read_first and start == 0:
            self.first_ids = [row[0] for row in read[: self.read_first]]
        rows = read[bottom - start : bottom - start + self.per_page]
        if read:  # otherwise an empty listing or a page past its end: count the usual way
            total = read[0][1]
            self.capped = total > COUNT_CAP
            self.__dict__["count"] = min(total, COUNT_CAP)
            if self.count_key:
                cache.set(self.count_key, (self.count, self.capped), COUNT_CACHE_SECONDS)
        number = self.validate_number(number)
        return self._get_page([row[0] for row in rows], number, self)


def paginate_capped(
    request,
    queryset,
    per_page: int | None = None,
    *,
    counted_with_page: bool = False,
    count_key: str | None = None,
    read_first: int = 0,
):
    """The request's page of `queryset` (a 404 for a page that is not a number or not
    there). counted_with_page and read_first: see CountedWithPagePaginator; count_key:
    CappedPaginator's."""
    paginator: CappedPaginator
    if counted_with_page:
        paginator = CountedWithPagePaginator(queryset, per_page or settings.FANFOLD_WORKS_PER_PAGE)
        paginator.read_first = read_first
    else:
        paginator = CappedPaginator(queryset, per_page or settings.FANFOLD_WORKS_PER_PAGE)
    paginator.count_key = count_key
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        if paginator.count == 0:
            return paginator.page(1)
        raise Http404("There is no such page.") from exc
