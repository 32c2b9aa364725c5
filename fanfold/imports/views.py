"""Import a work: upload or paste (import_start), then check and correct the preview and save
it as a draft (import_preview). Each view parses the request with a form and calls a service."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fanfold.core.forms import add_service_errors
from fanfold.core.ratelimit import client_ip, rate_limit_check
from fanfold.works.models import Work

from . import services
from .forms import ImportPreviewForm, ImportStartForm, chapter_formset
from .models import EfictionStory
from .parsing import ParsedWork

GET_POST = require_http_methods(["GET", "POST"])


@login_required
@GET_POST
def import_start(request):
    form = ImportStartForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rate_limit_check(scope="import", user=request.user, ip=client_ip(request))
            pending = services.import_start(
                user=request.user,
                filename=upload.name if upload else "",
                data=_read_upload(upload) if upload else None,
                size=upload.size if upload else None,
                text=form.cleaned_data["text"],
                format=form.cleaned_data["format"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("import_preview", pending.pk)
    return render(request, "imports/import_start.html", {"form": form})


def _read_upload(upload) -> bytes:
    """The upload's bytes, at most one byte past the size limit: a larger file is refused by
    its size (upload.size) without being read whole into memory."""
    return upload.read(settings.FANFOLD_IMPORT_MAX_BYTES + 1)


@login_required
@GET_POST
def import_preview(request, pending_id: int):
    pending = services.pending_import_for(pending_id=pending_id, user=request.user)
    parsed = ParsedWork.from_dict(pending.data)
    form = ImportPreviewForm(request.POST or None, user=request.user, parsed=parsed)
    chapters = chapter_formset(request.POST or None, parsed)
    if request.method == "POST" and form.is_valid() and chapters.is_valid():
        try:
            work = services.import_save(
                pending=pending,
                user=request.user,
                choices=[chapter_form.choice() for chapter_form in chapters],
                **form.import_fields(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                "The work was imported as a draft. Check it, then post it.",
            )
            return redirect("work_preview", work.pk)
    return render(
        request,
        "imports/import_preview.html",
        {
            "form": form,
            "chapters": list(zip(chapters.forms, parsed.chapters, strict=False)),
            "formset": chapters,
            "parsed": parsed,
            "pending": pending,
        },
    )


@require_http_methods(["GET", "HEAD"])
def efiction_viewstory(request):
    """viewstory.php?sid=N[&chapter=M] of an imported eFiction archive: a permanent redirect to
    the work (or its chapter M). The work's own page decides who may read it."""
    sid = request.GET.get("sid", "")
    story = (
        EfictionStory.objects.select_related("work")
        .filter(sid=int(sid), work__in=Work.objects.visible_to(request.user))
        .first()
        if sid.isdigit() and len(sid) < 10
        else None
    )
    if story is None:
        # Unknown, or a draft or hidden work this reader may not see: the same answer.
        raise Http404("No imported story has that number.")
    target = story.work.get_absolute_url()
    chapter = request.GET.get("chapter", "")
    if chapter.isdigit() and story.work.chapter_count > 1:
        position = int(chapter)
        found = story.work.chapters.filter(position=position).first()
        if found is not None:
            target = reverse("chapter_detail", args=[story.work.pk, found.pk])
    return HttpResponsePermanentRedirect(target)
