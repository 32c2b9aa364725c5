"""Comments: posting (and replying) on works and news posts, a comment's own page, editing,
deleting, freezing, approving, a work's comment settings, and the moderators' list of comments
held as spam. Every view parses a form and calls one service; the
services decide who may, and their PermissionDenied messages are shown to the user as they are
(a blocked user, a guest where guests may not comment, a frozen thread)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.core.forms import add_service_errors
from fanfold.core.pagination import paginate
from fanfold.core.permissions import (
    MODERATORS_ONLY,
    is_admin_or_moderator,
    is_moderator,
    require_moderator,
)
from fanfold.core.ratelimit import client_ip, rate_limited
from fanfold.news.models import NewsPost
from fanfold.news.selectors import news_post_for_reading
from fanfold.works.models import Chapter, Work
from fanfold.works.selectors import work_get_for_reading, work_user_is_creator

from . import selectors, services
from .forms import CommentEditForm, CommentForm, CommentSettingsForm
from .models import Comment

GET_POST = require_http_methods(["GET", "POST"])


def _readable_work(request, work_id: int) -> Work:
    work = work_get_for_reading(work_id=work_id, user=request.user)
    if work is None:
        raise Http404("No such work.")
    return work


def _comment_and_target(request, comment_id: int) -> tuple[Comment, Work | NewsPost]:
    """The comment and what it is on (its work, or its news post), if the visitor may read
    that; else 404."""
    comment = selectors.comment_get(comment_id=comment_id)
    if comment is None:
        raise Http404("No such comment.")
    # A comment hidden by moderators is, for everyone but its writer and moderators, no comment.
    if comment.is_hidden and not (
        (request.user.is_authenticated and comment.user_id == request.user.pk)
        or is_moderator(request.user)
    ):
        raise Http404("No such comment.")
    if comment.news_post_id is not None:
        post = news_post_for_reading(post_id=comment.news_post_id, viewer=request.user)
        if post is None:
            raise Http404("No such comment.")
        return comment, post
    return comment, _readable_work(request, comment.work_id or 0)


def _guest_on_restricted(request, target: Work | NewsPost) -> bool:
    """A guest opening a comment on a restricted work is asked to log in first."""
    return isinstance(target, Work) and target.is_restricted and not request.user.is_authenticated


def _manages(request, target: Work | NewsPost) -> bool:
    """Whether the visitor manages the target's comments as its owner does (approves the ones
    waiting, deletes any): a work's creators; for a news post, the archive's admins and
    moderators."""
    if isinstance(target, NewsPost):
        return is_admin_or_moderator(request.user)
    return work_user_is_creator(work=target, user=request.user)


def _sees_waiting(request, target: Work | NewsPost) -> bool:
    """Whether the visitor sees the target's comments that wait for approval: those who manage
    them, and moderators on a work they hid (selectors.sees_waiting_comments)."""
    manages = _manages(request, target)
    if isinstance(target, NewsPost):
        return manages
    return selectors.sees_waiting_comments(work=target, viewer=request.user, is_creator=manages)


def _create_url(target: Work | NewsPost) -> str:
    if isinstance(target, NewsPost):
        return reverse("news_comment_create", args=[target.pk])
    return reverse("comment_create", args=[target.pk])


# Said when a guest's comment is dropped by the honeypot: the same words as for a comment
# received, so a bot learns nothing.
RECEIVED = "Thank you: your comment was received."


def _safe_next(request, url: str) -> str | None:
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return None


def comment_anchor_url(request, comment: Comment, target: Work | NewsPost) -> str:
    """Where the visitor sees the comment in its place: its chapter's page (or the work's), at
    the page of comments holding it, at its anchor; or on its news post's page."""
    if isinstance(target, NewsPost):
        return f"{reverse('news_detail', args=[target.pk])}#comment-{comment.pk}"
    comment.work = target
    return selectors.comment_location_url(
        comment=comment, viewer=request.user, is_creator=_sees_waiting(request, target)
    )


@require_POST
@rate_limited("comment")
def comment_create(request, work_id: int):
    """POST /works/ID/comments: a new comment, or a reply when parent_id is given."""
    work = _readable_work(request, work_id)
    if work.is_restricted and not request.user.is_authenticated:
        return redirect_to_login(work.get_absolute_url())
    return _comment_on(request, work)


