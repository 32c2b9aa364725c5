"""Reads for downloads: who may download a work, the work as a Book, and cached files."""

import datetime
import uuid
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fanfold.works.languages import LANGUAGE_NAMES, language_direction
from fanfold.works.models import Work
from fanfold.works.selectors import works_for_blurbs

from .book import Book, BookChapter
from .formats import Format
from .models import DownloadStatus, WorkDownload, WorkDownloadState


def work_is_downloadable(work: Work) -> bool:
    """Drafts and works hidden by moderators are never downloaded, not even by their
    creators (a download leaves the archive's control); restricted works need a login,
    which the view asks for."""
    return work.is_posted and not work.is_hidden


def work_get_for_download(*, work_id: int) -> Work | None:
    """The work with its creators and tags loaded, or None when it does not exist or may not
    be downloaded by anyone."""
    work = works_for_blurbs(Work.objects.filter(pk=work_id)).first()
    if work is None or not work_is_downloadable(work):
        return None
    return work


def download_series_for(work: Work) -> tuple[str, int] | None:
    """The series the work belongs to, as (series title, the work's position), for the EPUB's
    belongs-to-collection. Series are being built in their own app; until they land no work
    is in one."""
    return None


def work_identifier(work_id: int) -> str:
    """A URN that stays the same for a work of this archive across downloads and rebuilds."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{settings.SITE_URL}/works/{work_id}')}"


def book_from_work(work: Work) -> Book:
    """The posted work as the writers see it: its posted chapters, approved creators, tags."""
    chapters = [
        BookChapter(
            number=number,
            title=chapter.title,
            content=chapter.content,
            summary=chapter.summary,
            notes=chapter.notes,
            end_notes=chapter.end_notes,
        )
        for number, chapter in enumerate(
            work.chapters.filter(is_posted=True).order_by("position"), start=1
        )
    ]
    tags = {
        tag_type: [tag.name for tag in tags]
        for tag_type, tags in work.tags_by_type().items()
        if tags
    }
    revised = work.revised_at.date() if work.revised_at else None
    show_updated = revised is not None and (work.chapter_count > 1 or work.expected_chapters != 1)
    return Book(
        identifier=work_identifier(work.pk),
        title=work.title,
        creators=[str(creatorship.pseud) for creatorship in work.approved_creatorships],
        language=work.language,
        direction=language_direction(work.language),
        language_name=LANGUAGE_NAMES.get(work.language, work.language),
        chapters=chapters,
        modified=(work.updated_at or timezone.now()).astimezone(datetime.UTC),
        publisher=settings.SITE_NAME,
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        tags=tags,
        published=work.published_on,
        updated=revised if show_updated else None,
        is_complete=work.is_complete,
        words=work.word_count,
        chapters_display=work.chapters_display,
        source_url=f"{settings.SITE_URL.rstrip('/')}{work.get_absolute_url()}",
        series=download_series_for(work),
    )


def downloads_root() -> Path:
    return Path(settings.FANFOLD_DOWNLOADS_DIR)


def download_get(*, work: Work, fmt: Format) -> WorkDownload | None:
    return WorkDownload.objects.filter(work=work, format=fmt).first()


def download_ready_path(*, work: Work, fmt: Format) -> Path | None:
    """The file to serve, when a file of the work's current version is ready."""
    state = WorkDownloadState.objects.filter(work=work).first()
    download = download_get(work=work, fmt=fmt)
    if (
        state is None
        or download is None
        or download.status != DownloadStatus.READY
        or download.generation != state.generation
    ):
        return None
    path = downloads_root() / state.directory / download.file_name
    return path if path.is_file() else None
