"""The inbox page (/inbox): comments on one's works and replies to one's comments (and, from
subscriptions, new chapters), newest first, with read/unread and replying in place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.comments.forms import CommentForm
from fanfold.core.pagination import paginate

from . import selectors, services
from .forms import InboxUpdateForm, PreferencesForm


@login_required
def inbox(request):
    show = request.GET.get("show", "all")
    items = selectors.inbox_items_for_user(user=request.user, unread_only=show == "unread")
    page = paginate(request, items, per_page=20)
    for item in page.object_list:
        # The reply form of each comment entry (shown in a <details>, so no JavaScript needed).
        comment = item.comment
        if (
            comment
            and comment.is_published
            and not (comment.is_frozen or comment.is_deleted or comment.is_hidden)
        ):
            item.reply_form = CommentForm(
                initial={"parent_id": item.comment_id, "next": request.get_full_path()},
                auto_id=f"id_%s_{item.pk}",
            )
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "items": page.object_list, "show": show, "form": InboxUpdateForm()},
    )


@login_required
@require_POST
def inbox_update(request):
    """POST /inbox/update: mark the selected entries read or unread, delete them, or mark all
    read."""
    ids = list(selectors.inbox_items_for_user(user=request.user).values_list("pk", flat=True))
    form = InboxUpdateForm(request.POST, item_ids=ids)
    if not form.is_valid():
        for error in form.non_field_errors() or ["Please choose what to do."]:
            messages.error(request, error)
        return redirect("inbox")
    action, items = form.cleaned_data["action"], form.cleaned_data["items"]
    if action == "all_read":
        services.inbox_mark_all_read(user=request.user)
        messages.success(request, "All messages marked read.")
    elif action == "delete":
        count = services.inbox_delete(user=request.user, item_ids=items)
        messages.success(request, f"{count} message{'s' if count != 1 else ''} deleted.")
    else:
        services.inbox_mark(user=request.user, item_ids=items, read=action == "read")
        messages.success(request, f"Messages marked {action}.")
    return redirect("inbox")


@login_required
@require_http_methods(["GET", "POST"])
def user_preferences(request, username: str):
    """/users/NAME/preferences (AO3's address): the user's own preferences: whether comments on
    their works and replies to their comments are e-mailed as well as put in the inbox."""
    if request.user.username.lower() != username.lower():
        raise PermissionDenied("You can only change your own preferences.")
    initial = {"comment_emails": selectors.comment_emails_wanted(user=request.user)}
    # An unticked box sends nothing: an empty POST is still a submitted form.
    form = PreferencesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.inbox_settings_update(
            user=request.user, comment_emails=form.cleaned_data["comment_emails"]
        )
        messages.success(request, "Your preferences were saved.")
        return redirect("user_preferences", request.user.username)
    return render(request, "inbox/preferences.html", {"form": form})
