"""Filter sets: which tags each work can be found by.

A work is found by each of its own tags, by the canonical tag of each synonym among them, and
by every meta tag above those, however many levels up (AO3's "filter taggings", with the meta
tags marked inherited). The set is stored per work in FilterTagging and rebuilt here whenever a
work's tags change (works services call work_filters_rebuild) or wrangling changes a tag (the
wrangling services call filters_rebuild_for_tags), so listings and filters only join
FilterTagging and never walk synonyms or meta tags at query time.
"""

from collections.abc import Iterable

from django.db import transaction

from .models import FilterTagging, Listed, MetaTagging, Tag

# Works rebuilt per round of queries; keeps each IN (...) list well under SQLite's limits.
CHUNK = 500


def filter_sets_for_tags(tag_ids: Iterable[int]) -> dict[int, dict[int, bool]]:
    """For each tag id, the tags a work tagged with it is found by: {filter id: inherited}."""
    tag_ids = set(tag_ids)
    if not tag_ids:
        return {}
    mergers = dict(Tag.objects.filter(pk__in=tag_ids).values_list("pk", "merger_id"))
    direct = {
        tag_id: {tag_id} | ({mergers[tag_id]} if mergers.get(tag_id) else set())
        for tag_id in tag_ids
    }

    # Every meta tag above any of the direct filters, one query per level (meta tags are few
    # levels deep); `visited` guards against a cycle a wrangler might have made.
    metas_of: dict[int, set[int]] = {}
    frontier = set().union(*direct.values())
    visited: set[int] = set()
    while frontier:
        visited |= frontier
        found: dict[int, set[int]] = {}
        for sub_id, meta_id in MetaTagging.objects.filter(sub_id__in=frontier).values_list(
            "sub_id", "meta_id"
        ):
            found.setdefault(sub_id, set()).add(meta_id)
        metas_of.update(found)
        frontier = set().union(*found.values()) - visited if found else set()

    def ancestors(start: set[int]) -> set[int]:
        seen: set[int] = set()
        stack = list(start)
        while stack:
            for meta_id in metas_of.get(stack.pop(), ()):
                if meta_id not in seen:
                    seen.add(meta_id)
                    stack.append(meta_id)
        return seen

    result: dict[int, dict[int, bool]] = {}
    for tag_id, filters in direct.items():
        entry = dict.fromkeys(ancestors(filters) - filters, True)
        entry.update(dict.fromkeys(filters, False))
        result[tag_id] = entry
    return result


def listed_for(*, is_posted: bool, is_hidden: bool, is_restricted: bool) -> int:
    """Who a work with these flags is listed for (FilterTagging.listed)."""
    if not is_posted or is_hidden:
        return Listed.NOBODY
    return Listed.USERS if is_restricted else Listed.EVERYONE


def _listing_fields(work_ids: list[int]) -> dict[int, tuple]:
    from fanfold.works.models import Work

    rows = Work.objects.filter(pk__in=work_ids).values_list(
        "pk", "revised_at", "is_posted", "is_hidden", "is_restricted"
    )
    return {
        pk: (revised_at, listed_for(is_posted=posted, is_hidden=hidden, is_restricted=restricted))
        for pk, revised_at, posted, hidden, restricted in rows
    }


def filter_rows_sync_work(work_id: int) -> None:
    """Copy the work's "Updated" date and visibility into its filter rows (called for every
    change of a work through works.changes.work_changed; writes nothing when they match)."""
    fields = _listing_fields([work_id]).get(work_id)
    if fields is None:
        return
    revised_at, listed = fields
    updated = (
        FilterTagging.objects.filter(work_id=work_id)
        .exclude(revised_at=revised_at, listed=listed)
        .update(revised_at=revised_at, listed=listed)
    )
    if updated:
        from fanfold.search.pagination import listings_changed

        listings_changed()  # posted, hidden, restricted or updated: listings show it otherwise


