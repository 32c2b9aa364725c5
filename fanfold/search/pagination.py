"""Paging for filtered listings without counting a million rows on every page view.

The count is capped: COUNT(*) over at most COUNT_CAP + 1 rows (a LIMIT inside the count), so a
listing of a large archive reads a bounded number of index entries. Beyond the cap the heading
says "10,000+" and the pages stop there, as AO3's do; filters narrow a list further."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import Count, Window
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


class CountedWithPagePaginator(CappedPaginator):
    """For a listing of ids whose every row is read to order them anyway (search index rows
    by date: the matches come from the full-text index in no useful order). The page's query
    counts the rows too (COUNT(*) OVER ()), so the matches are read once rather than once for
    the page and again for the count; the count is capped like CappedPaginator's."""

    def page(self, number):
        number = self._validate_number(number, float("inf"))  # not a number, or below 1
        bottom = (number - 1) * self.per_page
        column = self.object_list.query.values_select[0]
        rows = list(
            self.object_list.annotate(listing_total=Window(Count("*"))).values_list(
                column, "listing_total"
            )[bottom : bottom + self.per_page]
        )
        if rows:  # otherwise an empty listing or a page past its end: count the usual way
            total = rows[0][1]
            self.capped = total > COUNT_CAP
            self.__dict__["count"] = min(total, COUNT_CAP)
        number = self.validate_number(number)
        return self._get_page([row[0] for row in rows], number, self)


def paginate_capped(request, queryset, per_page: int | None = None, *, counted_with_page=False):
    """The request's page of `queryset` (a 404 for a page that is not a number or not
    there). counted_with_page: see CountedWithPagePaginator."""
    paginator_class = CountedWithPagePaginator if counted_with_page else CappedPaginator
    paginator = paginator_class(queryset, per_page or settings.FANFOLD_WORKS_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        if paginator.count == 0:
            return paginator.page(1)
        raise Http404("There is no such page.") from exc
