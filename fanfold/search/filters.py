"""AO3's filter sidebar for every work listing: the form that reads it from GET parameters,
applying it to a queryset of works, and the top tags of the current results.

Everything here works on a queryset that already obeys visibility
(works_posted_visible_to), so filters, counts and top tags can only narrow what the viewer may
see. Tag filters read FilterTagging (each work's precomputed filter set, fanfold.tags.filters):
including a tag is a semi-join on its (filter, work) index, excluding tags is one NOT EXISTS
with an IN list (so excluded tags are not capped), and wrangling (synonyms, meta tags) is
already reflected in the stored sets."""

import datetime
import json
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from fanfold.core.fastwidgets import FastDateInput, FastNumberInput, FastSelect, FastTextInput
from fanfold.core.handwritten import read_rows
from fanfold.tags.models import FIXED_TAG_TYPES, FilterTagging, Tag, TagType
from fanfold.works.languages import LANGUAGE_CHOICES
from fanfold.works.models import Creatorship
from fanfold.works.selectors import works_driven_by_tag, works_found_by_tag, works_newest_first

from .models import SearchDocument
from .pagination import in_order_found_first

# Top tags are counted over at most this many results (in the listing's order): exact for
# smaller result sets, a bounded sample for the big ones so a page view never aggregates over
# a million works.
TOP_TAGS_SAMPLE = 1000
TOP_TAGS_PER_TYPE = 10
# Larger than any work AO3 allows; anything above is a typing mistake.
MAX_WORDS = 100_000_000
MAX_TAG_NAMES = 1000

SORTS = {
    # key: (label, default direction)
    "updated": ("Date Updated", "desc"),
    "posted": ("Date Posted", "desc"),
    "title": ("Title", "asc"),
    "creator": ("Creator", "asc"),
    "words": ("Word Count", "desc"),
    "hits": ("Hits", "desc"),
    "kudos": ("Kudos", "desc"),
    "comments": ("Comments", "desc"),
    "bookmarks": ("Bookmarks", "desc"),
}
RELEVANCE = "relevance"

TYPE_ORDER = [
    (TagType.RATING, "Ratings"),
    (TagType.WARNING, "Warnings"),
    (TagType.CATEGORY, "Categories"),
    (TagType.FANDOM, "Fandoms"),
    (TagType.CHARACTER, "Characters"),
    (TagType.RELATIONSHIP, "Relationships"),
    (TagType.FREEFORM, "Additional Tags"),
]


class TagIdsField(forms.Field):
    """Checkbox values: tag ids. Ids of tags that no longer exist are dropped in the form."""

    widget = forms.SelectMultiple

    def to_python(self, value):
        if not value:
            return []
        try:
            return sorted({int(item) for item in value if str(item).strip()})
        except (TypeError, ValueError) as exc:
            raise ValidationError("Choose tags from the list.", code="invalid") from exc


def _split_names(value: str) -> list[str]:
    names: dict[str, str] = {}
    for name in value.split(","):
        name = " ".join(name.split())
        if name:
            names.setdefault(name.lower(), name)
    return list(names.values())


def _canonical(tag: Tag) -> int:
    # AO3 filters by the canonical tag: a synonym's works are found under it (and vice versa).
    return tag.merger_id or tag.pk


