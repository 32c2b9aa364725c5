"""Every write to tags goes through these functions. Wrangling (synonyms, canonical tags, meta
tags) comes with its own issue; for now writers create tags simply by using them."""

import re
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower

from .models import FIXED_TAG_TYPES, Tag, TagType

MAX_TAG_LENGTH = 100
# AO3 refuses these in tag names: a comma separates tags, the rest break its search syntax.
FORBIDDEN_CHARACTERS = ",^*<>{}=`\\%"
_SPACES = re.compile(r"\s+")


def tag_names_split(text: str) -> list[str]:
    """The tags a writer typed into one comma-separated field, cleaned (see tag_names_clean)."""
    return tag_names_clean((text or "").split(","))


def tag_names_clean(names: Iterable[str]) -> list[str]:
    """Trim, collapse runs of spaces, drop empty names and keep only the first spelling of names
    that differ in case only, in the order typed."""
    seen: set[str] = set()
    cleaned: list[str] = []
    for raw in names:
        name = _SPACES.sub(" ", raw or "").strip()
        if name and name.lower() not in seen:
            seen.add(name.lower())
            cleaned.append(name)
    return cleaned


def _name_errors(name: str) -> list[str]:
    errors = []
    if len(name) > MAX_TAG_LENGTH:
        errors.append(
            f"The tag “{name[:40]}…” is too long: tags can be at most {MAX_TAG_LENGTH} "
            "characters long."
        )
    bad = sorted({char for char in name if char in FORBIDDEN_CHARACTERS})
    if bad:
        errors.append(
            f"The tag “{name}” contains {' '.join(bad)}, which can't be used in tag names "
            f"(these characters are not allowed: {' '.join(FORBIDDEN_CHARACTERS)})."
        )
    return errors


def _tags_find(names: Iterable[str], type: str) -> tuple[list[str], dict[str, Tag]]:
    """Check the names and find the ones in the archive: (the cleaned names, the existing tags
    by lower-case name). Raises ValidationError with one message per bad name."""
    if type not in TagType.values:
        raise ValueError(f"Unknown tag type {type!r}")
    cleaned = tag_names_clean(names)
    errors: list[str] = []
    for name in cleaned:
        errors.extend(_name_errors(name))
    if errors:
        raise ValidationError(errors)

    existing: dict[str, Tag] = {
        tag.name.lower(): tag
        for tag in Tag.objects.annotate(lower_name=Lower("name")).filter(
            lower_name__in=[name.lower() for name in cleaned]
        )
    }
    for name in cleaned:
        tag = existing.get(name.lower())
        if tag is not None and tag.type != type:
            errors.append(
                f"The tag “{name}” is already in the archive as a {tag.get_type_display()} tag. "
                "All tags have to be unique; try being more specific, for example by adding "
                "the fandom in brackets."
            )
        elif tag is None and type in FIXED_TAG_TYPES:
            errors.append(f"“{name}” is not one of the archive's {TagType(type).label} tags.")
    if errors:
        raise ValidationError(errors)
    return cleaned, existing


@transaction.atomic
def tags_find_or_create(*, names: Iterable[str], type: str) -> list[Tag]:
    """The tags with these names, in the order given, creating the ones that do not exist yet.

    Names are cleaned first (tag_names_clean). A name already in the archive as a tag of another
    type is refused, as on AO3, because tag names are unique across types. The fixed types
    (ratings, warnings, categories) are only looked up, never created. Raises ValidationError
    with one message per bad name and creates nothing when any name is bad."""
    cleaned, existing = _tags_find(names, type)
    tags = []
    for name in cleaned:
        tag = existing.get(name.lower())
        if tag is None:
            tag = _tag_create(name=name, type=type)
            if tag.type != type:
                raise ValidationError(
                    f"The tag “{name}” is already in the archive as a {tag.get_type_display()} tag."
                )
        tags.append(tag)
    return tags


def tags_find_or_build(*, names: Iterable[str], type: str) -> list[Tag]:
    """Like tags_find_or_create, with the same checks and messages, but writes nothing: a name
    not in the archive yet comes back as an unsaved Tag. For previews of unsaved edits."""
    cleaned, existing = _tags_find(names, type)
    return [existing.get(name.lower()) or Tag(name=name, type=type) for name in cleaned]


def _tag_create(*, name: str, type: str) -> Tag:
    """Create a tag, or return the one another request created a moment ago."""
    try:
        with transaction.atomic():
            return Tag.objects.create(name=name, type=type)
    except IntegrityError:
        return Tag.objects.get(name__iexact=name)
