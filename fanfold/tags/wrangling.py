"""Wrangling: the services tag wranglers use to make the archive's tags findable.

Every function here is a write (see docs/development.md): keyword-only, atomic, checks that the
user may wrangle (PermissionDenied otherwise), validates (ValidationError naming the tag at
fault, nothing stored when anything is refused), records a WranglingChange per tag touched, and
rebuilds the filter sets of every work the change may affect (fanfold.tags.filters). Mass
actions take several tags and refuse all of them if any one is refused, so a wrangler never has
to find out which half of a selection was done.

Filter sets are rebuilt in the same transaction when few works are affected (at most
settings.FANFOLD_WRANGLING_SYNC_LIMIT); above that the rebuild is a background task enqueued
when the change commits, so a wrangler merging a tag used on 100,000 works gets the page back
at once and the works follow within moments.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from fanfold.core.permissions import require_wrangler

from .filters import work_filters_rebuild
from .models import (
    FANDOM_CHILD_TYPES,
    MEDIA_TYPE,
    FilterTagging,
    MetaTagging,
    ParentTagging,
    Tag,
    TagType,
    WranglingAction,
    WranglingChange,
)
from .services import _name_errors, tag_names_clean


def _record(user, tag: Tag, action: str, detail: str = "") -> None:
    WranglingChange.objects.create(tag=tag, user=user, action=action, detail=detail[:300])


def _refuse(errors: list[str]) -> None:
    if errors:
        raise ValidationError(errors)


def _fixed_error(tag: Tag) -> str | None:
    if tag.is_fixed:
        return (
            f"“{tag.name}” is one of the archive's fixed {tag.get_type_display()} tags and "
            "can't be wrangled."
        )
    return None


def _locked(tags: Iterable[Tag]) -> list[Tag]:
    """The tags as they are now in the database (another wrangler may have just changed them),
    locked against concurrent changes until the transaction ends where the database can."""
    ids = [tag.pk for tag in tags]
    by_id = {tag.pk: tag for tag in Tag.objects.select_for_update().filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


def filters_rebuild_after_wrangling(tag_ids: Iterable[int]) -> int | None:
    """Rebuild the filter sets of the works a change to these tags affects: now, when there
    are at most FANFOLD_WRANGLING_SYNC_LIMIT of them, else in a background task enqueued when
    the transaction commits. Returns the number of works rebuilt now, or None when the rebuild
    was left to the task."""
    from fanfold.works.models import Tagging

    from .tasks import filters_rebuild_task

    tag_ids = sorted(set(tag_ids))
    limit = settings.FANFOLD_WRANGLING_SYNC_LIMIT
    # Read at most limit + 1 works from each side rather than every work of a huge tag: that
    # is enough to know the change is large.
    work_ids: set[int] = set()
    for rows in (
        FilterTagging.objects.filter(filter_id__in=tag_ids),
        Tagging.objects.filter(tag_id__in=tag_ids),
    ):
        work_ids |= set(rows.values_list("work_id", flat=True).distinct()[: limit + 1])
    if len(work_ids) <= limit:
        from fanfold.search.index import search_index_works

        work_filters_rebuild(work_ids)
        search_index_works(work_ids)  # tag: and fandom: search the sets just rebuilt
        return len(work_ids)
    transaction.on_commit(lambda: filters_rebuild_task.enqueue(tag_ids))
    return None


# --- Canonical -----------------------------------------------------------------------------


@transaction.atomic
def tags_make_canonical(*, user, tags: Sequence[Tag]) -> None:
    """Make these tags canonical: the names filters and autocomplete offer first."""
    require_wrangler(user)
    tags = _locked(tags)
    errors = []
    for tag in tags:
        if error := _fixed_error(tag):
            errors.append(error)
        elif tag.canonical:
            errors.append(f"“{tag.name}” is already canonical.")
        elif tag.merger_id:
            errors.append(
                f"“{tag.name}” is a synonym of “{tag.merger}”; remove it from its canonical tag "
                "before making it canonical."
            )
    _refuse(errors)
    for tag in tags:
        tag.canonical = True
        tag.unwrangleable = False
        tag.save(update_fields=["canonical", "unwrangleable"])
        _record(user, tag, WranglingAction.CANONICAL)
    # A canonical tag finds the same works as before; nothing to rebuild.


@transaction.atomic
def tag_make_not_canonical(*, user, tag: Tag) -> None:
    """Make a canonical tag an ordinary one again. Refused while synonyms, meta or sub tags or
    child tags depend on it being canonical: the wrangler moves those first."""
    require_wrangler(user)
    (tag,) = _locked([tag])
    errors = []
    if error := _fixed_error(tag):
        errors.append(error)
    elif not tag.canonical:
        errors.append(f"“{tag.name}” is not canonical.")
    else:
        if tag.synonyms.exists():
            errors.append(
                f"“{tag.name}” has synonyms; merge them into another canonical tag or remove "
                "them first."
            )
        if (
            MetaTagging.objects.filter(meta=tag).exists()
            or MetaTagging.objects.filter(sub=tag).exists()
        ):
            errors.append(f"“{tag.name}” has meta or sub tags; remove them first.")
        if ParentTagging.objects.filter(parent=tag).exists():
            errors.append(f"“{tag.name}” has tags attached to it; detach them first.")
    _refuse(errors)
    tag.canonical = False
    tag.save(update_fields=["canonical"])
    _record(user, tag, WranglingAction.NOT_CANONICAL)


# --- Synonyms ------------------------------------------------------------------------------


def _merge_target_errors(into: Tag) -> list[str]:
    if error := _fixed_error(into):
        return [error]
    if not into.canonical:
        return [f"“{into.name}” is not canonical: tags can only be merged into a canonical tag."]
    return []


def _move_links(*, user, tag: Tag, into: Tag) -> set[int]:
    """A canonical tag becoming a synonym hands its synonyms, meta and sub tags, fandoms and
    children to the canonical tag it joins, so nothing found through it is lost. Returns the
    ids of tags whose filter sets change with it."""
    touched: set[int] = set()
    for synonym in list(tag.synonyms.all()):
        synonym.merger = into
        synonym.save(update_fields=["merger"])
        _record(user, synonym, WranglingAction.MERGE, f"moved to “{into.name}” with “{tag.name}”")
        touched.add(synonym.pk)
    below_into = _descendant_ids(into)
    above_into = _ancestor_ids(into)
    for link in list(MetaTagging.objects.filter(sub=tag)):
        # tag's meta tags become into's, unless that would make a cycle.
        if link.meta_id != into.pk and link.meta_id not in below_into:
            MetaTagging.objects.get_or_create(meta_id=link.meta_id, sub=into)
            touched.add(link.meta_id)
        link.delete()
    for link in list(MetaTagging.objects.filter(meta=tag)):
        if link.sub_id != into.pk and link.sub_id not in above_into:
            MetaTagging.objects.get_or_create(meta=into, sub_id=link.sub_id)
            touched.add(link.sub_id)
        link.delete()
    for parent_link in list(ParentTagging.objects.filter(child=tag)):
        ParentTagging.objects.get_or_create(parent_id=parent_link.parent_id, child=into)
        parent_link.delete()
    for child_link in list(ParentTagging.objects.filter(parent=tag)):
        ParentTagging.objects.get_or_create(parent=into, child_id=child_link.child_id)
        child_link.delete()
    return touched


@transaction.atomic
def tags_merge(*, user, tags: Sequence[Tag], into: Tag) -> int | None:
    """Make these tags synonyms of the canonical tag `into` (same type), so works tagged with
    any of them are found by it. A canonical tag merged in hands over its own synonyms, meta
    and sub tags, fandoms and children. Returns what filters_rebuild_after_wrangling returns."""
    require_wrangler(user)
    (into,) = _locked([into])
    tags = _locked(tags)
    errors = _merge_target_errors(into)
    for tag in tags:
        if error := _fixed_error(tag):
            errors.append(error)
        elif tag.pk == into.pk:
            errors.append(f"“{tag.name}” can't be a synonym of itself.")
        elif tag.type != into.type:
            errors.append(
                f"“{tag.name}” is a {tag.get_type_display()} tag and “{into.name}” a "
                f"{into.get_type_display()} tag: synonyms must be of the same type."
            )
        elif tag.merger_id == into.pk:
            errors.append(f"“{tag.name}” is already a synonym of “{into.name}”.")
    _refuse(errors)
    touched = {into.pk}
    for tag in tags:
        old_merger = tag.merger
        touched |= {tag.pk} | ({old_merger.pk} if old_merger else set())
        touched |= _move_links(user=user, tag=tag, into=into)
        tag.merger = into
        tag.canonical = False
        tag.unwrangleable = False
        tag.save(update_fields=["merger", "canonical", "unwrangleable"])
        detail = f"synonym of “{into.name}”"
        if old_merger:
            detail += f" (was a synonym of “{old_merger.name}”)"
        _record(user, tag, WranglingAction.MERGE, detail)
        _record(user, into, WranglingAction.MERGE, f"“{tag.name}” merged in as a synonym")
    return filters_rebuild_after_wrangling(touched)


@transaction.atomic
def tag_unmerge(*, user, tag: Tag) -> int | None:
    """Stop a synonym being a synonym: works tagged with it are no longer found by its
    former canonical tag."""
    require_wrangler(user)
    (tag,) = _locked([tag])
    if tag.merger_id is None:
        raise ValidationError([f"“{tag.name}” is not a synonym of any tag."])
    merger = tag.merger
    assert merger is not None
    tag.merger = None
    tag.save(update_fields=["merger"])
    _record(user, tag, WranglingAction.UNMERGE, f"was a synonym of “{merger.name}”")
    _record(user, merger, WranglingAction.UNMERGE, f"“{tag.name}” is no longer a synonym")
    return filters_rebuild_after_wrangling([tag.pk, merger.pk])


# --- Fandoms and media ---------------------------------------------------------------------


def _parent_errors(tag: Tag, parent: Tag) -> list[str]:
    if tag.is_fixed:
        return [_fixed_error(tag) or ""]
    if tag.type in FANDOM_CHILD_TYPES:
        if parent.type != TagType.FANDOM:
            return [
                f"“{parent.name}” is a {parent.get_type_display()} tag: "
                f"{tag.get_type_display()} tags are attached to fandoms."
            ]
    elif tag.type == TagType.FANDOM and parent.type != MEDIA_TYPE:
        return [f"“{parent.name}” is not a media category: fandoms are put into media."]
    if parent.type == TagType.FANDOM and not parent.canonical:
        return [f"“{parent.name}” is not canonical: tags are attached to canonical fandoms."]
    return []


@transaction.atomic
def tags_attach_to_parent(*, user, tags: Sequence[Tag], parent: Tag) -> None:
    """Attach characters, relationships or additional tags to a canonical fandom, or fandoms
    to a media category. A tag already attached there is left as it is."""
    require_wrangler(user)
    (parent,) = _locked([parent])
    tags = _locked(tags)
    errors: list[str] = []
    for tag in tags:
        errors.extend(_parent_errors(tag, parent))
    _refuse(errors)
    for tag in tags:
        _, created = ParentTagging.objects.get_or_create(parent=parent, child=tag)
        if created:
            _record(user, tag, WranglingAction.ATTACH, f"to “{parent.name}”")


@transaction.atomic
def tag_detach_from_parent(*, user, tag: Tag, parent: Tag) -> None:
    require_wrangler(user)
    deleted, _ = ParentTagging.objects.filter(parent=parent, child=tag).delete()
    if not deleted:
        raise ValidationError([f"“{tag.name}” is not attached to “{parent.name}”."])
    _record(user, tag, WranglingAction.DETACH, f"from “{parent.name}”")


# --- Meta tags -----------------------------------------------------------------------------


def _walk(start: int, *, up: bool) -> set[int]:
    """Every tag above (up=True: meta tags) or below (sub tags) `start`, at any depth."""
    seen: set[int] = set()
    frontier = {start}
    while frontier:
        if up:
            rows = MetaTagging.objects.filter(sub_id__in=frontier).values_list("meta_id", flat=True)
        else:
            rows = MetaTagging.objects.filter(meta_id__in=frontier).values_list("sub_id", flat=True)
        frontier = set(rows) - seen - {start}
        seen |= frontier
    return seen


def _ancestor_ids(tag: Tag) -> set[int]:
    return _walk(tag.pk, up=True)


def _descendant_ids(tag: Tag) -> set[int]:
    return _walk(tag.pk, up=False)


@transaction.atomic
def tag_meta_add(*, user, tag: Tag, meta: Tag) -> int | None:
    """Make `meta` a meta tag of `tag`: filtering by `meta` then finds the works found by
    `tag`. Both must be canonical and of the same type, and no tag may end up above itself."""
    require_wrangler(user)
    tag, meta = _locked([tag, meta]) if tag.pk != meta.pk else (tag, meta)
    errors = []
    for each in (tag, meta):
        if error := _fixed_error(each):
            errors.append(error)
        elif not each.canonical:
            errors.append(f"“{each.name}” is not canonical: only canonical tags have meta tags.")
    if not errors:
        if tag.type != meta.type:
            errors.append(
                f"“{meta.name}” is a {meta.get_type_display()} tag and “{tag.name}” a "
                f"{tag.get_type_display()} tag: meta tags must be of the same type."
            )
        elif tag.pk == meta.pk:
            errors.append(f"“{tag.name}” can't be its own meta tag.")
        elif meta.pk in _descendant_ids(tag):
            errors.append(
                f"“{meta.name}” is already below “{tag.name}”; making it a meta tag of "
                f"“{tag.name}” would make a loop."
            )
        elif MetaTagging.objects.filter(meta=meta, sub=tag).exists():
            errors.append(f"“{meta.name}” is already a meta tag of “{tag.name}”.")
    _refuse(errors)
    MetaTagging.objects.create(meta=meta, sub=tag)
    _record(user, tag, WranglingAction.META_ADD, f"“{meta.name}”")
    _record(user, meta, WranglingAction.META_ADD, f"sub tag “{tag.name}”")
    return filters_rebuild_after_wrangling([tag.pk, meta.pk])


@transaction.atomic
def tag_meta_remove(*, user, tag: Tag, meta: Tag) -> int | None:
    require_wrangler(user)
    deleted, _ = MetaTagging.objects.filter(meta=meta, sub=tag).delete()
    if not deleted:
        raise ValidationError([f"“{meta.name}” is not a meta tag of “{tag.name}”."])
    _record(user, tag, WranglingAction.META_REMOVE, f"“{meta.name}”")
    _record(user, meta, WranglingAction.META_REMOVE, f"sub tag “{tag.name}”")
    return filters_rebuild_after_wrangling([tag.pk, meta.pk])


# --- Unwrangleable and names ---------------------------------------------------------------


@transaction.atomic
def tags_set_unwrangleable(*, user, tags: Sequence[Tag], unwrangleable: bool = True) -> None:
    """Mark tags as ones wranglers decided not to wrangle (they leave the queues), or undo it.
    Canonical tags and synonyms are wrangled already and can't be marked."""
    require_wrangler(user)
    tags = _locked(tags)
    errors = []
    for tag in tags:
        if error := _fixed_error(tag):
            errors.append(error)
        elif unwrangleable and (tag.canonical or tag.merger_id):
            errors.append(
                f"“{tag.name}” is {'canonical' if tag.canonical else 'a synonym'}, so it is "
                "wrangled already and can't be marked unwrangleable."
            )
        elif tag.unwrangleable == unwrangleable:
            state = "already" if unwrangleable else "not"
            errors.append(f"“{tag.name}” is {state} marked unwrangleable.")
    _refuse(errors)
    for tag in tags:
        tag.unwrangleable = unwrangleable
        tag.save(update_fields=["unwrangleable"])
        _record(
            user,
            tag,
            WranglingAction.UNWRANGLEABLE if unwrangleable else WranglingAction.WRANGLEABLE,
        )


@transaction.atomic
def tag_rename(*, user, tag: Tag, name: str) -> None:
    """Change a tag's capitalisation or spacing ("harry potter" to "Harry Potter"). Other
    renames are refused: a different name is a different tag (make it a synonym instead)."""
    require_wrangler(user)
    (tag,) = _locked([tag])
    cleaned = tag_names_clean([name])
    errors: list[str] = []
    if error := _fixed_error(tag):
        errors.append(error)
    elif not cleaned:
        errors.append("Please enter the tag's new name.")
    else:
        new_name = cleaned[0]
        errors.extend(_name_errors(new_name))
        if not errors and new_name.lower() != tag.name.lower():
            errors.append(
                f"“{new_name}” differs from “{tag.name}” by more than capitalisation. Only the "
                "capitalisation of a tag's name can change; for another name, make a synonym."
            )
        elif not errors and new_name == tag.name:
            errors.append(f"The tag is already called “{tag.name}”.")
    if errors:
        raise ValidationError({"name": errors})
    old = tag.name
    tag.name = cleaned[0]
    tag.save(update_fields=["name"])
    _record(user, tag, WranglingAction.RENAME, f"from “{old}” to “{tag.name}”")