class WorkFilterForm(forms.Form):
    sort = forms.ChoiceField(required=False, label="Sort by", widget=FastSelect)
    direction = forms.ChoiceField(
        required=False,
        widget=FastSelect,
        label="Sort direction",
        choices=[("", "Default"), ("desc", "Descending"), ("asc", "Ascending")],
    )
    include = TagIdsField(required=False)
    exclude = TagIdsField(required=False)
    other_tags = forms.CharField(
        required=False, widget=FastTextInput, max_length=5000, label="Other tags to include",
        help_text="Tag names, separated by commas.",
    )  # fmt: skip
    other_excluded_tags = forms.CharField(
        required=False, widget=FastTextInput, max_length=20000, label="Other tags to exclude",
        help_text="Tag names, separated by commas.",
    )  # fmt: skip
    crossovers = forms.ChoiceField(
        required=False,
        widget=FastSelect,
        label="Crossovers",
        choices=[("", "Include crossovers"), ("exclude", "Exclude crossovers"),
                 ("only", "Only crossovers")],
    )  # fmt: skip
    complete = forms.ChoiceField(
        required=False,
        widget=FastSelect,
        label="Completion status",
        choices=[("", "All works"), ("complete", "Complete works only"),
                 ("in_progress", "Works in progress only")],
    )  # fmt: skip
    words_from = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_WORDS, widget=FastNumberInput
    )
    words_to = forms.IntegerField(
        required=False, min_value=0, max_value=MAX_WORDS, widget=FastNumberInput
    )
    updated_from = forms.DateField(
        required=False, label="Updated from", widget=FastDateInput(attrs={"type": "date"})
    )
    updated_to = forms.DateField(
        required=False, label="Updated to", widget=FastDateInput(attrs={"type": "date"})
    )
    language = forms.ChoiceField(
        required=False, choices=[("", "Any language"), *LANGUAGE_CHOICES], widget=FastSelect
    )

    def __init__(self, data=None, *, relevance: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        choices = [(key, label) for key, (label, _) in SORTS.items()]
        if relevance:
            choices.insert(0, (RELEVANCE, "Best Match"))
        sort_field = self.fields["sort"]
        assert isinstance(sort_field, forms.ChoiceField)
        sort_field.choices = [("", "Default"), *choices]
        self.fields["words_from"].error_messages["min_value"] = "Word counts can't be negative."
        self.fields["words_to"].error_messages["min_value"] = "Word counts can't be negative."
        self.fields["updated_from"].error_messages["invalid"] = "Enter a date like 2024-05-31."
        self.fields["updated_to"].error_messages["invalid"] = "Enter a date like 2024-05-31."

    def _clean_names(self, field_name: str) -> list[int]:
        names = _split_names(self.cleaned_data.get(field_name) or "")
        if len(names) > MAX_TAG_NAMES:
            raise ValidationError(f"Enter at most {MAX_TAG_NAMES} tag names.")
        if not names:
            return []
        found: dict[str, Tag] = {}
        lowered = [name.lower() for name in names]
        for start in range(0, len(lowered), 500):
            for tag in Tag.objects.annotate(lower=Lower("name")).filter(
                lower__in=lowered[start : start + 500]
            ):
                found[tag.name.lower()] = tag
        unknown = [name for name in names if name.lower() not in found]
        if unknown:
            raise ValidationError(
                "No tag is named %(names)s. Check the spelling, or pick tags from the lists.",
                params={"names": ", ".join(f"“{name}”" for name in unknown)},
            )
        return [_canonical(found[name.lower()]) for name in names]

    def clean_other_tags(self):
        return self._clean_names("other_tags")

    def clean_other_excluded_tags(self):
        return self._clean_names("other_excluded_tags")

    def clean(self):
        data = super().clean()
        low, high = data.get("words_from"), data.get("words_to")
        if low is not None and high is not None and low > high:
            self.add_error("words_to", "The word count range ends before it starts.")
            data.pop("words_from", None)  # neither end of a backwards range applies
        start, end = data.get("updated_from"), data.get("updated_to")
        if start and end and start > end:
            self.add_error("updated_to", "The date range ends before it starts.")
            data.pop("updated_from", None)
        return data

    def filters(self) -> "WorkFilters":
        """The valid parts of the request (a field with an error is left out and its message
        shown, so one typo does not empty the page)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if not self.is_bound:
            data = {}
        ids = set(data.get("include") or []) | set(data.get("exclude") or [])
        tags = {tag.pk: tag for tag in Tag.objects.filter(pk__in=ids)} if ids else {}
        include = [_canonical(tags[pk]) for pk in data.get("include") or [] if pk in tags]
        exclude = [_canonical(tags[pk]) for pk in data.get("exclude") or [] if pk in tags]
        return WorkFilters(
            sort=data.get("sort") or "",
            direction=data.get("direction") or "",
            include=sorted(set(include) | set(data.get("other_tags") or [])),
            exclude=sorted(set(exclude) | set(data.get("other_excluded_tags") or [])),
            crossovers=data.get("crossovers") or "",
            complete=data.get("complete") or "",
            words_from=data.get("words_from"),
            words_to=data.get("words_to"),
            updated_from=data.get("updated_from"),
            updated_to=data.get("updated_to"),
            language=data.get("language") or "",
        )


@dataclass
class WorkFilters:
    sort: str = ""
    direction: str = ""
    include: list[int] = field(default_factory=list)
    exclude: list[int] = field(default_factory=list)
    crossovers: str = ""
    complete: str = ""
    words_from: int | None = None
    words_to: int | None = None
    updated_from: datetime.date | None = None
    updated_to: datetime.date | None = None
    language: str = ""


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _fandom_count(work_ref: str) -> Subquery:
    # The work's own fandoms (not meta fandoms), counted once per canonical tag.
    rows = (
        FilterTagging.objects.filter(
            work=OuterRef(work_ref),
            inherited=False,
            filter__type=TagType.FANDOM,
            filter__merger__isnull=True,
        )
        .order_by()
        .values("work")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Subquery(rows, output_field=IntegerField())


def _work_columns(listing: QuerySet) -> tuple[str, str]:
    """How a listing's queryset reaches its works: (the work id, the prefix of the work's
    columns). A listing is works, one tag's filter rows (listing_rows_for_tag) or the search
    index's rows (search_rows_matching); rows carry the work's "Updated" date, so they reach
    works_work only for a filter or an order on its other columns."""
    if listing.model is FilterTagging or listing.model is SearchDocument:
        return "work_id", "work__"
    return "pk", ""


def most_selective(tag_ids: list[int]) -> int:
    """Of the included tags, the one with the fewest works (cached counts; the fixed ratings,
    warnings and categories are on so many works that they are not counted and come last)."""
    rows = Tag.objects.filter(pk__in=tag_ids).values_list("pk", "type", "works_count")
    sizes = {
        pk: (count if type_ not in FIXED_TAG_TYPES else float("inf")) for pk, type_, count in rows
    }
    return min(tag_ids, key=lambda pk: sizes.get(pk, float("inf")))


def works_filter(works: QuerySet, filters: WorkFilters, *, viewer=None) -> QuerySet:
    """The works (or rows of a tag or of the search index, see _work_columns) matching every
    filter; ordering is left to works_sort.

    Works not already read from a tag's filter rows (search results) are driven from the most
    selective included tag's rows (works_found_by_tag), the other included tags being checked
    per work: the database then reads that tag's works newest first from one index and stops
    after a page, instead of walking every work. Filter rows are already one tag's: the
    included tags are all checked per row (the caller leaves out the tag the rows are of)."""
    work_id, column = _work_columns(works)
    include = list(filters.include)
    if include and work_id == "pk" and not works_driven_by_tag(works):
        driver = most_selective(include)
        works = works_found_by_tag(works, tag_id=driver, viewer=viewer)
        include.remove(driver)
    exclude = list(filters.exclude)
    if works.model is SearchDocument:
        # PostgreSQL's search rows carry each work's filter set as an array under a GIN index
        # (migration search 0006 says why): containment and overlap, no per-row probes.
        if include:
            works = works.filter(
                RawSQL("search_document.filter_ids @> %s::bigint[]", [include], BooleanField())
            )
        if exclude:
            works = works.exclude(
                RawSQL("search_document.filter_ids && %s::bigint[]", [exclude], BooleanField())
            )
        include, exclude = [], []
    for tag_id in include:
        works = works.filter(
            Exists(FilterTagging.objects.filter(work=OuterRef(work_id), filter_id=tag_id))
        )
    if exclude:
        works = works.exclude(
            Exists(FilterTagging.objects.filter(work=OuterRef(work_id), filter_id__in=exclude))
        )
    if filters.crossovers:
        works = works.annotate(fandom_count=Coalesce(_fandom_count(work_id), Value(0)))
        if filters.crossovers == "only":
            works = works.filter(fandom_count__gte=2)
        else:
            works = works.filter(fandom_count__lt=2)
    if filters.complete == "complete":
        works = works.filter(**{f"{column}is_complete": True})
    elif filters.complete == "in_progress":
        works = works.filter(**{f"{column}is_complete": False})
    if filters.words_from is not None:
        works = works.filter(**{f"{column}word_count__gte": filters.words_from})
    if filters.words_to is not None:
        works = works.filter(**{f"{column}word_count__lte": filters.words_to})
    # Filter rows carry their own copy of the date: no prefix.
    if filters.updated_from:
        works = works.filter(revised_at__gte=_day_start(filters.updated_from))
    if filters.updated_to:
        works = works.filter(
            revised_at__lt=_day_start(filters.updated_to + datetime.timedelta(days=1))
        )
    if filters.language:
        works = works.filter(**{f"{column}language": filters.language})
    return works


_SORT_FIELDS = {
    "updated": "revised_at",
    "posted": "published_on",
    "title": "title_sort",
    "creator": "creator_sort",
    "words": "word_count",
    "hits": "hit_count",
    "kudos": "kudos_count",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
}


def works_sort(works: QuerySet, sort: str, direction: str) -> QuerySet:
    """Order by one of SORTS (unknown keys: date updated), the id breaking ties so pages never
    overlap. `works` may be a tag's filter rows (see _work_columns)."""
    if sort not in SORTS:
        sort = "updated"
    descending = (direction or SORTS[sort][1]) == "desc"
    work_id, column = _work_columns(works)
    if sort == "updated":
        if work_id == "pk":
            return works_newest_first(works, descending=descending)
        # The rows' own copy of the date: the listing index's order.
        column = ""
    if sort == "title":
        works = works.annotate(title_sort=Lower(f"{column}title"))
        column = ""
    elif sort == "creator":
        first = (
            Creatorship.objects.filter(work=OuterRef(work_id), approved=True)
            .order_by("position", "pk")
            .annotate(name=Lower("pseud__name"))
            .values("name")[:1]
        )
        works = works.annotate(creator_sort=Subquery(first))
        column = ""
    order = F(column + _SORT_FIELDS[sort])
    # Only a creator can be missing (a work whose creators all left is orphaned, not
    # creatorless, but be safe): every other sort column is set on listed works, and a plain
    # order lets PostgreSQL read an index backwards.
    nulls_last = True if sort == "creator" else None
    if descending:
        return works.order_by(order.desc(nulls_last=nulls_last), f"-{work_id}")
    return works.order_by(order.asc(nulls_last=nulls_last), work_id)


