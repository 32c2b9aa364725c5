"""Subscribe and unsubscribe (buttons on work, series and user pages, working without
JavaScript), and a user's list of their subscriptions."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from fanfold.core.pagination import paginate
from fanfold.readings.access import owner_only
from fanfold.series.models import Series
from fanfold.works.models import Work

from . import selectors, services
from .models import Subscription


def _back(request, fallback: str):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return redirect(target)
    return redirect(fallback)


def _target(request) -> dict:
    """The one thing the Subscribe button names: a work, a series or a writer."""
    if work_id := request.POST.get("work"):
        work = Work.objects.filter(pk=_number(work_id)).first()
        if work is None:
            raise Http404("No such work.")
        return {"work": work}
    if series_id := request.POST.get("series"):
        return {"series": get_object_or_404(Series, pk=_number(series_id))}
    if username := request.POST.get("writer"):
        return {"writer": get_object_or_404(get_user_model(), username__iexact=username)}
    raise Http404("Subscribe to what?")


def _number(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404("Not a number.") from exc


def _name(target: dict) -> str:
    thing = next(iter(target.values()))
    return thing.username if "writer" in target else thing.title


@login_required
@require_POST
def subscription_create(request):
    target = _target(request)
    try:
        services.subscription_create(user=request.user, **target)
    except PermissionDenied as exc:
        raise Http404("No such thing to subscribe to.") from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            f"You are now subscribed to {_name(target)}: you'll hear of new works and chapters.",
        )
    thing = next(iter(target.values()))
    return _back(request, thing.get_absolute_url())


@login_required
@require_POST
def subscription_delete(request, subscription_id):
    subscription = get_object_or_404(
        Subscription.objects.select_related("work", "series", "writer"), pk=subscription_id
    )
    services.subscription_delete(subscription=subscription, user=request.user)
    target = subscription.target
    name = target.username if subscription.writer_id else target.title
    messages.success(request, f"You have unsubscribed from {name}.")
    return _back(request, target.get_absolute_url())


def user_subscriptions(request, username):
    """/users/NAME/subscriptions: only the user sees their subscriptions."""
    owner, response = owner_only(request, username)
    if response:
        return response
    page_obj = paginate(request, selectors.subscription_list_for_user(user=owner))
    return render(
        request, "subscriptions/user_subscriptions.html", {"owner": owner, "page_obj": page_obj}
    )
