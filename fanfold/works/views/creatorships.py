"""Co-creator invitations: the invited user's list of them (AO3's "Co-Creator Requests" at
/users/NAME/creatorships) and their answer. Only that user may see or answer them."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from .. import selectors, services
from ..forms import CreatorshipAnswerForm
from ..models import Creatorship


def _back(request, owner):
    """Where the answer came from (the dashboard or this page), if it is on this site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("user_creatorships", owner.username)


@login_required
@require_http_methods(["GET", "POST"])
def user_creatorships(request, username):
    owner = get_object_or_404(get_user_model(), username__iexact=username)
    if owner.pk != request.user.pk:
        raise PermissionDenied("Only the invited user may see their co-creator invitations.")
    if request.method == "POST":
        form = CreatorshipAnswerForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Please choose an invitation and whether to accept it.")
            return _back(request, owner)
        creatorship = get_object_or_404(
            Creatorship.objects.select_related("work"), pk=form.cleaned_data["creatorship"]
        )
        title = creatorship.work.title
        try:
            if form.cleaned_data["action"] == "accept":
                services.creatorship_accept(creatorship=creatorship, user=request.user)
                messages.success(request, f"You are now listed as a co-creator of {title}.")
            else:
                services.creatorship_decline(creatorship=creatorship, user=request.user)
                messages.success(
                    request, f"You have declined the invitation to be a co-creator of {title}."
                )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return _back(request, owner)
    return render(
        request,
        "works/creatorships.html",
        {
            "owner": owner,
            "is_owner": True,
            "invitations": selectors.creatorship_invitations_for_user(user=owner),
        },
    )