@dataclass
class TopTag:
    tag_id: int
    name: str
    count: int


@dataclass
class TagGroup:
    type: str
    label: str
    tags: list[TopTag]


# The sidebar's counts rank the sample's tags in SQL and return only each type's first
# TOP_TAGS_PER_TYPE (plus the reader's chosen tags): a thousand works carry 3,000-5,000
# distinct tags, and reading them all back to rank in Python cost more than counting them
# (40 ms of a first reader's 100 ms tag page on SQLite, 60 ms on PostgreSQL). The counts are
# grouped first, as their own step (MATERIALIZED), then each counted tag is looked up by key
# (_TAG_LOOKUP). A synonym's works are in its canonical tag's count too, so only canonical
# and unwrangled tags are ranked (a chosen tag always is). Ties are broken by lower-case name
# (SQLite lowers ASCII letters only, so names starting with other letters may tie-break
# differently on the two databases) and then by id.
_RANKED_TOP_TAGS = """
    WITH counted (tag_id, n) AS MATERIALIZED ({counted})
    SELECT tag_id, name, type, n FROM (
        SELECT counted.tag_id, tag.name, tag.type, counted.n,
            ROW_NUMBER() OVER (
                PARTITION BY tag.type ORDER BY counted.n DESC, LOWER(tag.name), counted.tag_id
            ) AS place
        FROM counted {tag_lookup}
        WHERE tag.merger_id IS NULL{or_chosen}
    ) ranked
    WHERE place <= %s{or_chosen}
"""
# Joined before counting, SQLite could drive the query from tags_tag and take tens of seconds;
# joined after, PostgreSQL hashes the whole tags table (150 ms at 300,000 tags) rather than
# look up a few thousand keys, as it over-estimates the counted rows. OFFSET 0 keeps the
# lateral lookup from being flattened back into that join.
_TAG_LOOKUP = {
    "sqlite": "JOIN tags_tag AS tag ON tag.id = counted.tag_id",
    "postgresql": (
        "CROSS JOIN LATERAL (SELECT name, type, merger_id FROM tags_tag"
        " WHERE tags_tag.id = counted.tag_id OFFSET 0) AS tag"
    ),
}


