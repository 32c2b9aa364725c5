"""Bookmark pages: a user's bookmarks, a work's or series' bookmarks, one bookmark, and the
forms to bookmark, edit and delete. Private bookmarks exist only for their owner (404 for
everyone else), as do bookmarks of works a viewer may not see."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fanfold.core.forms import add_service_errors
from fanfold.core.pagination import paginate
from fanfold.readings.access import user_or_404
from fanfold.series.selectors import series_get_for_viewer
from fanfold.works.selectors import work_get_for_reading
from fanfold.works.views.reading import RESTRICTED_MESSAGE

from . import selectors, services
from .forms import BookmarkForm
from .models import Bookmark

GET_POST = require_http_methods(["GET", "POST"])


def _readable_work(request, work_id):
    """The posted work when this viewer may read it; guests meet restricted works at login."""
    work = work_get_for_reading(work_id=work_id, user=request.user)
    if work is None or not work.is_posted:
        raise Http404("No such work.")
    return work


def _readable_series(request, series_id):
    found = series_get_for_viewer(series_id=series_id, viewer=request.user)
    if found is None:
        raise Http404("No such series.")
    return found[0]


def user_bookmarks(request, username):
    """/users/NAME/bookmarks (?tag=NAME): public bookmarks, and private ones for their owner."""
    owner = user_or_404(username)
    tag = (request.GET.get("tag") or "").strip()
    bookmarks = selectors.bookmark_list_for_user(owner=owner, viewer=request.user, tag=tag)
    return render(
        request,
        "bookmarks/bookmark_list.html",
        {
            "page_obj": paginate(request, bookmarks),
            "owner": owner,
            "is_owner": request.user.is_authenticated and request.user.pk == owner.pk,
            "tag": tag,
            "title": f"Bookmarks by {owner.username}",
        },
    )


def work_bookmarks(request, work_id):
    work = _readable_work(request, work_id)
    if work.is_restricted and not request.user.is_authenticated:
        messages.error(request, RESTRICTED_MESSAGE)
        return redirect_to_login(request.get_full_path())
    bookmarks = selectors.bookmark_list_for_work(work=work, viewer=request.user)
    return render(
        request,
        "bookmarks/bookmark_list.html",
        {
            "page_obj": paginate(request, bookmarks),
            "target": work,
            "title": f"Bookmarks of {work.title}",
            "own": selectors.bookmark_of_user(user=request.user, work=work),
            "new_url_name": "work_bookmark_new",
        },
    )


def series_bookmarks(request, series_id):
    series = _readable_series(request, series_id)
    bookmarks = selectors.bookmark_list_for_series(series=series, viewer=request.user)
    return render(
        request,
        "bookmarks/bookmark_list.html",
        {
            "page_obj": paginate(request, bookmarks),
            "target": series,
            "title": f"Bookmarks of {series.title}",
            "own": selectors.bookmark_of_user(user=request.user, series=series),
            "new_url_name": "series_bookmark_new",
        },
    )


def bookmark_detail(request, bookmark_id):
    bookmark = selectors.bookmark_get_for_viewer(bookmark_id=bookmark_id, viewer=request.user)
    if bookmark is None:
        raise Http404("No such bookmark.")
    return render(request, "bookmarks/bookmark_detail.html", {"bookmark": bookmark})


def _bookmark_form(request, *, work=None, series=None):
    target = work or series
    existing = selectors.bookmark_of_user(user=request.user, work=work, series=series)
    if existing is not None:
        messages.info(request, "You have already bookmarked this; you can edit your bookmark.")
        return redirect("bookmark_edit", existing.pk)
    form = BookmarkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            bookmark = services.bookmark_create(
                user=request.user, work=work, series=series, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Bookmark was successfully created.")
            return redirect(bookmark)
    return render(request, "bookmarks/bookmark_form.html", {"form": form, "target": target})


@login_required
@GET_POST
def work_bookmark_new(request, work_id):
    work = _readable_work(request, work_id)
    if work.is_hidden:
        raise PermissionDenied(services.HIDDEN_WORK_REFUSAL)
    return _bookmark_form(request, work=work)


@login_required
@GET_POST
def series_bookmark_new(request, series_id):
    return _bookmark_form(request, series=_readable_series(request, series_id))


def _own_bookmark(request, bookmark_id) -> Bookmark:
    bookmark = selectors.bookmark_get_for_viewer(bookmark_id=bookmark_id, viewer=request.user)
    if bookmark is None:
        # Someone else's private bookmark is nobody's business: not found, like a missing one.
        raise Http404("No such bookmark.")
    if bookmark.user_id != request.user.pk:
        raise PermissionDenied("Only the bookmark's owner may change it.")
    return bookmark


@login_required
@GET_POST
def bookmark_edit(request, bookmark_id):
    bookmark = _own_bookmark(request, bookmark_id)
    initial = {
        "notes": bookmark.notes,
        "tags": ", ".join(bookmark.tag_names),
        "is_rec": bookmark.is_rec,
        "is_private": bookmark.is_private,
    }
    form = BookmarkForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.bookmark_update(bookmark=bookmark, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Bookmark was successfully updated.")
            return redirect(bookmark)
    target = bookmark.work or bookmark.series
    return render(
        request,
        "bookmarks/bookmark_form.html",
        {"form": form, "target": target, "bookmark": bookmark},
    )


@login_required
@GET_POST
def bookmark_delete(request, bookmark_id):
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method == "POST":
        services.bookmark_delete(bookmark=bookmark, user=request.user)
        messages.success(request, "Bookmark was successfully deleted.")
        return redirect("user_bookmarks", request.user.username)
    return render(request, "bookmarks/bookmark_confirm_delete.html", {"bookmark": bookmark})
