"""Filters for showing works the way AO3 readers know them: language names and text
direction, the four "required tags" symbols of a blurb, and the blurb's cached part."""

import datetime
import hashlib
from pathlib import Path

from django import template
from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.formats import date_format
from django.utils.html import conditional_escape as escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import is_aware, localtime

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


def _tag_link(tag) -> str:
    return f'<a class="tag" href="{escape(tag.get_absolute_url())}">{escape(tag.name)}</a>'


def _tag_links(tags, before: str, after: str) -> str:
    return "".join(f"{before}{_tag_link(tag)}{after}" for tag in tags)


def blurb_head_html(work) -> str:
    """BLURB_HEAD_TEMPLATE's output, written in Python. A listing's first reader has no kept
    blurbs: rendering 20 through the template engine took 15-20 ms of a 100 ms page, this
    takes a tenth of that. The template stays the reference (and renders previews); a test
    holds the two to the same HTML for every kind of work."""
    tags = work.tags_by_type()
    symbols = "".join(
        f'<li><span class="symbol {escape(symbol["css"])}" title="{escape(symbol["title"])}"'
        f' aria-hidden="true">{escape(symbol["text"])}</span>'
        f'<span class="landmark">{escape(symbol["title"])}</span></li>'
        for symbol in required_tag_symbols(work)
    )
    byline = (
        ", ".join(
            f'<a rel="author" href="{escape(c.pseud.get_absolute_url())}">{escape(c.pseud)}</a>'
            for c in work.approved_creatorships
        )
        or "Anonymous"
    )
    marks = ""
    if not work.is_posted:
        marks += ' <span class="draft-mark">(Draft)</span>'
    if work.is_hidden:
        marks += ' <span class="draft-mark" data-testid="hidden-mark">(Hidden by moderators)</span>'
    fandoms = tags[TagType.FANDOM]
    fandom_links = ", ".join(_tag_link(tag) for tag in fandoms)
    shown_date = (work.revised_at or work.published_on) if work.is_posted else work.updated_at
    if isinstance(shown_date, datetime.datetime) and is_aware(shown_date):
        shown_date = localtime(shown_date)  # as the template's date filter does
    day = escape(date_format(shown_date, "j M Y")) if shown_date else ""
    summary = ""
    if work.summary:
        summary = (
            '<h6 class="landmark">Summary</h6>\n'
            f'  <blockquote class="userstuff summary" lang="{escape(work.language)}"'
            f' dir="{escape(text_direction(work.language))}">{work.summary}</blockquote>'
        )
    warnings = _tag_links(tags[TagType.WARNING], '<li class="warnings"><strong>', "</strong></li>")
    relationships = _tag_links(tags[TagType.RELATIONSHIP], '<li class="relationships">', "</li>")
    characters = _tag_links(tags[TagType.CHARACTER], '<li class="characters">', "</li>")
    freeforms = _tag_links(tags[TagType.FREEFORM], '<li class="freeforms">', "</li>")
    return (
        f'\n<li class="blurb work{"" if work.is_posted else " draft"}" id="work_{work.pk}"'
        ' role="article" data-testid="blurb">\n'
        '  <div class="header">\n'
        '    <ul class="required-tags" aria-label="Required tags">\n'
        f"      {symbols}\n"
        "    </ul>\n"
        f'    <h4 class="heading"><a href="{escape(work.get_absolute_url())}">'
        f"{escape(work.title)}</a>\n"
        f"      by {byline}{marks}</h4>\n"
        f'    <h5 class="fandoms"><span class="landmark">Fandom{"" if len(fandoms) == 1 else "s"}:'
        f" </span>{fandom_links}</h5>\n"
        f'    <p class="datetime">{day}</p>\n'
        "  </div>\n"
        '  <h6 class="landmark">Tags</h6>\n'
        '  <ul class="tags commas">\n'
        f"    {warnings}\n"
        f"    {relationships}\n"
        f"    {characters}\n"
        f"    {freeforms}\n"
        "  </ul>\n"
        f"  {summary}\n"
    )


@register.simple_tag
def blurb_head(work) -> SafeString:
    """The head of a work's blurb, from the cache when nothing it shows has changed."""
    if work.pk is None or work.unsaved_tags is not None:  # a preview: nothing to cache
        return mark_safe(render_to_string(BLURB_HEAD_TEMPLATE, {"work": work}))
    key = _blurb_head_key(work)
    html = cache.get(key)
    if html is None:
        html = blurb_head_html(work)
        cache.set(key, html, BLURB_CACHE_SECONDS)
    return mark_safe(html)
