"""Background work of downloads: building a file takes seconds (EPUB) to minutes (PDF or
calibre on a long work), so it never happens in a request."""

from django.tasks import task

from .services import download_build


@task
def build_download(*, work_id: int, fmt: str, generation: int) -> None:
    download_build(work_id=work_id, fmt=fmt, generation=generation)
