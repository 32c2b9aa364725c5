"""Paging for filtered listings without counting a million rows on every page view.

The count is capped: COUNT(*) over at most COUNT_CAP + 1 rows (a LIMIT inside the count), so a
listing of a large archive reads a bounded number of index entries. Beyond the cap the heading
says "10,000+" and the pages stop there, as AO3's do; filters narrow a list further."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.utils.functional import cached_property

COUNT_CAP = 10_000


class CappedPaginator(Paginator):
    capped = False

    @cached_property
    def count(self) -> int:  # type: ignore[override]
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


def paginate_capped(request, queryset, per_page: int | None = None):
    paginator = CappedPaginator(queryset, per_page or settings.FANFOLD_WORKS_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        if paginator.count == 0:
            return paginator.page(1)
        raise Http404("There is no such page.") from exc