@require_POST
@rate_limited("comment")
def news_comment_create(request, post_id: int):
    """POST /admin_posts/ID/comments: a new comment on a news post, or a reply (parent_id)."""
    post = news_post_for_reading(post_id=post_id, viewer=request.user)
    if post is None:
        raise Http404("No such post.")
    return _comment_on(request, post)


def _comment_on(request, target: Work | NewsPost):
    """The one flow behind both forms: a comment (or a reply) on a work or a news post. Guests
    who fill the honeypot are thanked and dropped; a reply's parent must be on the same target
    (404 otherwise); the service decides the rest. On success the visitor is sent to the
    comment in its place (or back where the form said); on failure the form is shown again
    with the service's message (403 when they may not comment at all)."""
    form = CommentForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    if data.get("website") and not request.user.is_authenticated:
        messages.success(request, RECEIVED)
        return redirect(target.get_absolute_url())
    on_news = isinstance(target, NewsPost)
    parent = chapter = None
    if data.get("parent_id"):
        on_target = {"news_post": target} if on_news else {"work": target}
        parent = Comment.objects.filter(pk=data["parent_id"], **on_target).first()
        if parent is None:
            raise Http404("No such comment.")
    if isinstance(target, Work) and data.get("chapter_id"):
        chapter = Chapter.objects.filter(pk=data["chapter_id"], work=target).first()
    status = 200
    if not form.errors:
        written = {
            "user": request.user,
            "content": data.get("content", ""),
            "parent": parent,
            "guest_name": data.get("guest_name", ""),
            "guest_email": data.get("guest_email", ""),
            "ip": client_ip(request),
        }
        try:
            if isinstance(target, NewsPost):
                comment = services.comment_create_on_news(post=target, **written)
            else:
                comment = services.comment_create(work=target, chapter=chapter, **written)
        except ValidationError as exc:
            add_service_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc) or "You can't comment here.")
            status = 403
        else:
            _say_created(
                request, comment, approver="a moderator" if on_news else "the work's creator"
            )
            return HttpResponseRedirect(
                _safe_next(request, data.get("next", ""))
                or comment_anchor_url(request, comment, target)
            )
    return render(
        request,
        "comments/comment_form_page.html",
        {
            "form": form,
            "work": None if on_news else target,
            "target": target,
            "create_url": _create_url(target),
            "parent": parent,
            "chapter": chapter,
            "form_permission": selectors.CommentPermissionCheck(
                True, as_guest=not request.user.is_authenticated
            ),
        },
        status=status,
    )


def _say_created(request, comment: Comment, *, approver: str) -> None:
    if comment.is_published:
        messages.success(request, "Comment created!")
    elif comment.held_reason:
        messages.success(
            request,
            "Your comment was received. It will appear publicly after it has been approved.",
        )
    else:
        messages.success(
            request,
            f"Your comment was received. It will appear publicly after {approver} has approved it.",
        )


def comment_detail(request, comment_id: int):
    """/comments/ID: one comment with its replies and a reply form; where inbox entries and
    "continue this thread" link to."""
    comment, target = _comment_and_target(request, comment_id)
    if _guest_on_restricted(request, target):
        return redirect_to_login(request.get_full_path())
    if isinstance(target, NewsPost):
        is_creator = False
        may_manage = _manages(request, target)
        permission = selectors.news_comment_permission_for(post=target, user=request.user)
    else:
        is_creator = _manages(request, target)
        may_manage = is_creator or is_moderator(request.user)
        permission = selectors.comment_permission_for(work=target, user=request.user)
    node = selectors.comment_thread(
        comment=comment, viewer=request.user, is_creator=_sees_waiting(request, target)
    )
    if node is None:
        raise Http404("No such comment.")
    return render(
        request,
        "comments/comment_detail.html",
        {
            "work": target if isinstance(target, Work) else None,
            "target": target,
            "create_url": _create_url(target),
            "node": node,
            "comment": comment,
            "is_creator": is_creator,
            "viewer_id": request.user.pk,
            "may_manage": may_manage,
            "may_moderate": is_moderator(request.user),
            "reply_form": CommentForm(initial={"parent_id": comment.pk}),
            "permission": permission,
        },
    )


