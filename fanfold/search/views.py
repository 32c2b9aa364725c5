"""The search page: /search?q=... with the filter sidebar over its results."""

from django.conf import settings
from django.shortcuts import render

from fanfold.core.ratelimit import client_ip, rate_limit_check
from fanfold.works.selectors import works_posted_visible_to

from .listing import filtered_listing
from .query import MAX_QUERY_LENGTH, QueryError, parse_query
from .selectors import (
    search_rows_matching,
    search_snippets,
    works_by_relevance,
    works_matching,
)
from .timelimit import SearchTooSlow, search_time_limit


def search(request):
    text = request.GET.get("q", "")
    context = {"search_query": text, "max_query_length": MAX_QUERY_LENGTH, "noun": "Work"}
    if not text.strip():
        return render(request, "search/search.html", context)
    # Each search reads the index: limited per user and address against scraping.
    rate_limit_check(scope="search", user=request.user, ip=client_ip(request))
    try:
        query = parse_query(text)
    except QueryError as error:
        return render(request, "search/search.html", {**context, "query_error": str(error)})
    try:
        with search_time_limit():
            works = works_matching(works_posted_visible_to(request.user), query)
            listing = filtered_listing(
                request,
                works,
                viewer=request.user,
                relevance=works_by_relevance(query),
                search_rows=search_rows_matching(query, viewer=request.user),
            )
            page_obj = listing.page_obj
            page_obj.object_list = list(page_obj.object_list)
            snippets = search_snippets(query, [work.pk for work in page_obj.object_list])
    except SearchTooSlow:
        seconds = f"{settings.FANFOLD_SEARCH_SECONDS:g}"
        message = (
            f"This search took longer than {seconds} seconds, so it was stopped. Try rarer "
            "words, fewer or shorter phrases, or a field such as fandom:."
        )
        return render(request, "search/search.html", {**context, "query_error": message})
    for work in page_obj.object_list:
        work.search_snippet = snippets.get(work.pk, "")
    return render(request, "search/search.html", {**context, **listing.context(), "searched": True})
