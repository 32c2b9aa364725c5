"""Importing works: a file or paste is parsed (fanfold.imports.parsing, .epub) into a
PendingImport the writer previews and corrects; saving it makes a draft through the works
services, in one transaction, so a refused import leaves no work, chapter or tag behind."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from fanfold.accounts.models import Pseud
from fanfold.works.languages import LANGUAGE_NAMES
from fanfold.works.models import CommentPermission, Work
from fanfold.works.services import ChapterInput, chapter_create, work_create

from .epub import ArchiveLimits
from .errors import ImportRefused
from .models import PendingImport
from .parsing import FORMATS, ParsedChapter, ParsedWork, parse_file, parse_text_as

PENDING_LIFETIME = timedelta(days=1)


def _limits() -> ArchiveLimits:
    return ArchiveLimits(max_total_bytes=settings.FANFOLD_IMPORT_MAX_UNPACKED_BYTES)


def _size_error(size: int, what: str) -> str | None:
    limit = settings.FANFOLD_IMPORT_MAX_BYTES
    if size > limit:
        return (
            f"{what} is {size / 2**20:,.1f} MB; Fanfold imports files of at most "
            f"{limit / 2**20:,.0f} MB. Please split the work into several files."
        )
    return None


def parse_upload(
    *, filename: str, data: bytes, format: str = "auto", size: int | None = None
) -> ParsedWork:
    """The work in an uploaded file; ValidationError (on "file") naming what is wrong. `size`
    is the file's real size when `data` was cut short at the limit."""
    if format not in FORMATS:
        raise ValidationError({"format": "Please choose a format from the list."})
    if message := _size_error(max(size or 0, len(data)), filename):
        raise ValidationError({"file": message})
    try:
        return parse_file(filename, data, format=format, limits=_limits())
    except ImportRefused as exc:
        raise ValidationError({"file": exc.message}) from None
    except RecursionError:
        raise ValidationError({"file": f"{filename} is nested too deeply to read."}) from None


def parse_paste(*, text: str, format: str = "auto") -> ParsedWork:
    if format not in FORMATS or format == "epub":
        raise ValidationError({"format": "Please choose text, Markdown or HTML for pasted text."})
    if message := _size_error(len(text.encode("utf-8")), "The pasted text"):
        raise ValidationError({"text": message})
    try:
        return parse_text_as(text, format)
    except ImportRefused as exc:
        raise ValidationError({"text": exc.message}) from None
    except RecursionError:
        raise ValidationError({"text": "The pasted text is nested too deeply to read."}) from None


@transaction.atomic
def import_start(
    *,
    user,
    filename: str = "",
    data: bytes | None = None,
    text: str = "",
    format: str = "auto",
    size: int | None = None,
) -> PendingImport:
    """Parse an upload (data) or a paste (text) and keep the result for the writer's preview."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please log in to import a work.")
    if data is not None and text.strip():
        raise ValidationError(
            {NON_FIELD_ERRORS: "Please either upload a file or paste text, not both."}
        )
    if data is not None:
        parsed = parse_upload(filename=filename or "The file", data=data, format=format, size=size)
        source = filename or "uploaded file"
    elif text.strip():
        parsed = parse_paste(text=text, format=format)
        source = "pasted text"
    else:
        raise ValidationError(
            {NON_FIELD_ERRORS: "Please choose a file to upload or paste the text to import."}
        )
    PendingImport.objects.filter(
        user=user, created_at__lt=timezone.now() - PENDING_LIFETIME
    ).delete()
    return PendingImport.objects.create(user=user, source_name=source[:255], data=parsed.to_dict())


def pending_import_for(*, pending_id: int, user) -> PendingImport:
    pending = PendingImport.objects.filter(pk=pending_id).first()
    if pending is None or pending.user_id != getattr(user, "pk", None):
        raise PermissionDenied("This import is not yours, or it has already been saved.")
    return pending


@dataclass(frozen=True)
class ChapterChoice:
    """The writer's corrections to one parsed chapter on the preview."""

    title: str = ""
    notes: str = ""
    end_notes: str = ""
    merge_with_previous: bool = False
    leave_out: bool = False


