"""Every write to works and chapters goes through these functions.

Each one checks that the user is one of the work's creators (PermissionDenied otherwise),
validates everything before it writes (ValidationError keyed by the posting forms' field names)
and runs in one transaction, so a refused request leaves nothing behind. The denormalised
counts on Work (words, chapters, completeness, dates) are recomputed here after every change."""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from fanfold.accounts.models import Pseud
from fanfold.core.permissions import require_moderator
from fanfold.tags.filters import work_filters_rebuild
from fanfold.tags.models import CATEGORIES, RATINGS, WARNINGS, Tag, TagType
from fanfold.tags.services import tags_find_or_build, tags_find_or_create

from . import text
from .changes import WorkChange, work_changed
from .languages import LANGUAGE_NAMES
from .models import (
    Chapter,
    CommentPermission,
    Creatorship,
    OrphanedWorkRecord,
    Tagging,
    Work,
    WorkHit,
)

MAX_TITLE = 255
MAX_SUMMARY = 1250
MAX_NOTES = 5000

TEXT_FORMATS = ("html", "plain")

# The metadata fields work_create and work_update accept, with the defaults of a new work.
WORK_FIELDS = {
    "pseuds": (),
    "title": "",
    "rating": "",
    "warnings": (),
    "fandoms": (),
    "categories": (),
    "relationships": (),
    "characters": (),
    "freeforms": (),
    "summary": "",
    "notes": "",
    "end_notes": "",
    "language": "en",
    "published_on": None,
    "expected_chapters": 1,
    "is_restricted": False,
    "comment_permission": CommentPermission.EVERYONE,
}
_USER_TAG_FIELDS = (
    ("fandoms", TagType.FANDOM),
    ("relationships", TagType.RELATIONSHIP),
    ("characters", TagType.CHARACTER),
    ("freeforms", TagType.FREEFORM),
)


@dataclass(frozen=True)
class ChapterInput:
    content: str  # as the writer typed it
    text_format: str = "html"  # "html" (rich text / HTML, sanitized) or "plain"
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    published_on: date | None = None


# Where a chapter's errors are shown: the chapter form uses the plain names, the new work form
# (which has the first chapter's text on it) prefixes the ones that would clash with the work's.
CHAPTER_FORM_KEYS = {
    "content": "content",
    "text_format": "text_format",
    "title": "title",
    "summary": "summary",
    "notes": "notes",
    "end_notes": "end_notes",
    "published_on": "published_on",
}
WORK_FORM_CHAPTER_KEYS = {
    "content": "content",
    "text_format": "text_format",
    "title": "chapter_title",
    "summary": "chapter_summary",
    "notes": "chapter_notes",
    "end_notes": "chapter_end_notes",
    "published_on": "published_on",
}


# --- Text --------------------------------------------------------------------------------------


_TAG = re.compile(r"<[^>]*>")
_VISIBLE_ELEMENT = re.compile(r"<(img|hr|iframe|audio|video)\b", re.IGNORECASE)


def _html_is_empty(html: str) -> bool:
    if _VISIBLE_ELEMENT.search(html):
        return False
    visible = _TAG.sub("", html).replace("&nbsp;", " ").replace("&#160;", " ")
    return not visible.strip()


_BLOCK_ELEMENT = re.compile(
    r"<(p|div|br|h[1-6]|ul|ol|dl|li|blockquote|pre|table|hr|center|details|figure|address)\b",
    re.IGNORECASE,
)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n\s*")


def _html_from_input(raw: str) -> str:
    """Sanitized HTML from what a writer typed as rich text or HTML. Like AO3, text typed without
    any paragraph markup gets paragraphs at blank lines and line breaks at single newlines (a
    writer without JavaScript types into the rich text box as into a plain one)."""
    html = text.sanitize_html((raw or "").replace("\r\n", "\n").replace("\r", "\n"))
    if not html or _BLOCK_ELEMENT.search(html):
        return html
    paragraphs = [
        "<p>" + "<br>\n".join(line.strip() for line in block.strip().split("\n")) + "</p>"
        for block in _BLANK_LINES.split(html.strip())
    ]
    # Sanitizing again closes inline elements that a paragraph break cut in two.
    return text.sanitize_html("\n".join(paragraphs))


def _short_html(value: str) -> str:
    """Summaries and notes: HTML is allowed (and sanitized), as in chapter text."""
    value = (value or "").strip()
    if not value:
        return ""
    html = _html_from_input(value)
    return "" if _html_is_empty(html) else html


def _length_error(label: str, value: str, limit: int) -> str | None:
    length = len((value or "").strip())
    if length > limit:
        return f"{label} must be at most {limit:,} characters long (it has {length:,})."
    return None


# --- Permissions -------------------------------------------------------------------------------


