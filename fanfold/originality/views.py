"""Originality pages: the moderators' repost queue and reports, the admins' reference library,
and the writer's sources panel. Reports are nobody else's business: guests are sent to log in,
other users get 403 (and 404 for a work they may not see)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.core.forms import add_service_errors
from fanfold.core.permissions import require_admin, require_moderator
from fanfold.core.ratelimit import rate_limited
from fanfold.works.selectors import work_get_for_reading, work_user_is_creator

from . import selectors, services
from .engine.align import align, side_by_side
from .engine.text import tokenize
from .forms import HideForm, ReferenceSourceForm
from .models import ReferenceSource, RepostReport, SourceMatch

GET_POST = require_http_methods(["GET", "POST"])


# Said to logged-in users who are not moderators.
NOT_A_MODERATOR = "Only moderators may see originality reports."


@login_required
def repost_queue(request):
    require_moderator(request.user, NOT_A_MODERATOR)
    status = request.GET.get("status", RepostReport.Status.OPEN)
    if status not in RepostReport.Status.values:
        status = RepostReport.Status.OPEN
    return render(
        request,
        "originality/queue.html",
        {
            "reports": selectors.repost_queue(status=status)[:200],
            "status": status,
            "statuses": RepostReport.Status.choices,
        },
    )


@login_required
def repost_report(request, report_id: int):
    require_moderator(request.user, NOT_A_MODERATOR)
    report = selectors.repost_report_get(report_id=report_id)
    if report is None:
        raise Http404("No such report.")
    return _report_page(request, report, HideForm())


def _report_page(request, report: RepostReport, hide_form, *, status: int = 200):
    older = tokenize(selectors.work_plain_text(report.older_work_id))
    newer = tokenize(selectors.work_plain_text(report.newer_work_id))
    segments = side_by_side(older, newer, align(older, newer), context=30)
    return render(
        request,
        "originality/report.html",
        {"report": report, "segments": segments, "hide_form": hide_form},
        status=status,
    )


@login_required
@require_POST
def repost_report_dismiss(request, report_id: int):
    require_moderator(request.user, NOT_A_MODERATOR)
    report = get_object_or_404(RepostReport, pk=report_id)
    services.repost_report_dismiss(report=report, moderator=request.user)
    messages.success(request, "The report was dismissed.")
    return redirect("originality_queue")


@login_required
@require_POST
def repost_report_hide(request, report_id: int):
    require_moderator(request.user, NOT_A_MODERATOR)
    report = selectors.repost_report_get(report_id=report_id)
    if report is None:
        raise Http404("No such report.")
    form = HideForm(request.POST)
    if form.is_valid():
        try:
            services.repost_report_hide(
                report=report, moderator=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{report.newer_work.title}” is hidden pending review.")
            return redirect("originality_queue")
    return _report_page(request, report, form, status=400)


@login_required
@GET_POST
def reference_library(request):
    require_admin(request.user, services.ADMINS_ONLY)
    form = ReferenceSourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.reference_source_add(
                title=form.cleaned_data["title"], text=form.cleaned_data["text"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"“{source.title}” was added to the reference library.")
            return redirect("originality_library")
    return render(
        request,
        "originality/library.html",
        {"form": form, "sources": ReferenceSource.objects.all()},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reference_source_delete(request, source_id: int):
    require_admin(request.user, services.ADMINS_ONLY)
    source = get_object_or_404(ReferenceSource, pk=source_id)
    services.reference_source_delete(source=source, user=request.user)
    messages.success(request, f"“{source.title}” was removed from the reference library.")
    return redirect("originality_library")


def _creator_work(request, work_id: int):
    work = work_get_for_reading(work_id=work_id, user=request.user)
    if work is None:
        raise Http404("No such work.")
    if not work_user_is_creator(work=work, user=request.user):
        raise PermissionDenied("Only the work's creators see its sources.")
    return work


@login_required
def work_sources(request, work_id: int):
    work = _creator_work(request, work_id)
    return render(
        request,
        "originality/sources.html",
        {"work": work, "matches": selectors.source_matches_for_work(work=work)},
    )


@login_required
@require_POST
@rate_limited("originality_credit")
def source_match_credit(request, work_id: int, match_id: int):
    work = _creator_work(request, work_id)
    match = get_object_or_404(SourceMatch, pk=match_id, work=work)
    try:
        services.source_match_credit(match=match, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"A credit for “{match.source.title}” was added to the notes.")
    return redirect("originality_work_sources", work.pk)