def comment_permalink(request, comment_id: int):
    """/comments/ID/permalink: the comment in its place (its chapter or work, the page of
    comments holding it, its anchor), for links that should show the conversation around it."""
    comment, target = _comment_and_target(request, comment_id)
    if _guest_on_restricted(request, target):
        return redirect_to_login(request.get_full_path())
    if not selectors.comment_visible_to(
        comment=comment, viewer=request.user, is_creator=_sees_waiting(request, target)
    ):
        raise Http404("No such comment.")
    return HttpResponseRedirect(comment_anchor_url(request, comment, target))


@login_required
@GET_POST
def comment_edit(request, comment_id: int):
    comment, target = _comment_and_target(request, comment_id)
    if comment.user_id != request.user.pk:
        raise PermissionDenied("Only the comment's author can edit it.")
    form = CommentEditForm(request.POST or None, initial={"content": comment.content})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_update(
                comment=comment, user=request.user, content=form.cleaned_data["content"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Comment updated.")
            return redirect(comment_anchor_url(request, comment, target))
    return render(
        request, "comments/comment_edit.html", {"form": form, "comment": comment, "target": target}
    )


@login_required
@GET_POST
def comment_delete(request, comment_id: int):
    comment, target = _comment_and_target(request, comment_id)
    manages = _manages(request, target)
    if not services.comment_may_delete(comment=comment, user=request.user, is_creator=manages):
        raise PermissionDenied("Only the comment's author and the work's creators can delete it.")
    if request.method == "POST":
        services.comment_delete(comment=comment, user=request.user)
        messages.success(request, "Comment deleted.")
        return redirect(f"{target.get_absolute_url()}#comments")
    return render(request, "comments/comment_delete.html", {"comment": comment, "target": target})


@login_required
@require_POST
def comment_freeze(request, comment_id: int):
    """POST /comments/ID/freeze with action=freeze or unfreeze."""
    comment, target = _comment_and_target(request, comment_id)
    frozen = request.POST.get("action", "freeze") != "unfreeze"
    services.comment_freeze(comment=comment, user=request.user, frozen=frozen)
    messages.success(request, "Comment thread frozen." if frozen else "Comment thread unfrozen.")
    return redirect(comment_anchor_url(request, comment, target))


@login_required
@require_POST
def comment_approve(request, comment_id: int):
    comment, target = _comment_and_target(request, comment_id)
    services.comment_approve(comment=comment, user=request.user)
    messages.success(request, "Comment approved.")
    return redirect(
        _safe_next(request, request.POST.get("next", ""))
        or comment_anchor_url(request, comment, target)
    )


@login_required
@GET_POST
def comment_settings(request, work_id: int):
    """/works/ID/comment_settings: a creator turns comment moderation on or off."""
    work = _readable_work(request, work_id)
    if not work_user_is_creator(work=work, user=request.user):
        raise PermissionDenied("Only the work's creators can change its comment settings.")
    current = services.comment_settings_for(work)
    form = CommentSettingsForm(request.POST or None, initial={"moderated": current.moderated})
    if request.method == "POST" and form.is_valid():
        services.comment_settings_update(
            work=work, user=request.user, moderated=form.cleaned_data["moderated"]
        )
        messages.success(request, "Comment settings saved.")
        return redirect(work.get_absolute_url())
    return render(
        request,
        "comments/comment_settings.html",
        {"form": form, "work": work, "waiting": selectors.comments_waiting(work=work)},
    )


@login_required
@GET_POST
def comments_held(request):
    """/comments/held: guests' comments the spam heuristic held, for moderators to approve or
    delete (several at once)."""
    require_moderator(request.user, MODERATORS_ONLY)
    held = selectors.comments_held(viewer=request.user)
    if request.method == "POST":
        ids = [int(pk) for pk in request.POST.getlist("comments") if pk.isdigit()]
        chosen = list(held.filter(pk__in=ids))
        action = request.POST.get("action")
        if not chosen or action not in ("approve", "delete"):
            messages.error(request, "Please choose comments, then Approve or Delete.")
        else:
            for comment in chosen:
                if action == "approve":
                    services.comment_approve(comment=comment, user=request.user)
                else:
                    services.comment_delete(comment=comment, user=request.user)
            done = "approved" if action == "approve" else "deleted"
            messages.success(
                request, f"{len(chosen)} comment{'s' if len(chosen) != 1 else ''} {done}."
            )
        return redirect("comments_held")
    page = paginate(request, held, per_page=50)
    return render(request, "comments/comments_held.html", {"page_obj": page})
