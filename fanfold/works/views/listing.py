"""Listings of work blurbs: the newest works, a user's works, a pseud's works, a user's drafts."""

from django.contrib.auth import get_user_model
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from fanfold.accounts.models import Pseud
from fanfold.core.pagination import paginate
from fanfold.search.listing import filtered_listing
from fanfold.works import selectors


def _render_list(request, works, **context):
    context.setdefault("noun", "Work")
    return render(
        request, "works/work_list.html", {"page_obj": paginate(request, works), **context}
    )


def _render_filtered(request, works, **context):
    """A listing with AO3's filter sidebar: `works` is the visible, unordered base set."""
    context.setdefault("noun", "Work")
    listing = filtered_listing(request, works, viewer=request.user)
    return render(request, "works/work_list.html", {**listing.context(), **context})


def _user_or_404(username):
    return get_object_or_404(get_user_model(), username__iexact=username)


def work_index(request):
    """/works: every posted work the reader may see, most recently updated first."""
    return _render_filtered(
        request,
        None,  # every posted work the reader may see (filtered_listing picks the fastest way)
        title="Works",
        empty_message="No works have been posted yet.",
    )


def user_works(request, username):
    """/users/NAME/works: the user's posted works under all their pseuds."""
    owner = _user_or_404(username)
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    return _render_filtered(
        request,
        selectors.works_listed_for_user(owner=owner, viewer=request.user),
        title=f"Works by {owner.username}",
        heading_by=owner.username,
        heading_by_url=owner.get_absolute_url(),
        owner=owner,
        is_owner=is_owner,
        empty_message=(
            "You haven't posted any works yet."
            if is_owner
            else f"{owner.username} hasn't posted any works yet."
        ),
    )


def pseud_works(request, username, pseud_name):
    """/users/NAME/pseuds/PSEUD/works: the works posted under one pseud."""
    owner = _user_or_404(username)
    pseud = get_object_or_404(
        Pseud.objects.select_related("user"), user=owner, name__iexact=pseud_name
    )
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    return _render_filtered(
        request,
        selectors.works_listed_for_pseud(pseud=pseud, viewer=request.user),
        title=f"Works by {pseud}",
        heading_by=str(pseud),
        heading_by_url=pseud.get_absolute_url(),
        owner=owner,
        is_owner=is_owner,
        empty_message=f"No works have been posted under the name {pseud.name} yet.",
    )


def user_drafts(request, username):
    """/users/NAME/works/drafts: the owner's unposted drafts; nobody else's business."""
    owner = _user_or_404(username)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.pk != owner.pk:
        raise PermissionDenied("Only the owner may see their drafts.")
    return _render_list(
        request,
        selectors.work_list_drafts(owner=owner),
        title="Drafts",
        noun="Draft",
        heading_by=owner.username,
        heading_by_url=owner.get_absolute_url(),
        owner=owner,
        is_owner=True,
        drafts=True,
        empty_message=(
            "You have no drafts. When you save a work as a draft instead of posting it, "
            "it waits here until you post it."
        ),
    )
