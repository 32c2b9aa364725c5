from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


# Tag types writers type freely (comma-separated); the other three are AO3's fixed sets.
USER_TAG_TYPES = (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
FIXED_TAG_TYPES = (TagType.RATING, TagType.WARNING, TagType.CATEGORY)

RATINGS = [
    "General Audiences",
    "Teen And Up Audiences",
    "Mature",
    "Explicit",
    "Not Rated",
]
WARNINGS = [
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
]
CATEGORIES = ["F/F", "F/M", "Gen", "M/M", "Multi", "Other"]


# AO3 escapes the characters that would break a URL path segment the same way; keeping its
# escapes means links copied from AO3 habits ("F*s*F") work here too.
_URL_ESCAPES = [("*", "*x*"), ("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*")]


def tag_name_to_url(name: str) -> str:
    for char, escape in _URL_ESCAPES:
        name = name.replace(char, escape)
    return name


def tag_name_from_url(value: str) -> str:
    for char, escape in reversed(_URL_ESCAPES):
        value = value.replace(escape, char)
    return value


class Tag(models.Model):
    """A tag of one type. Names are unique across all types, case-insensitively, as on AO3.

    Wrangling, as on AO3: a tag may be canonical (the one name filters and autocomplete offer);
    a synonym points at its canonical tag through `merger`, so works tagged either way are found
    by both; meta tags (MetaTagging) make filtering by the meta tag find works tagged with its
    sub tags; characters, relationships and additional tags are attached to fandoms
    (ParentTagging); a tag wranglers decide not to wrangle is marked unwrangleable. What a work
    can be found by is precomputed in FilterTagging (fanfold.tags.filters)."""

    name = models.CharField(max_length=100)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    canonical = models.BooleanField(default=False)
    unwrangleable = models.BooleanField(default=False)
    # The canonical tag this one is a synonym of; a synonym is never canonical itself.
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("tag_works", args=[tag_name_to_url(self.name)])

    @property
    def is_fixed(self) -> bool:
        return self.type in FIXED_TAG_TYPES


class MetaTagging(models.Model):
    """`meta` is a broader tag than `sub` (both canonical, of the same type): filtering by the
    meta tag finds the works tagged with the sub tag, and with the sub tag's own sub tags."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_taggings")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_taggings")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meta", "sub"], name="metatagging_unique")]

    def __str__(self) -> str:
        return f"{self.sub} < {self.meta}"


class ParentTagging(models.Model):
    """A character, relationship or additional tag (`child`) attached to a fandom (`parent`);
    a tag may belong to several fandoms. Wranglers' queues are per fandom through these."""

    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_taggings")
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_taggings")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="parenttagging_unique")
        ]

    def __str__(self) -> str:
        return f"{self.child} in {self.parent}"


class FilterTagging(models.Model):
    """One tag a work can be found by: each of its own tags, their canonical tags and every meta
    tag above those (inherited=True for the meta tags). Kept by fanfold.tags.filters whenever a
    work's tags or the wrangling of a tag change, so that browsing and filtering read this table
    and never walk the tag graph at query time."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="filter_taggings")
    filter = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="filter_taggings")
    inherited = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "filter"], name="filtertagging_unique")
        ]
        # Listings filter by tag first: (filter, work) serves "works with this tag".
        indexes = [models.Index(fields=["filter", "work"], name="filtertagging_filter_work")]

    def __str__(self) -> str:
        return f"work {self.work_id} found by {self.filter_id}"
