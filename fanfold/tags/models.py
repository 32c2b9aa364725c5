from django.db import models
from django.db.models.functions import Lower, Upper
from django.urls import reverse

from fanfold.core.links import fast_reverse


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"


# AO3's media categories (Books & Literature, Movies, ...) are tags of their own type, never on
# works: wranglers put canonical fandoms into them through ParentTagging (media parent, fandom
# child). Kept out of TagType, which lists the types a work's tags come in.
MEDIA_TYPE = "media"
TAG_TYPE_CHOICES = [*TagType.choices, (MEDIA_TYPE, "Media")]


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
MEDIA = [
    "Anime & Manga",
    "Books & Literature",
    "Cartoons & Comics & Graphic Novels",
    "Celebrities & Real People",
    "Movies",
    "Music & Bands",
    "Other Media",
    "Theater",
    "TV Shows",
    "Video Games",
    "Uncategorized Fandoms",
]
# Fandoms in no other media are listed here, as on AO3.
UNCATEGORIZED_MEDIA = "Uncategorized Fandoms"
# The types wranglers attach to fandoms; fandoms themselves are attached to media.
FANDOM_CHILD_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM)


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
    type = models.CharField(max_length=16, choices=TAG_TYPE_CHOICES, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    canonical = models.BooleanField(default=False)
    unwrangleable = models.BooleanField(default=False)
    # The canonical tag this one is a synonym of; a synonym is never canonical itself.
    merger = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="synonyms"
    )
    # Cached numbers of posted, unhidden works found by this tag (FilterTagging): all of them
    # (what logged-in readers see) and those not restricted (what guests see). Counting live
    # over a million works is too slow for index pages; fanfold.tags.counts keeps these after
    # every change of a work or of the wrangling (in a background task), and the command
    # `fanfold tag_counts_refresh` recounts everything.
    works_count = models.PositiveIntegerField(default=0)
    public_works_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = [Lower("name")]
        constraints = [models.UniqueConstraint(Lower("name"), name="tag_name_ci_unique")]
        # Django's name__iexact compares upper() on PostgreSQL: without this index every such
        # lookup read the whole table (a third of a second at a million works).
        indexes = [models.Index(Upper("name"), name="tag_name_upper")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return fast_reverse("tag_works", tag_name_to_url(self.name))

    def get_page_url(self) -> str:
        """The tag's own page (/tags/NAME): its wrangling, synonyms, parents and children."""
        return reverse("tag_detail", args=[tag_name_to_url(self.name)])

    def get_edit_url(self) -> str:
        return reverse("tag_edit", args=[tag_name_to_url(self.name)])

    def get_history_url(self) -> str:
        return reverse("tag_history", args=[tag_name_to_url(self.name)])

    def get_fandoms_url(self) -> str:
        """For a media category: its fandoms (/media/NAME/fandoms)."""
        return reverse("media_fandoms", args=[tag_name_to_url(self.name)])

    def works_count_for(self, viewer) -> int:
        if viewer is not None and viewer.is_authenticated:
            return self.works_count
        return self.public_works_count

    @property
    def is_fixed(self) -> bool:
        return self.type in FIXED_TAG_TYPES or self.type == MEDIA_TYPE

    @property
    def is_wrangled(self) -> bool:
        return self.canonical or self.merger_id is not None or self.unwrangleable


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


class Listed(models.IntegerChoices):
    """Who a work is listed for, copied into its filter rows (FilterTagging.listed)."""

    NOBODY = 0, "Not listed (a draft or hidden by a moderator)"
    EVERYONE = 1, "Everyone"
    USERS = 2, "Logged-in users only (restricted)"


class FilterTagging(models.Model):
    """One tag a work can be found by: each of its own tags, their canonical tags and every meta
    tag above those (inherited=True for the meta tags). Kept by fanfold.tags.filters whenever a
    work's tags or the wrangling of a tag change, so that browsing and filtering read this table
    and never walk the tag graph at query time.

    `revised_at` and `listed` copy the work's "Updated" date and visibility (kept by
    fanfold.tags.filters.filter_rows_sync_work through works.changes.work_changed). They are
    here so that "the newest works with tag X that this reader may see" is one range scan of
    the `filtertagging_listing` index, however large the archive: with them only on works_work
    no index serves both the tag and the order, and a popular tag's page walked every work
    newest first checking each one's filter set (seconds at a million works)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="filter_taggings")
    filter = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="filter_taggings")
    inherited = models.BooleanField(default=False)
    revised_at = models.DateTimeField(null=True, blank=True)
    listed = models.PositiveSmallIntegerField(choices=Listed.choices, default=Listed.NOBODY)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "filter"], name="filtertagging_unique")
        ]
        # Listings of a tag, newest first: filter_id fixes the tag, the index order is the
        # listing's order (read backwards), and `listed` is in the index so the rows a reader
        # may not see are skipped without reading the table.
        indexes = [
            models.Index(
                fields=["filter", "revised_at", "work", "listed"], name="filtertagging_listing"
            )
        ]

    def __str__(self) -> str:
        return f"work {self.work_id} found by {self.filter_id}"


class WranglingAction(models.TextChoices):
    CANONICAL = "canonical", "Made canonical"
    NOT_CANONICAL = "not_canonical", "Made not canonical"
    MERGE = "merge", "Made a synonym"
    UNMERGE = "unmerge", "No longer a synonym"
    ATTACH = "attach", "Attached to a parent"
    DETACH = "detach", "Detached from a parent"
    META_ADD = "meta_add", "Meta tag added"
    META_REMOVE = "meta_remove", "Meta tag removed"
    UNWRANGLEABLE = "unwrangleable", "Marked unwrangleable"
    WRANGLEABLE = "wrangleable", "No longer unwrangleable"
    RENAME = "rename", "Renamed"


class WranglingChange(models.Model):
    """One change a wrangler made to a tag: the audit log shown on each tag's history page."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangling_changes")
    # Kept when the wrangler's account is deleted: the change still happened.
    user = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=WranglingAction.choices)
    detail = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["tag", "-created_at"], name="wranglingchange_tag_time")]

    def __str__(self) -> str:
        return f"{self.tag}: {self.get_action_display()} {self.detail}"
