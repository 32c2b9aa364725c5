"""Cached work counts per tag (Tag.works_count, Tag.public_works_count).

Index pages show how many works each fandom has. Counting live means joining every filter row
of every listed fandom to its work and checking visibility: fine for a small archive, seconds
at a million works. So each tag keeps its two counts (posted, unhidden works; and those of them
not restricted, what guests see), recounted exactly for the tags a change touches:
- when a work's filter set changes (fanfold.tags.filters.work_filters_rebuild),
- when a work is posted, hidden, restricted or deleted (fanfold.works.changes.work_changed),
each time in a background task enqueued when the change commits. Exact recounts rather than
+1/-1 keep the numbers right whatever order tasks run in; `fanfold tag_counts_refresh`
recounts every tag (after an import, or if a worker was down).

Only the tags writers type are counted (fandoms, characters, relationships, additional tags):
the fixed ratings, warnings and categories are on nearly every work, so recounting them on
every post would cost the most for the numbers nobody browses by.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from .models import USER_TAG_TYPES, FilterTagging, Listed, Tag

CHUNK = 500


def tag_counts_refresh(tag_ids: Iterable[int]) -> None:
    """Recount these tags' works (tags of the fixed types are skipped)."""
    ids = list(
        Tag.objects.filter(pk__in=set(tag_ids), type__in=USER_TAG_TYPES).values_list(
            "pk", flat=True
        )
    )
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        counts = {
            row["filter_id"]: row
            # The filter rows' copy of each work's visibility: no join to works_work.
            for row in FilterTagging.objects.filter(
                filter_id__in=chunk, listed__in=[Listed.EVERYONE, Listed.USERS]
            )
            .values("filter_id")
            .annotate(
                all=Count("work_id"), public=Count("work_id", filter=Q(listed=Listed.EVERYONE))
            )
        }
        tags = list(Tag.objects.filter(pk__in=chunk).only("pk"))
        for tag in tags:
            row = counts.get(tag.pk, {"all": 0, "public": 0})
            tag.works_count = row["all"]
            tag.public_works_count = row["public"]
        Tag.objects.bulk_update(tags, ["works_count", "public_works_count"])


def tag_counts_refresh_all() -> int:
    """Recount every counted tag. Returns how many tags were recounted."""
    ids = list(Tag.objects.filter(type__in=USER_TAG_TYPES).values_list("pk", flat=True))
    tag_counts_refresh(ids)
    return len(ids)


def tag_counts_refresh_on_commit(tag_ids: Iterable[int]) -> None:
    """Recount these tags in a background task once the current transaction commits (at once
    when there is none); nothing happens if the transaction rolls back."""
    from .tasks import tag_counts_refresh_task

    ids = sorted(set(tag_ids))
    if ids:
        transaction.on_commit(lambda: tag_counts_refresh_task.enqueue(ids))


def tags_work_changed(work, change) -> None:
    """Called by fanfold.works.changes.work_changed: a work's visibility may have changed, so
    recount the tags it is found by (read now: a deleted work's rows are about to go), and
    copy its date and visibility into its filter rows for the listings (a deleted work's rows
    are dropped at once, so that the listings' cached counts move on)."""
    from .filters import filter_rows_drop_work, filter_rows_sync_work

    if change != "deleted":
        filter_rows_sync_work(work.pk)
    tag_counts_refresh_on_commit(
        FilterTagging.objects.filter(work_id=work.pk).values_list("filter_id", flat=True)
    )
    if change == "deleted":
        filter_rows_drop_work(work.pk)