def filter_rows_drop_work(work_id: int) -> None:
    """Delete the filter rows of a work about to be deleted (they would go with it): its tags'
    listings and counts lose it."""
    from fanfold.search.pagination import listings_changed

    if FilterTagging.objects.filter(work_id=work_id).delete()[0]:
        listings_changed()


@transaction.atomic
def work_filters_rebuild(work_ids: Iterable[int]) -> None:
    """Make the stored filter sets of these works match their tags and the current wrangling,
    writing only the rows that differ."""
    from fanfold.search.pagination import listings_changed
    from fanfold.works.models import Tagging

    from .counts import tag_counts_refresh_on_commit

    work_ids = sorted(set(work_ids))
    listings_changed()
    recount: set[int] = set()
    for start in range(0, len(work_ids), CHUNK):
        chunk = work_ids[start : start + CHUNK]
        tags_of: dict[int, set[int]] = {work_id: set() for work_id in chunk}
        for work_id, tag_id in Tagging.objects.filter(work_id__in=chunk).values_list(
            "work_id", "tag_id"
        ):
            tags_of[work_id].add(tag_id)
        sets = filter_sets_for_tags(set().union(*tags_of.values()))

        wanted: dict[tuple[int, int], bool] = {}
        for work_id, tag_ids in tags_of.items():
            for tag_id in tag_ids:
                for filter_id, inherited in sets[tag_id].items():
                    # A filter reached both directly and through a meta tag is direct.
                    key = (work_id, filter_id)
                    wanted[key] = wanted.get(key, True) and inherited

        listing = _listing_fields(chunk)
        existing = {
            (row.work_id, row.filter_id): row
            for row in FilterTagging.objects.filter(work_id__in=chunk)
        }
        stale = [row.pk for key, row in existing.items() if key not in wanted]
        # The tags that find a work more or fewer than before need their counts redone.
        recount |= {key[1] for key in existing if key not in wanted}
        recount |= {key[1] for key in wanted if key not in existing}
        if stale:
            FilterTagging.objects.filter(pk__in=stale).delete()
        FilterTagging.objects.bulk_create(
            FilterTagging(
                work_id=work_id,
                filter_id=filter_id,
                inherited=inherited,
                revised_at=listing[work_id][0],
                listed=listing[work_id][1],
            )
            for (work_id, filter_id), inherited in wanted.items()
            if (work_id, filter_id) not in existing
        )
        changed = [
            row for key, row in existing.items() if key in wanted and row.inherited != wanted[key]
        ]
        for row in changed:
            row.inherited = wanted[(row.work_id, row.filter_id)]
        if changed:
            FilterTagging.objects.bulk_update(changed, ["inherited"])
    tag_counts_refresh_on_commit(recount)


def works_affected_by_tags(tag_ids: Iterable[int]) -> set[int]:
    """The works whose filter sets may change when these tags are wrangled: the works found by
    them now (through synonyms and sub tags too) and the works tagged with them."""
    from fanfold.works.models import Tagging

    tag_ids = set(tag_ids)
    found = FilterTagging.objects.filter(filter_id__in=tag_ids).values_list("work_id", flat=True)
    tagged = Tagging.objects.filter(tag_id__in=tag_ids).values_list("work_id", flat=True)
    return set(found) | set(tagged)


def filters_rebuild_for_tags(tag_ids: Iterable[int]) -> int:
    """Rebuild the filter sets of every work a change to these tags may affect. Call it with
    the tags on both sides of a change (a synonym and its old and new canonical tag; a sub tag
    and its meta tag) after the change is saved. Returns the number of works rebuilt."""
    from fanfold.search.index import search_index_works

    work_ids = works_affected_by_tags(tag_ids)
    work_filters_rebuild(work_ids)
    # Search matches the tags a work is found by (tag:, fandom:): follow the new sets there too.
    search_index_works(work_ids)
    return len(work_ids)
