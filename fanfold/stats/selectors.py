"""A writer's statistics: per work hits, kudos, comments, bookmarks, subscriptions and words,
their totals, and hits per day for the chart. Only the writer sees these (the view checks)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Exists, OuterRef, QuerySet

from fanfold.subscriptions.models import Subscription
from fanfold.works.models import Creatorship, Work, WorkHit

# Sort keys of the table: URL value -> (column, label).
SORTS = {
    "title": ("title", "Title"),
    "words": ("word_count", "Words"),
    "hits": ("hit_count", "Hits"),
    "kudos": ("kudos_count", "Kudos"),
    "comments": ("comment_count", "Comments"),
    "bookmarks": ("bookmark_count", "Bookmarks"),
    "subscriptions": ("subscription_total", "Subscriptions"),
}
DEFAULT_SORT = "hits"


def _works_of(user) -> QuerySet:
    mine = Creatorship.objects.filter(work=OuterRef("pk"), pseud__user=user, approved=True)
    return Work.objects.posted().filter(Exists(mine))


def stats_works(*, user, sort: str = DEFAULT_SORT, descending: bool = True) -> list[Work]:
    """The user's posted works with `subscription_total`, in the chosen order."""
    column = SORTS.get(sort, SORTS[DEFAULT_SORT])[0]
    order = f"-{column}" if descending else column
    works = _works_of(user).annotate(subscription_total=Count("subscriptions", distinct=True))
    return list(works.order_by(order, "title", "pk"))


def stats_totals(works: list[Work]) -> dict[str, int]:
    return {
        key: sum(getattr(work, column) for work in works)
        for key, (column, _) in SORTS.items()
        if key != "title"
    }


def stats_user_subscribers(*, user) -> int:
    return Subscription.objects.filter(writer=user).count()


@dataclass(frozen=True)
class DayHits:
    day: date
    hits: int


def stats_hits_per_day(*, user, days: int, today: date, work: Work | None = None) -> list[DayHits]:
    """Hits per day over the last `days` days (today included), zero-filled, for all the user's
    works or one of them."""
    start = today - timedelta(days=days - 1)
    hits = WorkHit.objects.filter(day__gte=start, day__lte=today)
    hits = hits.filter(work=work) if work is not None else hits.filter(work__in=_works_of(user))
    counted = dict(hits.values("day").annotate(n=Count("pk")).values_list("day", "n"))
    return [
        DayHits(day=start + timedelta(days=i), hits=counted.get(start + timedelta(days=i), 0))
        for i in range(days)
    ]
