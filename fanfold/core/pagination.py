"""One paginator for every listing, so every list pages the same way (?page=N, 404 past the end)."""

from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404


def paginate(request, queryset, per_page: int | None = None):
    paginator = Paginator(queryset, per_page or settings.FANFOLD_WORKS_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        if paginator.count == 0:
            return paginator.page(1)
        raise Http404("There is no such page.") from exc
