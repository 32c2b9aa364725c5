"""History and Marked for Later: the owner's lists, and the buttons that change them (plain
forms, so they work without JavaScript)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from fanfold.core.pagination import paginate
from fanfold.works.models import Work

from . import selectors, services
from .access import owner_only


def user_history(request, username):
    """/users/NAME/readings: works the user opened, most recent first."""
    owner, response = owner_only(request, username)
    if response:
        return response
    return render(
        request,
        "readings/history.html",
        {
            "owner": owner,
            "page_obj": paginate(request, selectors.history_for_user(user=owner)),
            "history_enabled": selectors.history_enabled(user=owner),
        },
    )


def user_marked_for_later(request, username):
    """/users/NAME/readings/later: the user's reading list."""
    owner, response = owner_only(request, username)
    if response:
        return response
    return render(
        request,
        "readings/marked_for_later.html",
        {
            "owner": owner,
            "page_obj": paginate(request, selectors.marked_for_later_for_user(user=owner)),
        },
    )


@require_POST
def history_clear(request, username):
    owner, response = owner_only(request, username)
    if response:
        return response
    services.history_clear(user=owner)
    messages.success(request, "Your history is now cleared.")
    return redirect("user_history", owner.username)


@require_POST
def history_settings(request, username):
    owner, response = owner_only(request, username)
    if response:
        return response
    enabled = request.POST.get("history_enabled") == "on"
    services.history_set_enabled(user=owner, enabled=enabled)
    messages.success(
        request,
        "Your history is on again."
        if enabled
        else "Your history is off and cleared: works you open are no longer recorded.",
    )
    return redirect("user_history", owner.username)


def _work(work_id) -> Work:
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    return work


@login_required
@require_POST
def mark_for_later(request, work_id):
    work = _work(work_id)
    try:
        services.marked_for_later_add(user=request.user, work=work)
    except ValidationError as exc:
        raise Http404("No such work.") from exc
    messages.success(
        request, f"{work.title} is marked for later: find it on your Marked for Later list."
    )
    return redirect(work)


@login_required
@require_POST
def unmark_for_later(request, work_id):
    # Only a work the user may see: the answer names the work, so another's draft or a hidden
    # work must stay "not found" (its entry stays too, out of sight like it, as on the list).
    work = Work.objects.visible_to(request.user).filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    services.marked_for_later_remove(user=request.user, work=work)
    messages.success(request, f"{work.title} is no longer marked for later.")
    if request.POST.get("from") == "list":
        return redirect("user_marked_for_later", request.user.username)
    return redirect(work)
