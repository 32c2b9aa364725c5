"""Reads for tag pages, the wrangling screens, the fandom index and autocomplete.

Nothing here may reveal a draft's or a hidden work's tags: a tag is shown to readers only when
it is canonical (wranglers vetted it) or when posted works they may see use it (the cached
counts of fanfold.tags.counts). Wranglers see every tag on posted, unhidden works."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from fanfold.core.permissions import is_wrangler
from fanfold.works.models import Tagging
from fanfold.works.selectors import works_posted_visible_to

from .models import (
    FANDOM_CHILD_TYPES,
    MEDIA,
    MEDIA_TYPE,
    UNCATEGORIZED_MEDIA,
    FilterTagging,
    ParentTagging,
    Tag,
    TagType,
    WranglingChange,
    tag_name_from_url,
)


def tag_find_by_name(name: str) -> Tag | None:
    """The tag with this name in any case (spaces collapsed), through the index on
    lower(name) that also keeps names unique (name__iexact would compare upper())."""
    name = " ".join((name or "").split()).lower()
    return Tag.objects.annotate(lower_name=Lower("name")).filter(lower_name=name).first()


def tag_find(url_name: str) -> Tag | None:
    """The tag named by a URL segment (AO3's escapes, any case)."""
    return tag_find_by_name(tag_name_from_url(url_name))


def _count_field(viewer) -> str:
    if viewer is not None and viewer.is_authenticated:
        return "works_count"
    return "public_works_count"


def tags_shown_to(tags: QuerySet, viewer) -> QuerySet:
    """The tags a viewer may see named: canonical ones and those on works the viewer can see."""
    if is_wrangler(viewer):
        return tags
    return tags.filter(Q(canonical=True) | Q(**{f"{_count_field(viewer)}__gt": 0}))


@dataclass
class TagFamily:
    synonyms: list[Tag]
    parents: list[Tag]
    children: dict[str, list[Tag]]  # type label -> tags
    metas: list[Tag]
    subs: list[Tag]


def tag_family(*, tag: Tag, viewer) -> TagFamily:
    """What a tag's page shows about its wrangling."""
    synonyms = list(tags_shown_to(tag.synonyms.all(), viewer))
    parents = list(Tag.objects.filter(child_taggings__child=tag))
    children: dict[str, list[Tag]] = {}
    for child in tags_shown_to(Tag.objects.filter(parent_taggings__parent=tag), viewer).order_by(
        "type", Lower("name")
    ):
        children.setdefault(child.get_type_display(), []).append(child)
    metas = list(Tag.objects.filter(sub_taggings__sub=tag))
    subs = list(Tag.objects.filter(meta_taggings__meta=tag))
    return TagFamily(synonyms, parents, children, metas, subs)


def tag_changes(*, tag: Tag) -> QuerySet:
    return WranglingChange.objects.filter(tag=tag).select_related("user")


# --- Wrangling queues ----------------------------------------------------------------------


def _unwrangled() -> Q:
    return Q(canonical=False, merger__isnull=True, unwrangleable=False)


@dataclass
class FandomQueue:
    fandom: Tag
    counts: dict[str, int] = field(default_factory=dict)  # type value -> unwrangled tags

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def wrangling_fandoms(*, user) -> list[FandomQueue]:
    """Every fandom (not a synonym) whose posted works use tags nobody has wrangled yet, with
    how many such tags of each type; most unwrangled first."""
    visible = works_posted_visible_to(user)
    rows = (
        FilterTagging.objects.filter(
            filter__type=TagType.FANDOM,
            filter__merger__isnull=True,
            work__in=visible,
            work__taggings__tag__type__in=FANDOM_CHILD_TYPES,
            work__taggings__tag__canonical=False,
            work__taggings__tag__merger__isnull=True,
            work__taggings__tag__unwrangleable=False,
        )
        .values("filter_id", "work__taggings__tag__type")
        .annotate(tags=Count("work__taggings__tag_id", distinct=True))
    )
    queues: dict[int, FandomQueue] = {}
    for row in rows:
        queues.setdefault(row["filter_id"], FandomQueue(fandom=Tag()))
        queues[row["filter_id"]].counts[row["work__taggings__tag__type"]] = row["tags"]
    fandoms = Tag.objects.in_bulk(queues.keys())
    for fandom_id, queue in queues.items():
        queue.fandom = fandoms[fandom_id]
    return sorted(queues.values(), key=lambda q: (-q.total, q.fandom.name.lower()))


def unwrangled_fandom_count(*, user) -> int:
    """Fandom tags on posted works that are neither canonical, synonyms nor unwrangleable."""
    return wrangling_queue(user=user, fandom=None, type=TagType.FANDOM).count()


def wrangling_queue(*, user, fandom: Tag | None, type: str) -> QuerySet:
    """The unwrangled tags of one type used on posted works the user may see, in one fandom
    (found by it, so its synonyms' works count), with how many such works use each tag."""
    works = works_posted_visible_to(user)
    if fandom is not None:
        works = works.filter(
            Exists(FilterTagging.objects.filter(work=OuterRef("pk"), filter=fandom))
        )
    used = Tagging.objects.filter(tag=OuterRef("pk"), work__in=works)
    return (
        Tag.objects.filter(_unwrangled(), type=type)
        .filter(Exists(used))
        .annotate(uses=Count("taggings", filter=Q(taggings__work__in=works)))
        .order_by(Lower("name"))
    )


# --- Fandom index --------------------------------------------------------------------------


def media_tags() -> list[Tag]:
    order = {name: index for index, name in enumerate(MEDIA)}
    tags = list(Tag.objects.filter(type=MEDIA_TYPE))
    return sorted(tags, key=lambda tag: (order.get(tag.name, len(order)), tag.name.lower()))


def _fandoms_listed(viewer) -> QuerySet:
    # Synonyms are found through their canonical fandom; a fandom no visible work uses is not
    # listed (it may be on a draft only).
    count = _count_field(viewer)
    return Tag.objects.filter(type=TagType.FANDOM, merger__isnull=True, **{f"{count}__gt": 0})


def fandoms_in_media(*, media: Tag, viewer) -> QuerySet:
    """The fandoms listed under a media category, alphabetically, each with `count` (works the
    viewer may see). Fandoms in no media category are Uncategorized Fandoms."""
    fandoms = _fandoms_listed(viewer)
    in_media = Q(parent_taggings__parent=media)
    if media.name == UNCATEGORIZED_MEDIA:
        in_any = ParentTagging.objects.filter(child=OuterRef("pk"), parent__type=MEDIA_TYPE)
        fandoms = fandoms.filter(in_media | ~Exists(in_any))
    else:
        fandoms = fandoms.filter(in_media)
    return fandoms.distinct().order_by(Lower("name"))


@dataclass
class MediaSummary:
    media: Tag
    fandom_count: int
    top: list[Tag]


def media_index(*, viewer, top: int = 5) -> list[MediaSummary]:
    """Every media category with its number of fandoms and its fandoms with the most works."""
    count = _count_field(viewer)
    summaries = []
    for media in media_tags():
        fandoms = fandoms_in_media(media=media, viewer=viewer)
        summaries.append(
            MediaSummary(
                media=media,
                fandom_count=fandoms.count(),
                top=list(fandoms.order_by(f"-{count}", Lower("name"))[:top]),
            )
        )
    return summaries


# --- Autocomplete --------------------------------------------------------------------------


def tag_suggestions(*, term: str, type: str | None, viewer, limit: int | None = None) -> list[Tag]:
    """Tags whose names start with `term` (any case): canonical tags first, then the others
    readers can see, each group alphabetically. Served by the (type, lower(name)) index."""
    limit = limit or settings.FANFOLD_TAG_AUTOCOMPLETE_LIMIT
    term = " ".join((term or "").split()).lower()
    if not term:
        return []
    tags = Tag.objects.annotate(lower_name=Lower("name"))
    if connection.vendor == "postgresql":
        tags = tags.filter(lower_name__startswith=term)
    else:
        # SQLite: a range on lower(name) uses the index; LIKE would scan the table.
        tags = tags.filter(lower_name__gte=term, lower_name__lt=term + "\U0010ffff")
    tags = tags.filter(type=type) if type else tags.exclude(type=MEDIA_TYPE)
    canonical: list[Tag] = list(tags.filter(canonical=True).order_by("lower_name")[:limit])
    if len(canonical) >= limit:
        return canonical
    others = tags.filter(canonical=False, **{f"{_count_field(viewer)}__gt": 0})
    canonical.extend(others.order_by("lower_name")[: limit - len(canonical)])
    return canonical
