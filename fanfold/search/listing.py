"""One call that turns a listing's works into a filtered, sorted, paged page with its sidebar,
used by every work listing (/works, tag works, user and pseud works, search results). The
works are read from a ListingSource: works themselves, or rows that stand for them (a tag's
filter rows, the search index's rows), each filtering, ordering and paging itself."""

import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace

from django.core.cache import cache
from django.db.models import QuerySet

from fanfold.savedfilters.selectors import works_without_exclusions
from fanfold.works.selectors import (
    listing_rows_for_tag,
    works_for_blurbs,
    works_in_order,
    works_posted_visible_to,
)

from .filters import (
    RELEVANCE,
    TOP_TAGS_SAMPLE,
    TagGroup,
    WorkFilterForm,
    WorkFilters,
    most_selective,
    top_tags,
    works_filter,
    works_sort,
)
from .pagination import (
    count_reading_first,
    in_order_found_first,
    listings_version,
    paginate_capped,
)
from .selectors import search_rows_listed

# The sidebar's top tags are the same for every page of a listing and every reader who sees
# the same works; counting them is the costliest part of a page of a large archive. They are
# kept this long per listing, filters, order and reader (AO3's counts lag similarly): a new
# work shows up in the listing at once and in the sidebar's counts within this time.
TOP_TAGS_CACHE_SECONDS = 120


def _reader(viewer) -> str:
    return f"user{viewer.pk}" if viewer is not None and viewer.is_authenticated else "guest"


def _listing_key(prefix: str, request, viewer, *, ignored: Collection[str], salt: object) -> str:
    """A cache key for what a listing shows one kind of reader: its path, its query string
    less the `ignored` keys (sorted, so the order of the parameters doesn't matter), the
    reader, and `salt` (what else the cached value depends on)."""
    query = sorted((key, value) for key, value in request.GET.lists() if key not in ignored)
    shown = repr((request.path, query, _reader(viewer), salt))
    return f"{prefix}:" + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


def _top_tags_key(request, viewer, total: int) -> str:
    return _listing_key("top-tags", request, viewer, ignored=("page",), salt=total)


def _count_key(request, viewer) -> str:
    # The order and the page don't change a count; a change to any listing does.
    return _listing_key(
        "listing-count",
        request,
        viewer,
        ignored=("page", "sort", "direction"),
        salt=listings_version(),
    )


@dataclass
class FilteredListing:
    form: WorkFilterForm
    filters: WorkFilters
    page_obj: object
    groups: list[TagGroup]
    sampled: bool
    active: bool

    def context(self) -> dict:
        return {
            "filter_form": self.form,
            "filters": self.filters,
            "page_obj": self.page_obj,
            "tag_groups": self.groups,
            "top_tags_sampled": self.sampled,
            "has_sidebar": True,
            "filters_active": self.active,
        }


class ListingSource:
    """Where a listing's works come from, knowing how to filter and order itself and how to
    read a page of works: works (WorkSource) or rows that stand for works (RowSource)."""

    # Whether every row is read to be sorted (PostgreSQL's search rows, see RowSource), so the
    # page and the sidebar's sample read the matches first.
    counted_with_page: bool = False

    def narrowed(self, filters: WorkFilters, *, viewer) -> QuerySet:
        """The listing with the filters and the viewer's exclusions applied, in its order (also
        what the sidebar's top tags are counted over)."""
        raise NotImplementedError

    def page(self, request, listing: QuerySet, *, count_key: str, read_first: int = 0):
        """The request's page of `listing` (from narrowed), its object_list the works.
        read_first: see CountedWithPagePaginator (only sources counted_with_page use it)."""
        raise NotImplementedError

    def first_ids(self, listing: QuerySet, filters: WorkFilters, *, viewer) -> QuerySet:
        """The work ids of `listing` (from narrowed) in its order, as a first reader's count
        and sidebar read them (count_reading_first), all matches found."""
        raise NotImplementedError


@dataclass
class WorkSource(ListingSource):
    """A queryset of works that already obeys visibility; `relevance`, if given, orders it by
    best match (search results) instead of the filters' order."""

    works: QuerySet
    relevance: Callable[[QuerySet], QuerySet] | None = None

    def narrowed(self, filters: WorkFilters, *, viewer) -> QuerySet:
        works = works_without_exclusions(
            works_filter(self.works, filters, viewer=viewer), viewer=viewer
        )
        if self.relevance is not None:
            return self.relevance(works)
        return works_sort(works, filters.sort, filters.direction)

    def page(self, request, listing: QuerySet, *, count_key: str, read_first: int = 0):
        return paginate_capped(request, works_for_blurbs(listing), count_key=count_key)

    def first_ids(self, listing: QuerySet, filters: WorkFilters, *, viewer) -> QuerySet:
        return listing.values_list("pk", flat=True)


