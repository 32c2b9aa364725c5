"""Filters for showing works the way AO3 readers know them: language names and text
direction, the four "required tags" symbols of a blurb, and the blurb's cached part."""

import hashlib
from pathlib import Path

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from fanfold.tags.models import TagType
from fanfold.works.languages import LANGUAGE_NAMES, language_direction

register = template.Library()

# Short labels and CSS classes of AO3's rating symbols, by rating name.
_RATING_SYMBOLS = {
    "General Audiences": ("G", "rating-general"),
    "Teen And Up Audiences": ("T", "rating-teen"),
    "Mature": ("M", "rating-mature"),
    "Explicit": ("E", "rating-explicit"),
    "Not Rated": ("NR", "rating-notrated"),
}
_CATEGORY_CLASSES = {
    "F/F": "category-femslash",
    "F/M": "category-het",
    "Gen": "category-gen",
    "M/M": "category-slash",
    "Multi": "category-multi",
    "Other": "category-other",
}
_CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"
_NO_WARNINGS = "No Archive Warnings Apply"


@register.filter
def text_direction(language_code: str) -> str:
    """ "rtl" for right-to-left languages (Arabic, Hebrew, ...), otherwise "ltr"."""
    return language_direction(language_code or "")


@register.filter
def language_name(language_code: str) -> str:
    return LANGUAGE_NAMES.get(language_code, language_code)


@register.filter
def required_tag_symbols(work) -> list[dict[str, str]]:
    """AO3's four symbols for a blurb: rating, archive warnings, category and completion, each
    as {"text", "css", "title"}; the title spells out what the symbol means."""
    tags = work.tags_by_type()
    names = {type_: [tag.name for tag in tags[type_]] for type_ in tags}

    rating = names[TagType.RATING][0] if names[TagType.RATING] else "Not Rated"
    rating_text, rating_css = _RATING_SYMBOLS.get(rating, ("NR", "rating-notrated"))
    symbols = [{"text": rating_text, "css": rating_css, "title": rating}]

    warnings = names[TagType.WARNING]
    major = [name for name in warnings if name not in (_CHOSE_NOT_TO_WARN, _NO_WARNINGS)]
    if major:
        warning = {"text": "!", "css": "warning-yes", "title": ", ".join(major)}
    elif _CHOSE_NOT_TO_WARN in warnings:
        warning = {"text": "?", "css": "warning-choosenotto", "title": _CHOSE_NOT_TO_WARN}
    else:
        warning = {"text": "\u2013", "css": "warning-no", "title": _NO_WARNINGS}
    symbols.append(warning)

    categories = names[TagType.CATEGORY]
    if not categories:
        symbols.append({"text": "\u2013", "css": "category-none", "title": "No category"})
    elif len(categories) == 1:
        name = categories[0]
        symbols.append({"text": name, "css": _CATEGORY_CLASSES.get(name, ""), "title": name})
    else:
        symbols.append({"text": "Multi", "css": "category-multi", "title": ", ".join(categories)})

    if work.is_complete:
        symbols.append({"text": "✓", "css": "complete-yes", "title": "Complete Work"})
    else:
        symbols.append({"text": "…", "css": "complete-no", "title": "Work in Progress"})
    return symbols


# The blurb's head (symbols, title, byline, fandoms, date, tags, summary) is most of a listing
# page's rendering time: ~200 tag and creator links for 20 blurbs. Its HTML is cached under a
# key made of everything it shows, read from the rows the listing loads anyway, so it can never
# be stale: a renamed tag or pseud, an edit or a new chapter is a new key. (The template's own
# text is in the key too, for a cache that outlives a deploy.) Counts, snippets and actions,
# which change all the time or differ per reader, are rendered live around it.
BLURB_HEAD_TEMPLATE = "works/includes/blurb_head.html"
BLURB_CACHE_SECONDS = 6 * 3600
_TEMPLATE_VERSION = hashlib.blake2b(
    (Path(__file__).resolve().parent.parent / "templates" / BLURB_HEAD_TEMPLATE).read_bytes(),
    digest_size=8,
).hexdigest()


def _blurb_head_key(work) -> str:
    shown = (
        work.pk, work.title, work.summary, work.language, work.is_posted, work.is_hidden,
        work.is_complete,
        work.revised_at, work.published_on, work.updated_at,
        [(tagging.tag_id, tagging.tag.name, tagging.tag.type) for tagging in work.taggings.all()],
        [
            (c.pseud_id, c.pseud.name, c.pseud.user.username)
            for c in work.approved_creatorships
        ],
    )  # fmt: skip
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"blurb-head:{_TEMPLATE_VERSION}:{work.pk}:{digest}"


@register.simple_tag
def blurb_head(work) -> SafeString:
    """The head of a work's blurb, from the cache when nothing it shows has changed."""
    if work.pk is None or work.unsaved_tags is not None:  # a preview: nothing to cache
        return mark_safe(render_to_string(BLURB_HEAD_TEMPLATE, {"work": work}))
    key = _blurb_head_key(work)
    html = cache.get(key)
    if html is None:
        html = render_to_string(BLURB_HEAD_TEMPLATE, {"work": work})
        cache.set(key, html, BLURB_CACHE_SECONDS)
    return mark_safe(html)
