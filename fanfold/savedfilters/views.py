"""The preferences page for saved filters and exclusions, and the forms posting to it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.core.forms import add_service_errors

from . import selectors, services
from .forms import ExclusionForm, SavedFilterForm


def _page(request, *, save_form=None, exclusion_form=None, status=200):
    return render(
        request,
        "savedfilters/preferences.html",
        {
            "saved_filters": selectors.saved_filters_for_user(user=request.user),
            "exclusions": selectors.exclusions_for_user(user=request.user),
            "save_form": save_form,
            "exclusion_form": exclusion_form or ExclusionForm(),
        },
        status=status,
    )


@login_required
def saved_filters(request):
    """/preferences/filters: the user's saved filters and permanent exclusions."""
    return _page(request)


@login_required
@require_POST
def saved_filter_create(request):
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        try:
            saved = services.saved_filter_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Saved the filters as “{saved.name}”.")
            return redirect(saved.url)
    return _page(request, save_form=form, status=400)


@login_required
@require_POST
def saved_filter_delete(request, saved_filter_id):
    try:
        services.saved_filter_delete(user=request.user, saved_filter_id=saved_filter_id)
    except ValidationError as error:
        raise Http404("No such saved filter.") from error
    messages.success(request, "Deleted the saved filter.")
    return redirect("saved_filters")


@login_required
@require_POST
def exclusion_create(request):
    form = ExclusionForm(request.POST)
    if form.is_valid():
        try:
            services.exclusion_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Those works will no longer be listed for you.")
            return redirect("saved_filters")
    return _page(request, exclusion_form=form, status=400)


@login_required
@require_POST
def exclusion_delete(request, exclusion_id):
    try:
        services.exclusion_delete(user=request.user, exclusion_id=exclusion_id)
    except ValidationError as error:
        raise Http404("No such exclusion.") from error
    messages.success(request, "Removed the exclusion.")
    return redirect("saved_filters")
