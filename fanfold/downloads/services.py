"""Every write of downloads: asking for a file, building it (from the background task), and
throwing files away when their work changes."""

import logging
import os
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fanfold.works.models import Work

from .formats import NEEDS_CALIBRE, BuildFailed, Format, calibre_available, write_format
from .models import DownloadStatus, WorkDownload, WorkDownloadState
from .selectors import book_from_work, downloads_root, work_get_for_download, work_is_downloadable

logger = logging.getLogger(__name__)

# A build still "being made" after this long is taken to be lost (a worker stopped) and queued
# again; a failed build is tried again when someone asks after this long.
PENDING_RETRY_AFTER = timedelta(minutes=10)
FAILED_RETRY_AFTER = timedelta(minutes=1)

_GENERATION_FILE = re.compile(r"^(\d+)\.[a-z0-9]+$")


def _enqueue_build(work_id: int, fmt: str, generation: int) -> None:
    from .tasks import build_download

    transaction.on_commit(
        lambda: build_download.enqueue(work_id=work_id, fmt=fmt, generation=generation)
    )


@transaction.atomic
def download_request(*, work: Work, fmt: Format) -> None:
    """Make sure the file of this format for the work as it is now is made or being made."""
    if not work_is_downloadable(work):
        raise PermissionDenied("Drafts and hidden works cannot be downloaded.")
    if fmt in NEEDS_CALIBRE and not calibre_available():
        raise ValidationError(
            {"format": f"{fmt.upper()} downloads need calibre, which this archive does not have."}
        )
    state, _ = WorkDownloadState.objects.get_or_create(work=work)
    now = timezone.now()
    download = WorkDownload.objects.select_for_update().filter(work=work, format=fmt).first()
    if download is not None and download.generation == state.generation:
        if download.status == DownloadStatus.READY:
            return
        waited = now - download.requested_at
        if download.status == DownloadStatus.PENDING and waited < PENDING_RETRY_AFTER:
            return
        if download.status == DownloadStatus.FAILED and waited < FAILED_RETRY_AFTER:
            return
    WorkDownload.objects.update_or_create(
        work=work,
        format=fmt,
        defaults={
            "generation": state.generation,
            "status": DownloadStatus.PENDING,
            "requested_at": now,
            "error": "",
        },
    )
    _enqueue_build(work.pk, fmt.value, state.generation)


def download_build(*, work_id: int, fmt: str, generation: int) -> None:
    """Build one format of the work, if it is still the version `generation`: the file is
    written beside the others and only then recorded as ready, so a reader never gets half a
    file. Not one transaction: a build takes seconds to minutes; the bookkeeping is atomic."""
    work = work_get_for_download(work_id=work_id)
    state = WorkDownloadState.objects.filter(work_id=work_id).first()
    if work is None or state is None or state.generation != generation:
        return  # deleted, hidden or changed since: nothing to make, or a newer build is queued
    directory = downloads_root() / state.directory
    directory.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".build-", dir=directory))
    try:
        target = scratch / f"work.{Format(fmt).value}"
        error = ""
        try:
            write_format(book_from_work(work), Format(fmt), target)
        except BuildFailed as failure:
            error = str(failure)[:500]
        except Exception:
            logger.exception("Building the %s download of work %s failed", fmt, work_id)
            error = "Something went wrong while making this file; the archive's admins can see why."
        _record_build(work_id, fmt, generation, target, directory, error)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    _remove_older_files(directory, generation)


@transaction.atomic
def _record_build(
    work_id: int, fmt: str, generation: int, built: Path, directory: Path, error: str
) -> None:
    state = WorkDownloadState.objects.select_for_update().filter(work_id=work_id).first()
    if state is None or state.generation != generation:
        return  # the work changed while this was built: the newer build records itself
    fields: dict = {"generation": generation, "built_at": timezone.now()}
    if error:
        fields |= {"status": DownloadStatus.FAILED, "error": error, "file_name": "", "size": 0}
    else:
        file_name = f"{generation}.{fmt}"
        os.replace(built, directory / file_name)
        fields |= {
            "status": DownloadStatus.READY,
            "error": "",
            "file_name": file_name,
            "size": (directory / file_name).stat().st_size,
        }
    WorkDownload.objects.filter(work_id=work_id, format=fmt).update(**fields)


def _remove_older_files(directory: Path, generation: int) -> None:
    for path in directory.glob("*"):
        match = _GENERATION_FILE.match(path.name)
        if match and int(match.group(1)) < generation:
            path.unlink(missing_ok=True)


def downloads_work_changed(work: Work, change: str) -> None:
    """Called by works.changes.work_changed inside the change's transaction: files of the old
    version are never served again; formats readers asked for are rebuilt in the background
    (once the change is committed); a deleted work's files go."""
    state = WorkDownloadState.objects.select_for_update().filter(work=work).first()
    if state is None:
        return  # never downloaded: nothing cached
    directory = downloads_root() / state.directory
    if change == "deleted":
        transaction.on_commit(lambda: shutil.rmtree(directory, ignore_errors=True))
        return
    WorkDownloadState.objects.filter(work=work).update(generation=F("generation") + 1)
    generation = state.generation + 1
    downloads = WorkDownload.objects.filter(work=work)
    if not work_is_downloadable(work):
        downloads.delete()
        transaction.on_commit(lambda: _remove_older_files(directory, generation + 1))
        return
    formats = list(downloads.values_list("format", flat=True))
    downloads.update(
        status=DownloadStatus.PENDING, generation=generation, requested_at=timezone.now(), error=""
    )
    for fmt in formats:
        if fmt in NEEDS_CALIBRE and not calibre_available():
            continue
        _enqueue_build(work.pk, fmt, generation)
