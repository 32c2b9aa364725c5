"""Reads: a user's saved filters and exclusions, and applying the exclusions to a listing."""

from django.db.models import Exists, OuterRef, QuerySet

from fanfold.tags.models import FilterTagging
from fanfold.works.models import Creatorship

from .models import Exclusion, SavedFilter


def works_without_exclusions(works: QuerySet, *, viewer, work_ref: str = "pk") -> QuerySet:
    """The works minus those the viewer excluded for good: found by an excluded tag (its
    synonyms' and sub tags' works too, through the filter sets) or credited to an excluded
    creator. One query for the exclusions, then two NOT EXISTS; nothing for guests.
    `work_ref`: the queryset's work id ("work_id" over a listing's filter rows)."""
    if viewer is None or not viewer.is_authenticated:
        return works
    tag_ids, creator_ids = [], []
    for tag_id, creator_id in Exclusion.objects.filter(user=viewer).values_list(
        "tag_id", "creator_id"
    ):
        if tag_id:
            tag_ids.append(tag_id)
        if creator_id:
            creator_ids.append(creator_id)
    if tag_ids:
        works = works.exclude(
            Exists(FilterTagging.objects.filter(work=OuterRef(work_ref), filter_id__in=tag_ids))
        )
    if creator_ids:
        works = works.exclude(
            Exists(
                Creatorship.objects.filter(
                    work=OuterRef(work_ref), approved=True, pseud__user_id__in=creator_ids
                )
            )
        )
    return works


def saved_filters_for_user(*, user) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(user=user))


def exclusions_for_user(*, user) -> list[Exclusion]:
    return list(Exclusion.objects.filter(user=user).select_related("tag", "creator"))
