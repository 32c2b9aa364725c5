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
    Canonical/synonym/meta links and wrangling come with the tags issue."""

    name = models.CharField(max_length=100)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

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
