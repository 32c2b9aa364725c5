"""Managing blocks and mutes: one page listing both (/users/NAME/blocked, the owner's only)
with a form to add a user by name, and block/mute buttons on other users' pages."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.accounts.models import User
from fanfold.core.forms import add_service_errors

from . import selectors, services
from .forms import UsernameForm

ACTIONS: dict[str, tuple[Callable[..., object], str, str]] = {
    "block": (services.user_block, "blocked", "You have blocked {name}."),
    "unblock": (services.user_unblock, "blocked", "You have unblocked {name}."),
    "mute": (services.user_mute, "muted", "You have muted {name}."),
    "unmute": (services.user_unmute, "muted", "You have unmuted {name}."),
}


def _own_page(request, username: str) -> None:
    if request.user.username.lower() != username.lower():
        raise PermissionDenied("You can only manage your own blocked and muted users.")


@login_required
@require_http_methods(["GET", "POST"])
def blocking_manage(request, username: str):
    """/users/NAME/blocked: the users NAME blocked and muted; block or mute another by name."""
    _own_page(request, username)
    form = UsernameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        if action not in ("block", "mute"):
            form.add_error(None, "Please choose Block or Mute.")
        else:
            other = User.objects.filter(username__iexact=form.cleaned_data["username"]).first()
            service, keyword, message = ACTIONS[action]
            try:
                service(user=request.user, **{keyword: other})
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, message.format(name=other.username))  # type: ignore[union-attr]
                return redirect("blocking_manage", username=request.user.username)
    return render(
        request,
        "blocking/manage.html",
        {
            "form": form,
            "blocks": selectors.blocks_for_user(user=request.user),
            "mutes": selectors.mutes_for_user(user=request.user),
        },
    )


@login_required
@require_POST
def user_block_action(request, username: str):
    """POST /users/NAME/block with action=block, unblock, mute or unmute."""
    other = get_object_or_404(User, username__iexact=username)
    action = request.POST.get("action", "")
    if action not in ACTIONS:
        messages.error(request, "Please choose what to do.")
        return redirect(other.get_absolute_url())
    service, keyword, message = ACTIONS[action]
    try:
        service(user=request.user, **{keyword: other})
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, message.format(name=other.username))
    back = request.POST.get("next")
    if back == "manage":
        return redirect("blocking_manage", username=request.user.username)
    return HttpResponseRedirect(reverse("user_detail", args=[other.username]))
