import unicodedata
from urllib.parse import quote

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import render

from fanfold.core.ratelimit import rate_limited

from . import selectors, services
from .formats import CONTENT_TYPES, LABELS, Format
from .models import DownloadStatus

_UNSAFE_IN_NAMES = str.maketrans({char: " " for char in '/\\:*?"<>|\r\n\t'})


def download_filename(work, fmt: Format) -> tuple[str, str]:
    """(ASCII-only name, full Unicode name) for the file: "Title - Creator.epub"."""
    creators = ", ".join(c.pseud.name for c in work.approved_creatorships)
    base = f"{work.title} - {creators}" if creators else work.title
    base = " ".join(base.translate(_UNSAFE_IN_NAMES).split())[:150].strip(" .") or "work"
    ascii_base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    ascii_base = " ".join(ascii_base.split()).strip(" .-,")
    if not ascii_base or ascii_base.strip(" -,") == "":
        ascii_base = f"work-{work.pk}"
    return f"{ascii_base}.{fmt.value}", f"{base}.{fmt.value}"


def content_disposition(work, fmt: Format) -> str:
    """attachment with an ASCII filename for every client and the UTF-8 name (RFC 5987) for
    those that read it."""
    ascii_name, unicode_name = download_filename(work, fmt)
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != unicode_name:
        header += f"; filename*=UTF-8''{quote(unicode_name, safe='')}"
    return header


@rate_limited("download", methods=("GET", "HEAD"))
def work_download(request, work_id: int, name: str, fmt: str):
    try:
        file_format = Format(fmt)
    except ValueError as error:
        raise Http404("No such format") from error
    work = selectors.work_get_for_download(work_id=int(work_id))
    if work is None:
        raise Http404("No such work, or it cannot be downloaded")
    if work.is_restricted and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    context = {"work": work, "format_label": LABELS[file_format]}
    try:
        services.download_request(work=work, fmt=file_format)
    except ValidationError as error:
        context["message"] = " ".join(error.messages)
        return render(request, "downloads/unavailable.html", context, status=404)
    path = selectors.download_ready_path(work=work, fmt=file_format)
    if path is not None:
        response = FileResponse(path.open("rb"), content_type=CONTENT_TYPES[file_format])
        response["Content-Disposition"] = content_disposition(work, file_format)
        return response
    download = selectors.download_get(work=work, fmt=file_format)
    if download is not None and download.status == DownloadStatus.FAILED:
        context["message"] = download.error
        context["status_retry"] = True
        return render(request, "downloads/unavailable.html", context, status=503)
    return render(request, "downloads/preparing.html", context, status=202)