def chapters_corrected(
    chapters: list[ParsedChapter], choices: list[ChapterChoice]
) -> list[ParsedChapter]:
    """The chapters as the writer corrected them: titles and notes replaced, chapters left out,
    chapters joined to the one before (a heading the parser took for a chapter break)."""
    if len(choices) != len(chapters):
        raise ValidationError(
            {NON_FIELD_ERRORS: "The preview was out of date; please check it again."}
        )
    result: list[ParsedChapter] = []
    for chapter, choice in zip(chapters, choices, strict=True):
        if choice.leave_out:
            continue
        if choice.merge_with_previous and result:
            previous = result[-1]
            previous.content = previous.content + "\n<hr>\n" + chapter.content
            previous.end_notes = "\n".join(n for n in (previous.end_notes, choice.end_notes) if n)
            continue
        result.append(
            ParsedChapter(
                title=choice.title.strip(),
                content=chapter.content,
                summary=chapter.summary,
                notes=choice.notes,
                end_notes=choice.end_notes,
            )
        )
    if not result:
        raise ValidationError(
            {NON_FIELD_ERRORS: "You have left out every chapter: please keep at least one."}
        )
    return result


@transaction.atomic
def work_import(
    *,
    user,
    pseuds: list[Pseud],
    title: str,
    chapters: list[ParsedChapter],
    rating: str,
    warnings: Iterable[str],
    fandoms: Iterable[str],
    categories: Iterable[str] = (),
    relationships: Iterable[str] = (),
    characters: Iterable[str] = (),
    freeforms: Iterable[str] = (),
    summary: str = "",
    notes: str = "",
    end_notes: str = "",
    language: str = "en",
    is_restricted: bool = False,
    comment_permission: str = CommentPermission.EVERYONE,
) -> Work:
    """A draft with these chapters, made through work_create and chapter_create (their checks
    apply: required tags, lengths, the chapter size limit). Any error undoes all of it."""
    if not chapters:
        raise ValidationError({NON_FIELD_ERRORS: "There are no chapters to import."})
    first, *others = chapters
    work = work_create(
        user=user,
        pseuds=pseuds,
        title=title,
        rating=rating,
        warnings=list(warnings),
        fandoms=list(fandoms),
        categories=list(categories),
        relationships=list(relationships),
        characters=list(characters),
        freeforms=list(freeforms),
        summary=summary,
        notes=notes,
        end_notes=end_notes,
        language=language,
        is_restricted=is_restricted,
        comment_permission=comment_permission,
        expected_chapters=len(chapters),
        chapter=_chapter_input(first),
        post=False,
    )
    for number, chapter in enumerate(others, start=2):
        try:
            chapter_create(work=work, user=user, chapter=_chapter_input(chapter), post=False)
        except ValidationError as exc:
            raise ValidationError(
                {NON_FIELD_ERRORS: [f"Chapter {number}: {m}" for m in exc.messages]}
            ) from None
    work.refresh_from_db()
    return work


def _chapter_input(chapter: ParsedChapter) -> ChapterInput:
    return ChapterInput(
        content=chapter.content,
        text_format="html",
        title=chapter.title,
        summary=chapter.summary,
        notes=chapter.notes,
        end_notes=chapter.end_notes,
    )


@transaction.atomic
def import_save(
    *, pending: PendingImport, user, choices: list[ChapterChoice], **work_fields
) -> Work:
    """Save a previewed import as a draft with the writer's corrections, and forget the
    pending import."""
    pending = pending_import_for(pending_id=pending.pk, user=user)
    parsed = ParsedWork.from_dict(pending.data)
    chapters = chapters_corrected(parsed.chapters, choices)
    work = work_import(user=user, chapters=chapters, **work_fields)
    pending.delete()
    return work


@transaction.atomic
def import_file(
    *,
    user,
    filename: str,
    data: bytes,
    rating: str,
    warnings: Iterable[str],
    fandoms: Iterable[str],
    language: str = "",
    size: int | None = None,
) -> Work:
    """One file straight to a draft (the `fanfold import` command): the file's own tags and
    rating are used where it has them, the given ones otherwise."""
    parsed = parse_upload(filename=filename, data=data, size=size)

    chosen_language = language or parsed.language or "en"
    if chosen_language not in LANGUAGE_NAMES:
        chosen_language = "en"
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please log in to import a work.")
    return work_import(
        user=user,
        pseuds=[user.pseuds.get(is_default=True)],
        title=parsed.title or filename.rsplit("/", 1)[-1].rsplit(".", 1)[0],
        chapters=parsed.chapters,
        rating=parsed.rating or rating,
        warnings=parsed.warnings or list(warnings),
        fandoms=parsed.fandoms or list(fandoms),
        categories=parsed.categories,
        relationships=parsed.relationships,
        characters=parsed.characters,
        freeforms=parsed.freeforms,
        summary=parsed.summary,
        notes=parsed.notes,
        end_notes=parsed.end_notes,
        language=chosen_language,
    )