@dataclass
class RowSource(ListingSource):
    """Rows that stand for works, one per work, carrying the work's "Updated" date and
    visibility: a tag's filter rows (listing_rows_for_tag) or the search index's rows. They
    are filtered, ordered and paged as rows; only the page's works are loaded.

    `include`: the included tags to check per row, when not the filters' own (a tag's rows
    leave out the tag they are of). `counted_with_page`: the rows are all read to be sorted
    (search rows), so the page counts them in the same read."""

    rows: QuerySet
    include: list[int] | None = None
    counted_with_page: bool = False
    # A tag's rows (tag_id: the tag they are of) may name every listed search row
    # (index_rows, PostgreSQL) to find all of a filter's matches from (first_ids).
    tag_id: int | None = None
    index_rows: QuerySet | None = None

    def narrowed(self, filters: WorkFilters, *, viewer) -> QuerySet:
        if self.include is not None:
            filters = replace(filters, include=self.include)
        return _rows_narrowed(self.rows, filters, viewer=viewer)

    def page(self, request, listing: QuerySet, *, count_key: str, read_first: int = 0):
        page_obj = paginate_capped(
            request,
            listing.values_list("work_id", flat=True),
            counted_with_page=self.counted_with_page,
            count_key=count_key,
            read_first=read_first,
        )
        page_obj.object_list = works_in_order(list(page_obj.object_list))
        return page_obj

    def first_ids(self, listing: QuerySet, filters: WorkFilters, *, viewer) -> QuerySet:
        if self.index_rows is None:
            return listing.values_list("work_id", flat=True)
        # The same works in the same order from PostgreSQL's search rows, whose filter sets
        # answer tag filters from their GIN index (migration search 0006): a first reader
        # needs every match, and checking each row of the narrowest tag against the other
        # tags' rows took 130-170 ms for two included tags and an excluded one at a million
        # works, against 11 ms. Pages are still read from the tag's rows, newest first,
        # stopping after a page.
        assert self.tag_id is not None
        filters = replace(filters, include=[*(self.include or []), self.tag_id])
        rows = _rows_narrowed(self.index_rows, filters, viewer=viewer)
        return in_order_found_first(rows).values_list("work_id", flat=True)


def _rows_narrowed(rows: QuerySet, filters: WorkFilters, *, viewer) -> QuerySet:
    """Rows that stand for works, filtered, less the viewer's exclusions, in the filters' order."""
    rows = works_without_exclusions(
        works_filter(rows, filters, viewer=viewer), viewer=viewer, work_ref="work_id"
    )
    return works_sort(rows, filters.sort, filters.direction)


def _source(
    filters: WorkFilters, works: QuerySet | None, *, viewer, tag, relevance, search_rows
) -> ListingSource:
    """The fastest way to read this listing with these filters."""
    if search_rows is not None and filters.sort != RELEVANCE:
        return RowSource(search_rows, counted_with_page=True)
    # Every tag the works must be found by: a tag page's own and the included ones.
    tag_ids = list(dict.fromkeys(([tag.pk] if tag is not None else []) + filters.include))
    if works is None and tag_ids:
        # Read from the filter rows of the tag with the fewest works, the other tags checked
        # per row; only the page's works are loaded (listing_rows_for_tag says why).
        rows_of = tag_ids[0] if len(tag_ids) == 1 else most_selective(tag_ids)
        # Tags to intersect: a first reader's matches are found from the search rows' filter
        # sets (RowSource.first_ids). One tag's rows alone are a range of their own index.
        intersected = len(tag_ids) > 1 or bool(filters.exclude)
        return RowSource(
            listing_rows_for_tag(tag_id=rows_of, viewer=viewer),
            include=[tag_id for tag_id in tag_ids if tag_id != rows_of],
            tag_id=rows_of,
            index_rows=search_rows_listed(viewer=viewer) if intersected else None,
        )
    return WorkSource(
        works if works is not None else works_posted_visible_to(viewer),
        relevance=relevance if filters.sort == RELEVANCE else None,
    )


def filtered_listing(
    request,
    works: QuerySet | None = None,
    *,
    viewer,
    tag=None,
    relevance=None,
    search_rows: QuerySet | None = None,
) -> FilteredListing:
    """Apply the request's filters (GET) and the viewer's permanent exclusions to a listing,
    sort, page, and count the top tags. The listing is `works` (a queryset that already obeys
    visibility), or, when `works` is None, every posted work the viewer may see that is found
    by `tag` (a tag's page; None: the whole archive).
    Search results: `relevance` orders `works` by best match; `search_rows` (PostgreSQL) are
    the same works as search index rows, read instead of `works` for every other order."""
    form = WorkFilterForm(request.GET or None, relevance=relevance is not None)
    if form.is_bound:
        form.is_valid()  # errors are shown beside their fields; the valid rest still applies
    filters = form.filters()
    source = _source(
        filters, works, viewer=viewer, tag=tag, relevance=relevance, search_rows=search_rows
    )
    listing = source.narrowed(filters, viewer=viewer)
    count_key = _count_key(request, viewer)
    # A first reader: the count and the sidebar's sample come from one read of the matches
    # (with the page's, when the page is read with its count).
    first: list[int] | None = None
    first_reader = cache.get(count_key) is None
    if first_reader and not source.counted_with_page:
        first = count_reading_first(
            source.first_ids(listing, filters, viewer=viewer),
            count_key=count_key,
            first=TOP_TAGS_SAMPLE,
        )
    page_obj = source.page(
        request,
        listing,
        count_key=count_key,
        read_first=TOP_TAGS_SAMPLE if first_reader else 0,
    )
    if first is None:
        first = page_obj.paginator.first_ids
    total = page_obj.paginator.count
    key = _top_tags_key(request, viewer, total)
    cached = cache.get(key)
    if cached is None:
        cached = top_tags(
            listing,
            total=total,
            include=filters.include,
            exclude=filters.exclude,
            search_rows=source.counted_with_page,
            first=first,
        )
        cache.set(key, cached, TOP_TAGS_CACHE_SECONDS)
    groups, sampled = cached
    active = any(
        value for key, value in request.GET.items() if key not in ("page", "sort", "direction", "q")
    )
    return FilteredListing(form, filters, page_obj, groups, sampled, active)
