"""/users/NAME/stats: a writer's statistics, for the writer only."""

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from fanfold.readings.access import owner_only

from . import selectors
from .chart import hits_chart

PERIODS = {"7": 7, "30": 30, "90": 90, "365": 365}
DEFAULT_PERIOD = "30"


def user_stats(request, username):
    owner, response = owner_only(request, username)
    if response:
        return response
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    # Titles read best A to Z; numbers biggest first. ?dir= flips either.
    default_dir = "asc" if sort == "title" else "desc"
    direction = request.GET.get("dir", default_dir)
    if direction not in ("asc", "desc"):
        direction = default_dir
    works = selectors.stats_works(user=owner, sort=sort, descending=direction == "desc")

    period = request.GET.get("days", DEFAULT_PERIOD)
    if period not in PERIODS:
        period = DEFAULT_PERIOD
    chart_work = None
    if work_id := request.GET.get("work"):
        chart_work = next((work for work in works if str(work.pk) == work_id), None)
        if chart_work is None:
            raise Http404("You have no such posted work.")
    days = selectors.stats_hits_per_day(
        user=owner, days=PERIODS[period], today=timezone.localdate(), work=chart_work
    )
    columns = [
        {
            "key": key,
            "label": label,
            "active": key == sort,
            "dir": direction if key == sort else None,
            # A click on the sorted column flips it; on another column starts at its default.
            "next_dir": ("asc" if direction == "desc" else "desc")
            if key == sort
            else ("asc" if key == "title" else "desc"),
        }
        for key, (_, label) in selectors.SORTS.items()
    ]
    return render(
        request,
        "stats/user_stats.html",
        {
            "owner": owner,
            "works": works,
            "totals": selectors.stats_totals(works),
            "user_subscribers": selectors.stats_user_subscribers(user=owner),
            "columns": columns,
            "sort": sort,
            "direction": direction,
            "chart": hits_chart(days),
            "chart_work": chart_work,
            "period": period,
            "periods": list(PERIODS),
        },
    )
