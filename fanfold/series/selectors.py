"""Reads of series. A series shows each viewer only the works they may see (drafts to their
creators, restricted works to logged-in users, hidden works to their creators and moderators);
a series none of whose works the viewer may see does not exist for them, unless it is their
own. The work page's "Part N of SERIES" (series_places_for_work) still counts hidden works for
their creators only."""

from dataclasses import dataclass

from django.db.models import QuerySet

from fanfold.core.handwritten import read_rows
from fanfold.works.models import Work
from fanfold.works.selectors import works_for_blurbs, works_gathered_for

from .models import Series, SeriesPart


def series_works_for_viewer(*, series: Series, viewer) -> list[Work]:
    """The series' works this viewer may see, in series order, ready for blurbs (for
    moderators, hidden works too: works_gathered_for)."""
    parts = SeriesPart.objects.filter(series=series, work__in=works_gathered_for(viewer))
    order = {work_id: n for n, work_id in enumerate(parts.values_list("work_id", flat=True))}
    works = list(works_for_blurbs(Work.objects.filter(pk__in=list(order))))
    return sorted(works, key=lambda work: order[work.pk])


def series_get_for_viewer(*, series_id: int, viewer) -> tuple[Series, list[Work]] | None:
    series = Series.objects.select_related("owner").filter(pk=series_id).first()
    if series is None:
        return None
    works = series_works_for_viewer(series=series, viewer=viewer)
    is_owner = viewer is not None and viewer.is_authenticated and viewer.pk == series.owner_id
    if not works and not is_owner:
        return None
    return series, works


def series_visible_to(viewer) -> QuerySet:
    """Series with at least one work this viewer may see on the series page."""
    return Series.objects.filter(
        pk__in=SeriesPart.objects.filter(work__in=works_gathered_for(viewer)).values("series_id")
    )


def series_list_for_user(*, owner, viewer) -> QuerySet:
    """The owner's series the viewer may see (all of them for the owner), newest first."""
    if viewer is not None and viewer.is_authenticated and viewer.pk == owner.pk:
        series = Series.objects.filter(owner=owner)
    else:
        series = series_visible_to(viewer).filter(owner=owner)
    return series.select_related("owner").order_by("-updated_at", "-pk")


@dataclass(frozen=True)
class SeriesPlace:
    series: Series
    number: int  # "Part N" among the parts this viewer may see
    previous: Work | None
    next: Work | None


# Written by hand (see fanfold.core.handwritten): every work page asks, and most works are in
# no series.
_SERIES_OF_WORK = (
    f"SELECT series_id FROM {SeriesPart._meta.db_table} WHERE work_id = %s ORDER BY position, id"
)


def series_places_for_work(*, work: Work, viewer) -> list[SeriesPlace]:
    """For the work page: "Part N of SERIES" with the previous and next parts, for every series
    the work is in, counting only parts this viewer may see (for moderators, hidden works too,
    as on the series page: works_gathered_for)."""
    series_ids = [series_id for (series_id,) in read_rows(SeriesPart, _SERIES_OF_WORK, [work.pk])]
    if not series_ids:
        return []
    parts = list(
        SeriesPart.objects.filter(series_id__in=series_ids, work__in=works_gathered_for(viewer))
        .select_related("series", "work")
        .order_by("series_id", "position", "pk")
    )
    places = []
    for series_id in series_ids:
        in_series = [part for part in parts if part.series_id == series_id]
        at = next((i for i, part in enumerate(in_series) if part.work_id == work.pk), None)
        if at is None:
            continue
        places.append(
            SeriesPlace(
                series=in_series[at].series,
                number=at + 1,
                previous=in_series[at - 1].work if at > 0 else None,
                next=in_series[at + 1].work if at + 1 < len(in_series) else None,
            )
        )
    return places


def series_choices_for_work(*, work: Work, user) -> list[Series]:
    """The user's series this work is not in yet (the "Add to series" choices)."""
    return list(Series.objects.filter(owner=user).exclude(parts__work=work).order_by("title", "pk"))
