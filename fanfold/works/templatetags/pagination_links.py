"""Tags for paged listings: links that keep the rest of the query string, AO3's page number
strip with gaps, and the "1 - 20 of 45 Works" count in headings."""

from django import template
from django.core.paginator import Page

register = template.Library()


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The current URL with ?page=number, other query parameters kept (page 1 has no page=)."""
    query = context["request"].GET.copy()
    if int(number) == 1:
        query.pop("page", None)
    else:
        query["page"] = number
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else context["request"].path


@register.simple_tag
def page_numbers(page_obj: Page) -> list:
    """Page numbers around the current one, with the first and last; gaps are "…"."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.simple_tag
def result_count(page_obj: Page, noun: str) -> str:
    """AO3's heading count: "1 - 20 of 45 Works" when there are several pages, else "3 Works"
    (or "1 Work")."""
    total = page_obj.paginator.count
    plural = noun if total == 1 else f"{noun}s"
    if page_obj.paginator.num_pages > 1:
        return f"{page_obj.start_index()} - {page_obj.end_index()} of {total:,} {plural}"
    return f"{total:,} {plural}"
