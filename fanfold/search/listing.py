"""One call that turns a listing's works into a filtered, sorted, paged page with its sidebar,
used by every work listing (/works, tag works, user and pseud works, search results)."""

import hashlib
from collections.abc import Collection
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
    TagGroup,
    WorkFilterForm,
    WorkFilters,
    most_selective,
    top_tags,
    works_filter,
    works_sort,
)
from .models import SearchDocument
from .pagination import listings_version, paginate_capped

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
    # Every tag the works must be found by: a tag page's own and the included ones.
    tag_ids = list(dict.fromkeys(([tag.pk] if tag is not None else []) + filters.include))
    if search_rows is not None and filters.sort != RELEVANCE:
        listing, page_obj = _page_of_rows(request, search_rows, filters, viewer=viewer)
    elif works is None and tag_ids:
        # Read from the filter rows of the tag with the fewest works, the other tags checked
        # per row; only the page's works are loaded (listing_rows_for_tag says why).
        rows_of = tag_ids[0] if len(tag_ids) == 1 else most_selective(tag_ids)
        others = replace(filters, include=[tag_id for tag_id in tag_ids if tag_id != rows_of])
        listing, page_obj = _page_of_rows(
            request, listing_rows_for_tag(tag_id=rows_of, viewer=viewer), others, viewer=viewer
        )
    else:
        if works is None:
            works = works_posted_visible_to(viewer)
        listing = works_without_exclusions(
            works_filter(works, filters, viewer=viewer), viewer=viewer
        )
        if relevance is not None and filters.sort == RELEVANCE:
            listing = relevance(listing)
        else:
            listing = works_sort(listing, filters.sort, filters.direction)
        page_obj = paginate_capped(
            request, works_for_blurbs(listing), count_key=_count_key(request, viewer)
        )
    total = page_obj.paginator.count
    key = _top_tags_key(request, viewer, total)
    cached = cache.get(key)
    if cached is None:
        cached = top_tags(listing, total=total, include=filters.include, exclude=filters.exclude)
        cache.set(key, cached, TOP_TAGS_CACHE_SECONDS)
    groups, sampled = cached
    active = any(
        value for key, value in request.GET.items() if key not in ("page", "sort", "direction", "q")
    )
    return FilteredListing(form, filters, page_obj, groups, sampled, active)


def _page_of_rows(request, rows: QuerySet, filters: WorkFilters, *, viewer):
    """Filter, sort and page rows that stand for works (a tag's filter rows, search index
    rows), then load the page's works: (the filtered rows, the page of works)."""
    rows = works_without_exclusions(
        works_filter(rows, filters, viewer=viewer), viewer=viewer, work_ref="work_id"
    )
    rows = works_sort(rows, filters.sort, filters.direction)
    # Search rows are all read to be sorted: their page counts them in the same read.
    page_obj = paginate_capped(
        request,
        rows.values_list("work_id", flat=True),
        counted_with_page=rows.model is SearchDocument,
        count_key=_count_key(request, viewer),
    )
    page_obj.object_list = works_in_order(list(page_obj.object_list))
    return rows, page_obj
