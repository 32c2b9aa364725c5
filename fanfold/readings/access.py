"""Who may open a user's private pages (history, Marked for Later, subscriptions, stats)."""

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404


def user_or_404(username: str):
    return get_object_or_404(get_user_model(), username__iexact=username)


def owner_only(request, username: str):
    """(owner, None) when the request is the owner's, else (None, response): guests are sent to
    log in; other users get 403."""
    owner = user_or_404(username)
    if not request.user.is_authenticated:
        return None, redirect_to_login(request.get_full_path())
    if request.user.pk != owner.pk:
        raise PermissionDenied("Only its owner may see this page.")
    return owner, None
