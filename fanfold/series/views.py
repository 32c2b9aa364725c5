"""Series pages: a series with its works in order, a user's series, and the writer's screens to
make, edit, fill, order and delete a series."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.bookmarks.selectors import bookmark_of_user
from fanfold.core.forms import add_service_errors
from fanfold.core.pagination import paginate
from fanfold.readings.access import user_or_404
from fanfold.subscriptions.selectors import subscription_of_user
from fanfold.works.models import Work
from fanfold.works.selectors import work_user_is_creator, works_for_blurbs, works_gathered_for

from . import selectors, services
from .forms import AddToSeriesForm, SeriesForm, SeriesOrderForm
from .models import Series

GET_POST = require_http_methods(["GET", "POST"])


def _own_series(request, series_id: int) -> Series:
    series = get_object_or_404(Series, pk=series_id)
    if series.owner_id != request.user.pk:
        if selectors.series_get_for_viewer(series_id=series.pk, viewer=request.user) is None:
            raise Http404("No such series.")
        raise PermissionDenied("Only the series' creator may change it.")
    return series


def series_detail(request, series_id):
    """/series/ID: the series' summary and notes, and its works in order."""
    found = selectors.series_get_for_viewer(series_id=series_id, viewer=request.user)
    if found is None:
        raise Http404("No such series.")
    series, works = found
    is_owner = request.user.is_authenticated and request.user.pk == series.owner_id
    return render(
        request,
        "series/series_detail.html",
        {
            "series": series,
            "works": works,
            "is_owner": is_owner,
            "word_count": sum(work.word_count for work in works),
            "bookmark": bookmark_of_user(user=request.user, series=series),
            "subscription": subscription_of_user(user=request.user, series=series),
        },
    )


def user_series(request, username):
    """/users/NAME/series: the user's series (with at least one work the viewer may see)."""
    owner = user_or_404(username)
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    series = selectors.series_list_for_user(owner=owner, viewer=request.user)
    return render(
        request,
        "series/user_series.html",
        {"owner": owner, "is_owner": is_owner, "page_obj": paginate(request, series)},
    )


@login_required
@GET_POST
def series_new(request):
    form = SeriesForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Series created. Add works to it from their pages.")
            return redirect(series)
    return render(request, "series/series_form.html", {"form": form})


@login_required
@GET_POST
def series_edit(request, series_id):
    series = _own_series(request, series_id)
    initial = {
        "title": series.title,
        "summary": series.summary,
        "notes": series.notes,
        "is_complete": series.is_complete,
    }
    form = SeriesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(series=series, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Series updated.")
            return redirect(series)
    return render(request, "series/series_form.html", {"form": form, "series": series})


@login_required
@GET_POST
def series_delete(request, series_id):
    series = _own_series(request, series_id)
    if request.method == "POST":
        services.series_delete(series=series, user=request.user)
        messages.success(request, f"The series {series.title} was deleted; its works remain.")
        return redirect("user_series", request.user.username)
    return render(request, "series/series_confirm_delete.html", {"series": series})


@login_required
@GET_POST
def series_manage(request, series_id):
    """Order the series' works by position numbers, or take one out."""
    series = _own_series(request, series_id)
    parts = series.parts.select_related("work")
    form = SeriesOrderForm(request.POST if request.method == "POST" else None, parts=parts)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_reorder(series=series, user=request.user, work_ids=form.work_ids())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "The works' order was updated.")
            return redirect(series)
    return render(request, "series/series_manage.html", {"series": series, "form": form})


@login_required
@require_POST
def series_remove_work(request, series_id, work_id):
    series = get_object_or_404(Series, pk=series_id)
    # A work the viewer sees in the series (moderators: hidden ones too); the service decides
    # who may take it out.
    work = get_object_or_404(works_gathered_for(request.user), pk=work_id)
    try:
        services.series_remove_work(series=series, work=work, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{work.title} is no longer part of {series.title}.")
    if series.owner_id == request.user.pk:
        return redirect("series_manage", series.pk)
    return redirect(work)


@login_required
@GET_POST
def work_add_to_series(request, work_id):
    """/works/ID/series: the work's creators add it to one of their series or a new one."""
    work = get_object_or_404(works_for_blurbs(Work.objects.visible_to(request.user)), pk=work_id)
    if not work_user_is_creator(work=work, user=request.user):
        raise PermissionDenied("Only the work's creators may add it to a series.")
    choices = selectors.series_choices_for_work(work=work, user=request.user)
    form = AddToSeriesForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data.get("series"):
                series = get_object_or_404(
                    Series, pk=form.cleaned_data["series"], owner=request.user
                )
                services.series_add_work(series=series, work=work, user=request.user)
            else:
                series = services.series_create_with_work(
                    user=request.user, title=form.cleaned_data["new_title"], work=work
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"{work.title} was added to {series.title}.")
            return redirect(series)
    places = selectors.series_places_for_work(work=work, viewer=request.user)
    return render(
        request, "series/work_add_to_series.html", {"work": work, "form": form, "places": places}
    )