def _require_not_suspended(user) -> None:
    """Moderators may suspend an account: it can still read, but not post or change works."""
    if getattr(user, "is_suspended", False):
        until = timezone.localtime(user.suspended_until)
        raise PermissionDenied(
            f"Your account is suspended until {until:%d %b %Y, %H:%M}, so you can't post or "
            "change works until then."
        )


def _require_creator(work: Work, user) -> None:
    # Asks the database, not prefetched rows: a write must see the creators as they are now.
    # An invitation to co-create gives no rights until it is accepted.
    is_creator = (
        user is not None
        and user.is_authenticated
        and work.creatorships.filter(pseud__user=user, approved=True).exists()
    )
    if not is_creator:
        raise PermissionDenied("Only the work's creators may do that.")


# --- Validation --------------------------------------------------------------------------------


def _add(errors: dict, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def _validate_date(errors: dict, key: str, value, label: str) -> None:
    if value is not None and value > timezone.localdate():
        _add(errors, key, f"The {label} can't be in the future.")


def _clean_chapter(data: ChapterInput, errors: dict, keys: dict) -> dict:
    """Validate one chapter's input; return the values to store."""
    for field, label, limit in (
        ("title", "The chapter title", MAX_TITLE),
        ("summary", "The chapter summary", MAX_SUMMARY),
        ("notes", "The chapter notes", MAX_NOTES),
        ("end_notes", "The chapter end notes", MAX_NOTES),
    ):
        if message := _length_error(label, getattr(data, field), limit):
            _add(errors, keys[field], message)
    _validate_date(errors, keys["published_on"], data.published_on, "publication date")

    content = ""
    if data.text_format not in TEXT_FORMATS:
        _add(errors, keys["text_format"], "Please choose rich text, HTML or plain text.")
    else:
        raw = data.content or ""
        content = (
            text.plain_text_to_html(raw) if data.text_format == "plain" else _html_from_input(raw)
        )
        if _html_is_empty(content):
            _add(
                errors,
                keys["content"],
                "The chapter text can't be empty: please write or paste some text.",
            )
        elif len(content) > settings.FANFOLD_MAX_CHAPTER_CHARACTERS:
            _add(
                errors,
                keys["content"],
                f"The chapter text must be at most "
                f"{settings.FANFOLD_MAX_CHAPTER_CHARACTERS:,} characters long (it has "
                f"{len(content):,}). Please split it into several chapters.",
            )
    cleaned: dict = {
        "title": (data.title or "").strip(),
        "summary": "",
        "notes": "",
        "end_notes": "",
        "content": content,
        "published_on": data.published_on,
    }
    if not errors:
        cleaned["summary"] = _short_html(data.summary)
        cleaned["notes"] = _short_html(data.notes)
        cleaned["end_notes"] = _short_html(data.end_notes)
        cleaned["word_count"] = text.count_words(content)
    return cleaned


def _clean_work(
    fields: dict, *, user, work: Work | None, errors: dict, create_tags: bool = True
) -> dict:
    """Validate a work's metadata (all of WORK_FIELDS) and find or create its tags; return the
    values to store. Tags may be created before a later error is found: the caller's transaction
    rolls them back with everything else. With create_tags=False (a preview) nothing is written:
    new tags come back unsaved, after the same checks."""
    cleaned: dict = {}

    # Creators: at least one of the user's own pseuds; other users' pseuds may be added, and
    # become invitations to co-create (_set_creators).
    pseuds = list(dict.fromkeys(fields["pseuds"] or ()))
    if not any(pseud.user_id == user.pk for pseud in pseuds):
        _add(errors, "pseuds", "Please choose at least one of your pseuds as the creator.")
    if any(pseud.user.username == settings.FANFOLD_ORPHAN_USERNAME for pseud in pseuds) and (
        work is None
        or not work.creatorships.filter(
            pseud__user__username=settings.FANFOLD_ORPHAN_USERNAME
        ).exists()
    ):
        _add(errors, "co_creators", "The orphan account can't be added as a co-creator.")
    if work is not None:
        kept_users = {pseud.user_id for pseud in pseuds}
        for creatorship in work.creatorships.filter(approved=True).select_related("pseud__user"):
            other = creatorship.pseud.user
            if other.pk != user.pk and other.pk not in kept_users:
                _add(
                    errors,
                    "co_creators",
                    f"You can't remove {other.username} from the work's creators; "
                    "only they can remove themselves.",
                )
    cleaned["pseuds"] = pseuds

    title = (fields["title"] or "").strip()
    if not title:
        _add(errors, "title", "Please enter a title.")
    elif message := _length_error("The title", title, MAX_TITLE):
        _add(errors, "title", message)
    cleaned["title"] = title

    for key, label, limit in (
        ("summary", "The summary", MAX_SUMMARY),
        ("notes", "The notes", MAX_NOTES),
        ("end_notes", "The end notes", MAX_NOTES),
    ):
        if message := _length_error(label, fields[key], limit):
            _add(errors, key, message)

    rating = fields["rating"]
    if rating not in RATINGS:
        _add(errors, "rating", "Please choose a rating.")
    warnings = list(dict.fromkeys(fields["warnings"] or ()))
    if not warnings:
        _add(errors, "warnings", "Please choose at least one archive warning.")
    elif any(name not in WARNINGS for name in warnings):
        _add(errors, "warnings", "Please choose archive warnings from the list.")
    categories = list(dict.fromkeys(fields["categories"] or ()))
    if any(name not in CATEGORIES for name in categories):
        _add(errors, "categories", "Please choose categories from the list.")

    language = fields["language"]
    if language not in LANGUAGE_NAMES:
        _add(errors, "language", "Please choose a language from the list.")
    cleaned["language"] = language

    _validate_date(errors, "published_on", fields["published_on"], "publication date")
    cleaned["published_on"] = fields["published_on"]

    expected = fields["expected_chapters"]
    if expected is not None:
        if not isinstance(expected, int) or expected < 1:
            _add(
                errors,
                "expected_chapters",
                "The expected number of chapters must be a whole number of at least 1, "
                "or empty if you don't know yet.",
            )
        elif work is not None and expected < work.chapters.count():
            _add(
                errors,
                "expected_chapters",
                f"This work already has {work.chapters.count()} chapters; the expected number "
                "of chapters can't be lower.",
            )
    cleaned["expected_chapters"] = expected

    if fields["comment_permission"] not in CommentPermission.values:
        _add(errors, "comment_permission", "Please choose who may comment.")
    cleaned["comment_permission"] = fields["comment_permission"]
    cleaned["is_restricted"] = bool(fields["is_restricted"])

    # Freely typed tags: at least one fandom, at most FANFOLD_MAX_USER_TAGS in all.
    user_tags: dict[str, list[Tag]] = {}
    total = 0
    for key, tag_type in _USER_TAG_FIELDS:
        try:
            find = tags_find_or_create if create_tags else tags_find_or_build
            user_tags[key] = find(names=fields[key] or (), type=tag_type)
        except ValidationError as exc:
            for message in exc.messages:
                _add(errors, key, message)
            user_tags[key] = []
        total += len(user_tags[key])
    if not user_tags["fandoms"] and "fandoms" not in errors:
        _add(errors, "fandoms", "Please add at least one fandom.")
    limit = settings.FANFOLD_MAX_USER_TAGS
    if total > limit:
        _add(
            errors,
            NON_FIELD_ERRORS,
            f"You have entered {total} fandoms, relationships, characters and additional tags; "
            f"a work can have at most {limit} of them in all.",
        )

    if errors:
        return cleaned
    fixed = {
        (tag.type, tag.name): tag
        for tag in Tag.objects.filter(type__in=[TagType.RATING, TagType.WARNING, TagType.CATEGORY])
    }

    def fixed_tag(type_, name):
        # The fixed tags come with the migrations; one missing (deleted by hand, or a test
        # database flushed) is put back rather than failing the writer's post.
        if (type_, name) not in fixed:
            fixed[(type_, name)] = (
                Tag.objects.get_or_create(name=name, defaults={"type": type_})[0]
                if create_tags
                else Tag(name=name, type=type_)
            )
        return fixed[(type_, name)]

    cleaned["tags"] = (
        [fixed_tag(TagType.RATING, rating)]
        + [fixed_tag(TagType.WARNING, name) for name in warnings]
        + [fixed_tag(TagType.CATEGORY, name) for name in categories]
        + [tag for key, _ in _USER_TAG_FIELDS for tag in user_tags[key]]
    )
    cleaned["summary"] = _short_html(fields["summary"])
    cleaned["notes"] = _short_html(fields["notes"])
    cleaned["end_notes"] = _short_html(fields["end_notes"])
    return cleaned


def _set_creators(work: Work, pseuds: list[Pseud], *, user) -> None:
    """Credit the work to these pseuds, in this order. The user's own pseuds are approved at
    once (choosing one is consent); another user's pseud that is new on the work becomes an
    invitation, shown nowhere and giving no rights until they accept it. _clean_work has
    checked that no other user's approved creatorship is dropped."""
    wanted = {pseud.pk: (position, pseud) for position, pseud in enumerate(pseuds)}
    existing = {c.pseud_id: c for c in work.creatorships.all()}
    for pseud_id, creatorship in existing.items():
        if pseud_id not in wanted:
            creatorship.delete()
    for pseud_id, (position, pseud) in wanted.items():
        own = pseud.user_id == user.pk
        current = existing.get(pseud_id)
        if current is None:
            Creatorship.objects.create(
                work=work,
                pseud_id=pseud_id,
                position=position,
                approved=own,
                invited_by=None if own else user,
            )
        elif current.position != position or (own and not current.approved):
            current.position = position
            current.approved = current.approved or own
            current.save(update_fields=["position", "approved"])


def _set_tags(work: Work, tags: list[Tag]) -> None:
    work.taggings.all().delete()
    Tagging.objects.bulk_create(
        Tagging(work=work, tag=tag, position=position) for position, tag in enumerate(tags)
    )
    work_filters_rebuild([work.pk])


def _apply_work_fields(work: Work, cleaned: dict) -> None:
    for key in (
        "title",
        "summary",
        "notes",
        "end_notes",
        "language",
        "expected_chapters",
        "is_restricted",
        "comment_permission",
    ):
        setattr(work, key, cleaned[key])


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _work_refresh(work: Work) -> None:
    """Recompute what Work keeps about its chapters (_work_count) and save it. Only the columns
    the counts need are read: adding chapter N of a long work would otherwise read the text of
    all N-1 chapters before it (an import of 200 chapters read them 20,000 times)."""
    chapters = work.chapters.order_by("position").only(
        "id", "work_id", "position", "is_posted", "word_count", "published_on"
    )
    _work_count(work, list(chapters))
    work.save()


def _work_count(work: Work, chapters: list[Chapter]) -> None:
    """Set, without saving, what Work keeps about these chapters (all of the work's, in order):
    AO3 counts posted chapters of a posted work (all chapters of a draft, so its preview shows
    what readers will see), calls a work complete when that count reaches the expected number,
    and dates it by its first chapter."""
    counted = [c for c in chapters if c.is_posted] if work.is_posted else chapters
    work.word_count = sum(c.word_count for c in counted)
    work.chapter_count = len(counted)
    work.is_complete = (
        work.expected_chapters is not None and work.chapter_count == work.expected_chapters
    )
    # A draft chapter moved to the front of a posted work does not date it.
    dated = counted or chapters
    work.published_on = dated[0].published_on if dated else None
    # "Updated" is the date of the latest posted chapter, as on AO3, so a backdated work sorts
    # and shows by its own dates; a chapter dated today keeps the exact time it changed.
    posted_dates = [c.published_on for c in chapters if c.is_posted and c.published_on]
    if work.is_posted and posted_dates:
        latest = max(posted_dates)
        current = timezone.localtime(work.revised_at).date() if work.revised_at else None
        if current != latest:
            work.revised_at = (
                timezone.now()
                if latest >= timezone.localdate()
                else timezone.make_aware(datetime.combine(latest, time.min))
            )


def _user_work(work: Work, user) -> Work:
    """The work fresh from the database and locked, so concurrent edits queue up."""
    _require_creator(work, user)
    return Work.objects.select_for_update().get(pk=work.pk)


# --- Works -------------------------------------------------------------------------------------


@transaction.atomic
def work_create(
    *,
    user,
    pseuds: list[Pseud],
    title: str,
    rating: str,
    warnings: list[str],
    fandoms: list[str],
    chapter: ChapterInput,
    categories: Iterable[str] = (),
    relationships: Iterable[str] = (),
    characters: Iterable[str] = (),
    freeforms: Iterable[str] = (),
    summary: str = "",
    notes: str = "",
    end_notes: str = "",
    language: str = "en",
    published_on: date | None = None,
    expected_chapters: int | None = 1,
    is_restricted: bool = False,
    comment_permission: str = CommentPermission.EVERYONE,
    post: bool = False,
) -> Work:
    """A new work with its first chapter: a draft, or posted at once with post=True."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please log in to post a work.")
    _require_not_suspended(user)
    fields = {
        "pseuds": pseuds,
        "title": title,
        "rating": rating,
        "warnings": warnings,
        "fandoms": fandoms,
        "categories": categories,
        "relationships": relationships,
        "characters": characters,
        "freeforms": freeforms,
        "summary": summary,
        "notes": notes,
        "end_notes": end_notes,
        "language": language,
        "published_on": published_on,
        "expected_chapters": expected_chapters,
        "is_restricted": is_restricted,
        "comment_permission": comment_permission,
    }
    errors: dict = {}
    cleaned = _clean_work(fields, user=user, work=None, errors=errors)
    chapter_values = _clean_chapter(chapter, errors, WORK_FORM_CHAPTER_KEYS)
    _raise(errors)

    now = timezone.now()
    work = Work(is_posted=post, revised_at=now if post else None)
    _apply_work_fields(work, cleaned)
    work.save()
    _set_creators(work, cleaned["pseuds"], user=user)
    _set_tags(work, cleaned["tags"])

    first_date = cleaned["published_on"] or chapter_values["published_on"]
    if first_date is None and post:
        first_date = timezone.localdate()
    chapter_values["published_on"] = first_date
    Chapter.objects.create(work=work, position=1, is_posted=post, **chapter_values)
    _work_refresh(work)
    work_changed(work, WorkChange.POSTED if post else WorkChange.SAVED)
    return work


@transaction.atomic
def work_update(*, work: Work, user, post: bool = False, **fields) -> Work:
    """Change a work's metadata; fields not given keep their values. Chapters are edited with
    chapter_update; a backdated published_on moves the first chapter's date. With post=True a
    draft is posted in the same transaction, so a refused post leaves no half-saved edit."""
    work = _user_work(work, user)
    _require_not_suspended(user)
    errors: dict = {}
    cleaned = _clean_work(_work_fields_merged(work, fields), user=user, work=work, errors=errors)
    _raise(errors)

    _apply_work_fields(work, cleaned)
    work.save()
    _set_creators(work, cleaned["pseuds"], user=user)
    _set_tags(work, cleaned["tags"])
    if cleaned["published_on"] is not None:
        work.chapters.filter(position=1).update(published_on=cleaned["published_on"])
    _work_refresh(work)
    work_changed(work, WorkChange.SAVED)
    if post:
        work = work_post(work=work, user=user)
    return work


def _work_fields_merged(work: Work, fields: dict) -> dict:
    """All of WORK_FIELDS for an update: the ones given, the work's current values for the rest."""
    unknown = set(fields) - set(WORK_FIELDS)
    if unknown:
        raise TypeError(f"work_update() got unexpected fields: {', '.join(sorted(unknown))}")
    tags = work.tags_by_type()
    current = {
        "pseuds": [c.pseud for c in work.creatorships.select_related("pseud__user")],
        "title": work.title,
        "rating": tags[TagType.RATING][0].name if tags[TagType.RATING] else "",
        "warnings": [tag.name for tag in tags[TagType.WARNING]],
        "categories": [tag.name for tag in tags[TagType.CATEGORY]],
        "fandoms": [tag.name for tag in tags[TagType.FANDOM]],
        "relationships": [tag.name for tag in tags[TagType.RELATIONSHIP]],
        "characters": [tag.name for tag in tags[TagType.CHARACTER]],
        "freeforms": [tag.name for tag in tags[TagType.FREEFORM]],
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "published_on": None,
        "expected_chapters": work.expected_chapters,
        "is_restricted": work.is_restricted,
        "comment_permission": work.comment_permission,
    }
    return current | fields


@transaction.atomic
def work_post(*, work: Work, user) -> Work:
    """Post a draft: it and all its chapters become visible to readers."""
    work = _user_work(work, user)
    _require_not_suspended(user)
    if work.is_posted:
        return work
    today = timezone.localdate()
    work.chapters.filter(published_on__isnull=True).update(published_on=today)
    work.chapters.update(is_posted=True)
    work.is_posted = True
    work.revised_at = timezone.now()
    _work_refresh(work)
    work_changed(work, WorkChange.POSTED)
    return work


@transaction.atomic
def work_delete(*, work: Work, user) -> None:
    work = _user_work(work, user)
    work_changed(work, WorkChange.DELETED)
    work.delete()


@transaction.atomic
def work_orphan(*, work: Work, user) -> None:
    """Take the user's name off the work for good: their pseuds on it are replaced by the
    orphan account's default pseud. Who it was is recorded for moderators only."""
    from fanfold.accounts.services import orphan_account

    work = _user_work(work, user)
    orphan_pseud = orphan_account().pseuds.get(is_default=True)
    # The user's own invitations on the work lapse, and invitations they sent no longer name
    # them: orphaning takes their name off the work entirely.
    work.creatorships.filter(pseud__user=user, approved=False).delete()
    work.creatorships.filter(invited_by=user).update(invited_by=None)
    creatorships = list(work.creatorships.select_related("pseud"))
    orphan_present = any(c.pseud_id == orphan_pseud.pk for c in creatorships)
    for creatorship in creatorships:
        if creatorship.pseud.user_id != user.pk:
            continue
        OrphanedWorkRecord.objects.create(
            work=work, former_user=user, former_pseud_name=creatorship.pseud.name
        )
        if orphan_present:
            creatorship.delete()
        else:
            creatorship.pseud = orphan_pseud
            creatorship.save(update_fields=["pseud"])
            orphan_present = True
    work_changed(work, WorkChange.SAVED)


@transaction.atomic
def work_remove_creator(*, work: Work, user) -> None:
    """The user leaves the work: a co-created work stays with its other creators, a work the
    user created alone is deleted (used when an account is deleted with its works)."""
    work = _user_work(work, user)
    # Only approved creators keep a work: one left with nothing but invitations is deleted.
    others = work.creatorships.filter(approved=True).exclude(pseud__user=user)
    if others.exists():
        work.creatorships.filter(pseud__user=user).delete()
        work_changed(work, WorkChange.SAVED)
    else:
        work_changed(work, WorkChange.DELETED)
        work.delete()


# --- Co-creator invitations --------------------------------------------------------------------


def _invitation_for(creatorship: Creatorship, user) -> Creatorship:
    """The creatorship fresh from the database and locked, if it is this user's to answer."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please log in to answer a co-creator invitation.")
    try:
        creatorship = (
            Creatorship.objects.select_for_update().select_related("pseud").get(pk=creatorship.pk)
        )
    except Creatorship.DoesNotExist:
        raise ValidationError(
            {NON_FIELD_ERRORS: "This co-creator invitation no longer exists."}
        ) from None
    if creatorship.pseud.user_id != user.pk:
        raise PermissionDenied("Only the invited user may accept or decline this invitation.")
    return creatorship


@transaction.atomic
def creatorship_accept(*, creatorship: Creatorship, user) -> Creatorship:
    """The invited user accepts: their pseud is listed as a co-creator of the work, with every
    right a creator has. Accepting twice changes nothing."""
    creatorship = _invitation_for(creatorship, user)
    if not creatorship.approved:
        creatorship.approved = True
        creatorship.save(update_fields=["approved"])
        work_changed(creatorship.work, WorkChange.SAVED)
    return creatorship


@transaction.atomic
def creatorship_decline(*, creatorship: Creatorship, user) -> None:
    """The invited user declines: the invitation is removed and the work stays as it was."""
    creatorship = _invitation_for(creatorship, user)
    if creatorship.approved:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: "You are already a co-creator of this work. To take your "
                "name off it, orphan it."
            }
        )
    creatorship.delete()


# --- Previews of edits and new chapters -----------------------------------------------------------
#
# An edit (or a new chapter) is previewed by running it through the same cleaning code as the
# save, on an unsaved copy of the work, and writing nothing (new tags come back unsaved). The
# view keeps the submitted form on the preview page, and Update (or Post) sends it again through
# work_update, chapter_update or chapter_create; so there is never a half-way state to store,
# roll back or clean up.


@dataclass(frozen=True)
class WorkPreview:
    work: Work  # an unsaved copy with the changes (and its tags in unsaved_tags)
    creators: list[Pseud]  # the byline after the change: invitations are not listed
    chapters: list[Chapter]  # all of the work's chapters, in order


def work_update_preview(*, work: Work, user, **fields) -> WorkPreview:
    """What work_update(work=work, user=user, **fields) would show readers, without writing
    anything. Refuses the same users and the same input, with the same messages."""
    _require_creator(work, user)
    work = Work.objects.get(pk=work.pk)  # a copy of its own: the caller's object stays as it is
    errors: dict = {}
    cleaned = _clean_work(
        _work_fields_merged(work, fields), user=user, work=work, errors=errors, create_tags=False
    )
    _raise(errors)
    approved = set(work.creatorships.filter(approved=True).values_list("pseud_id", flat=True))
    _apply_work_fields(work, cleaned)
    work.unsaved_tags = cleaned["tags"]
    chapters = list(work.chapters.order_by("position"))
    if cleaned["published_on"] is not None and chapters:
        chapters[0].published_on = cleaned["published_on"]
    _work_count(work, chapters)
    creators = [p for p in cleaned["pseuds"] if p.user_id == user.pk or p.pk in approved]
    return WorkPreview(work=work, creators=creators, chapters=chapters)


@dataclass(frozen=True)
class ChapterPreview:
    work: Work  # an unsaved copy, its counts as they would be after the change
    chapter: Chapter  # an unsaved copy with the changes, or the new chapter (unsaved, no pk)
    creators: list[Pseud]
    chapters: list[Chapter]  # all of the work's chapters, in order, the changed or new one included


def chapter_update_preview(*, chapter: Chapter, user, data: ChapterInput) -> ChapterPreview:
    """What chapter_update(chapter=chapter, user=user, data=data) would show readers, without
    writing anything. Refuses the same users and the same input, with the same messages."""
    _require_creator(chapter.work, user)
    work = Work.objects.get(pk=chapter.work_id)
    chapters = list(work.chapters.order_by("position"))
    changed = next((c for c in chapters if c.pk == chapter.pk), None)
    if changed is None:
        raise Chapter.DoesNotExist("This work has no such chapter.")
    _chapter_change(work, changed, data)
    _work_count(work, chapters)
    creators = [
        c.pseud for c in work.creatorships.filter(approved=True).select_related("pseud__user")
    ]
    return ChapterPreview(work=work, chapter=changed, creators=creators, chapters=chapters)


def chapter_create_preview(
    *, work: Work, user, chapter: ChapterInput, post: bool = True
) -> ChapterPreview:
    """What chapter_create(work=work, user=user, chapter=chapter, post=post) would show readers,
    without writing anything. Refuses the same users and the same input, with the same
    messages."""
    _require_creator(work, user)
    work = Work.objects.get(pk=work.pk)
    new_chapter = _chapter_new(work, chapter, post=post)
    chapters = [*work.chapters.order_by("position"), new_chapter]
    _work_count(work, chapters)
    creators = [
        c.pseud for c in work.creatorships.filter(approved=True).select_related("pseud__user")
    ]
    return ChapterPreview(work=work, chapter=new_chapter, creators=creators, chapters=chapters)


# --- Chapters ----------------------------------------------------------------------------------


@transaction.atomic
def chapter_create(*, work: Work, user, chapter: ChapterInput, post: bool = True) -> Chapter:
    """Add a chapter at the end. On a posted work it is posted at once (post=True) or kept as a
    draft chapter; on a draft work it is part of the draft until the work is posted. The
    expected number of chapters grows when the work would otherwise have more than expected."""
    work = _user_work(work, user)
    _require_not_suspended(user)
    new_chapter = _chapter_new(work, chapter, post=post)
    new_chapter.save()
    _work_refresh(work)
    if new_chapter.is_posted:
        work_changed(work, WorkChange.CHAPTER_POSTED, chapter=new_chapter)
    else:
        work_changed(work, WorkChange.SAVED)
    return new_chapter


def _chapter_new(work: Work, data: ChapterInput, *, post: bool) -> Chapter:
    """Validate the input and build the new last chapter, unsaved; put on the work (unsaved)
    what adding it changes: the expected number of chapters and, when it is posted, the date."""
    errors: dict = {}
    values = _clean_chapter(data, errors, CHAPTER_FORM_KEYS)
    _raise(errors)
    is_posted = post and work.is_posted
    if values["published_on"] is None and is_posted:
        values["published_on"] = timezone.localdate()
    last = work.chapters.aggregate(last=Max("position"))["last"] or 0
    new_chapter = Chapter(work=work, position=last + 1, is_posted=is_posted, **values)
    total = last + 1
    if work.expected_chapters is not None and work.expected_chapters < total:
        work.expected_chapters = total
    if is_posted:
        work.revised_at = timezone.now()
    return new_chapter


@transaction.atomic
def chapter_update(*, chapter: Chapter, user, data: ChapterInput, post: bool = False) -> Chapter:
    """Replace a chapter's title, notes and text. A date left empty keeps the chapter's date.
    With post=True a draft chapter of a posted work is posted in the same transaction."""
    work = _user_work(chapter.work, user)
    _require_not_suspended(user)
    chapter = work.chapters.get(pk=chapter.pk)
    _chapter_change(work, chapter, data)
    chapter.save()
    _work_refresh(work)
    work_changed(work, WorkChange.SAVED)
    if post and work.is_posted:
        chapter = chapter_post(chapter=chapter, user=user)
    return chapter


def _chapter_change(work: Work, chapter: Chapter, data: ChapterInput) -> None:
    """Validate the input and put it on the chapter (and the date on the work), unsaved."""
    errors: dict = {}
    values = _clean_chapter(data, errors, CHAPTER_FORM_KEYS)
    _raise(errors)
    if values["published_on"] is None:
        values["published_on"] = chapter.published_on
    for key, value in values.items():
        setattr(chapter, key, value)
    if chapter.is_posted and work.is_posted:
        work.revised_at = timezone.now()


@transaction.atomic
def chapter_post(*, chapter: Chapter, user) -> Chapter:
    """Post a draft chapter of a posted work."""
    work = _user_work(chapter.work, user)
    _require_not_suspended(user)
    chapter = work.chapters.get(pk=chapter.pk)
    if not work.is_posted:
        raise ValidationError(
            {NON_FIELD_ERRORS: "This work is a draft: post the work to post its chapters."}
        )
    if not chapter.is_posted:
        chapter.is_posted = True
        chapter.published_on = chapter.published_on or timezone.localdate()
        chapter.save(update_fields=["is_posted", "published_on", "updated_at"])
        work.revised_at = timezone.now()
        _work_refresh(work)
        work_changed(work, WorkChange.CHAPTER_POSTED, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_delete(*, chapter: Chapter, user) -> None:
    """Delete a chapter and close the gap in the numbering. The only chapter of a work can't be
    deleted: the work would be empty."""
    work = _user_work(chapter.work, user)
    chapter = work.chapters.get(pk=chapter.pk)
    if work.chapters.count() == 1:
        raise ValidationError(
            {
                NON_FIELD_ERRORS: "You can't delete the only chapter of a work. "
                "To remove it, delete the whole work instead."
            }
        )
    position = chapter.position
    chapter.delete()
    # In ascending order, each chapter moves into the place just freed before it.
    for later in work.chapters.filter(position__gt=position).order_by("position"):
        later.position -= 1
        later.save(update_fields=["position"])
    _work_refresh(work)
    work_changed(work, WorkChange.SAVED)


@transaction.atomic
def chapters_reorder(*, work: Work, user, chapter_ids: list[int]) -> None:
    """Put the work's chapters in this order (every chapter exactly once)."""
    work = _user_work(work, user)
    chapters = {c.pk: c for c in work.chapters.all()}
    ids = [int(pk) for pk in chapter_ids]
    if sorted(ids) != sorted(chapters):
        raise ValidationError(
            {NON_FIELD_ERRORS: "Please list every chapter of the work exactly once."}
        )
    # First move every chapter past the highest number in use, so that no two chapters ever
    # share a position on the way (the unique constraint is checked row by row).
    offset = max(c.position for c in chapters.values()) + len(chapters)
    work.chapters.update(position=F("position") + offset)
    for position, pk in enumerate(ids, start=1):
        Chapter.objects.filter(pk=pk).update(position=position)
    _work_refresh(work)
    work_changed(work, WorkChange.SAVED)


# --- Hiding by moderators ----------------------------------------------------------------------

MODERATORS_ONLY = "Only moderators may hide or unhide works."


@transaction.atomic
def work_hide(*, work: Work, moderator, reason: str) -> Work:
    """Hide a work pending review: it leaves every listing, count and page for everyone but its
    creators (who see the reason) and moderators. Hiding a hidden work updates the reason."""
    require_moderator(moderator, MODERATORS_ONLY)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Please say why the work is hidden; its creators see it."})
    if len(reason) > 500:
        raise ValidationError({"reason": "The reason can be at most 500 characters long."})
    work = Work.objects.select_for_update().get(pk=work.pk)
    work.is_hidden = True
    work.hidden_reason = reason
    work.hidden_at = timezone.now()
    work.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
    work_changed(work, WorkChange.SAVED)
    return work


@transaction.atomic
def work_unhide(*, work: Work, moderator) -> Work:
    """Show a hidden work again, where it was before."""
    require_moderator(moderator, MODERATORS_ONLY)
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.is_hidden:
        work.is_hidden = False
        work.hidden_reason = ""
        work.hidden_at = None
        work.save(update_fields=["is_hidden", "hidden_reason", "hidden_at", "updated_at"])
        work_changed(work, WorkChange.SAVED)
    return work


# --- Hits --------------------------------------------------------------------------------------


def work_hit_record(*, work: Work, visitor: str, day: date) -> bool:
    """Count a visit once per visitor per work per day. Returns whether this one counted.

    On SQLite a repeat visit (most page views) is answered by a read: every write transaction
    takes the database's one write lock, and a reader re-reading a chapter must not queue
    behind writers. PostgreSQL answers a repeat within the insert (its unique index says no
    before anything is written), so it is not asked twice. The unique constraint decides when
    two first visits race."""
    if (
        transaction.get_connection().vendor != "postgresql"
        and WorkHit.objects.filter(work=work, visitor=visitor, day=day).exists()
    ):
        return False
    return _work_hit_insert(work=work, visitor=visitor, day=day)


# A first visit writes a row and a count. Both are one round trip where the database allows:
# it is a write on the archive's most read page. ON CONFLICT DO NOTHING lets the unique
# constraint decide a race without an error, so no savepoint is needed and a surrounding
# transaction stays usable.
_HIT_INSERT = (
    "INSERT INTO works_workhit (work_id, visitor, day) VALUES (%s, %s, %s) "
    "ON CONFLICT (work_id, visitor, day) DO NOTHING RETURNING work_id"
)


def _work_hit_insert(*, work: Work, visitor: str, day: date) -> bool:
    connection = transaction.get_connection()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, so atomic on its own: the count moves only with a new row.
            cursor.execute(
                f"WITH counted AS ({_HIT_INSERT}) UPDATE works_work SET hit_count = hit_count + 1 "
                "WHERE id IN (SELECT work_id FROM counted) RETURNING 1",
                [work.pk, visitor, day],
            )
            return cursor.fetchone() is not None
        # SQLite has no writes inside WITH: the row and the count in one transaction.
        with transaction.atomic():
            cursor.execute(_HIT_INSERT, [work.pk, visitor, day])
            if cursor.fetchone() is None:
                return False
            Work.objects.filter(pk=work.pk).update(hit_count=F("hit_count") + 1)
    return True