# The counted tags of a list of work ids, sent as one parameter: as a thousand parameters,
# Django's handling of each cost more than the query. Grouped by filter id alone, no join: an
# index-only read of the sampled works' rows (the (work, filter) unique index).
_COUNTED_FOR_IDS = {
    "sqlite": (
        "SELECT filter_id, COUNT(*) FROM tags_filtertagging"
        " WHERE work_id IN (SELECT value FROM json_each(%s)) GROUP BY filter_id"
    ),
    "postgresql": (
        "SELECT filter_id, COUNT(*) FROM tags_filtertagging"
        " WHERE work_id = ANY(%s) GROUP BY filter_id"
    ),
}


def _id_list(vendor: str, ids: list[int]):
    return json.dumps(ids) if vendor == "sqlite" else ids


def top_tags(
    works: QuerySet,
    *,
    total: int,
    include=(),
    exclude=(),
    search_rows: bool = False,
    first: list[int] | None = None,
) -> tuple[list[TagGroup], bool]:
    """The most used tags of each type among the results, with counts, plus the tags the
    reader has chosen (so a checked box never disappears). Counted over the first
    TOP_TAGS_SAMPLE results in the listing's order (their ids, then one query,
    _RANKED_TOP_TAGS, plus one for chosen tags none of the results carries); returns
    (groups, sampled) where sampled says the counts come from that sample rather than every
    result. search_rows: `works` are PostgreSQL's search rows (see in_order_found_first).
    first: the listing's first ids, when already read (count_reading_first), so the sample is
    not read again."""
    sampled = total > TOP_TAGS_SAMPLE
    chosen = sorted(set(include) | set(exclude))
    found: dict[int, tuple[str, str, int]] = {}
    if total:
        work_id, _ = _work_columns(works)
        if not sampled:
            works = works.order_by()  # every result is counted: no order needed
        elif search_rows:
            works = in_order_found_first(works)
        if first is None:
            # Read as ids (not a subquery) so SQL written by hand, such as search's best match
            # and match conditions, keeps its table names.
            first = list(works.values_list(work_id, flat=True)[:TOP_TAGS_SAMPLE])
        vendor = connections[router.db_for_read(FilterTagging)].vendor
        marks = ", ".join(["%s"] * len(chosen))
        sql = _RANKED_TOP_TAGS.format(
            counted=_COUNTED_FOR_IDS[vendor],
            tag_lookup=_TAG_LOOKUP[vendor],
            or_chosen=f" OR tag_id IN ({marks})" if chosen else "",
        )
        ids = _id_list(vendor, first[:TOP_TAGS_SAMPLE])
        rows = read_rows(FilterTagging, sql, [ids, *chosen, TOP_TAGS_PER_TYPE, *chosen])
        found = {pk: (name, tag_type, count) for pk, name, tag_type, count in rows}
    # Chosen tags none of the counted works carries (every excluded tag): shown with 0.
    missing = [pk for pk in chosen if pk not in found]
    if missing:
        for pk, name, tag_type in Tag.objects.filter(pk__in=missing).values_list(
            "pk", "name", "type"
        ):
            found[pk] = (name, tag_type, 0)
    groups = []
    chosen_set = set(chosen)
    for type_value, label in TYPE_ORDER:
        of_type = [
            TopTag(tag_id, name, count)
            for tag_id, (name, tag_type, count) in found.items()
            if tag_type == type_value
        ]
        of_type.sort(key=lambda top: (-top.count, top.name.lower()))
        shown = of_type[:TOP_TAGS_PER_TYPE]
        shown += [top for top in of_type[TOP_TAGS_PER_TYPE:] if top.tag_id in chosen_set]
        groups.append(TagGroup(type_value, label, shown))
    return groups, sampled
