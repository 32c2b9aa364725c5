"""One call that turns a listing's works into a filtered, sorted, paged page with its sidebar,
used by every work listing (/works, tag works, user and pseud works, search results)."""

import hashlib
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import QuerySet

from fanfold.works.selectors import (
    works_for_blurbs,
    works_listed_for_tag,
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
from .pagination import paginate_capped

# The sidebar's top tags are the same for every page of a listing and every reader who sees
# the same works; counting them is the costliest part of a page of a large archive. They are
# kept this long per listing, filters, order and reader (AO3's counts lag similarly): a new
# work shows up in the listing at once and in the sidebar's counts within this time.
TOP_TAGS_CACHE_SECONDS = 120


def _top_tags_key(request, viewer, total: int) -> str:
    query = sorted((key, value) for key, value in request.GET.lists() if key != "page")
    reader = f"user{viewer.pk}" if viewer is not None and viewer.is_authenticated else "guest"
    shown = repr((request.path, query, reader, total))
    return "top-tags:" + hashlib.blake2b(shown.encode(), digest_size=16).hexdigest()


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


def filtered_listing(request, works: QuerySet | None, *, viewer, relevance=None) -> FilteredListing:
    """Apply the request's filters (GET) and the viewer's permanent exclusions to `works` (a
    queryset that already obeys visibility; None: every posted work the viewer may see), sort,
    page, and count the top tags.
    `relevance`: a function ordering `works` by best match, for search results."""
    from fanfold.savedfilters.selectors import works_without_exclusions

    form = WorkFilterForm(request.GET or None, relevance=relevance is not None)
    if form.is_bound:
        form.is_valid()  # errors are shown beside their fields; the valid rest still applies
    filters = form.filters()
    if works is None:
        # Filtering every work by tags: start from the most selective tag's rows, whose copy of
        # each work's visibility makes a check of works_work per row unnecessary.
        if filters.include:
            works = works_listed_for_tag(tag_id=most_selective(filters.include), viewer=viewer)
        else:
            works = works_posted_visible_to(viewer)
    works = works_without_exclusions(works_filter(works, filters, viewer=viewer), viewer=viewer)
    if relevance is not None and filters.sort == RELEVANCE:
        works = relevance(works)
    else:
        works = works_sort(works, filters.sort, filters.direction)
    page_obj = paginate_capped(request, works_for_blurbs(works))
    total = page_obj.paginator.count
    key = _top_tags_key(request, viewer, total)
    cached = cache.get(key)
    if cached is None:
        cached = top_tags(works, total=total, include=filters.include, exclude=filters.exclude)
        cache.set(key, cached, TOP_TAGS_CACHE_SECONDS)
    groups, sampled = cached
    active = any(
        value for key, value in request.GET.items() if key not in ("page", "sort", "direction", "q")
    )
    return FilteredListing(form, filters, page_obj, groups, sampled, active)
