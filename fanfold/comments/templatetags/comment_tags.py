from django import template
from django.core.paginator import Page
from django.db.models import Model, QuerySet

from fanfold.comments import selectors
from fanfold.comments.forms import CommentForm
from fanfold.core.permissions import is_moderator
from fanfold.works.models import Work

register = template.Library()


@register.inclusion_tag("comments/work_comments.html", takes_context=True)
def work_comments(context):
    """The comments section of the work page: on a chapter's page that chapter's comments, on
    a one-shot or the entire work all of them, a page of threads at a time (?comments_page=N),
    with the form to add one (or why not)."""
    request = context["request"]
    work = context["work"]
    is_creator = context.get("is_creator", False)
    chapter = None
    if context.get("is_chaptered") and context.get("current_chapter") is not None:
        chapter = context["current_chapter"]
    shown = selectors.comment_page(
        work=work,
        viewer=request.user,
        is_creator=selectors.sees_waiting_comments(
            work=work, viewer=request.user, is_creator=is_creator
        ),
        chapter=chapter,
        page_number=request.GET.get(selectors.PAGE_PARAM) or 1,
    )
    return {
        "request": request,
        "user": request.user,
        "csrf_token": context.get("csrf_token"),
        "work": work,
        "chapter": chapter,
        "is_creator": is_creator,
        # Plain values for the per-comment buttons (request.user is a lazy object, slow to ask
        # once per comment).
        "viewer_id": request.user.pk,
        "may_manage": is_creator or is_moderator(request.user),
        "may_moderate": is_moderator(request.user),
        "threads": shown.threads,
        "comments_page": shown.page,
        "page_param": selectors.PAGE_PARAM,
        "shown_count": shown.total,
        "permission": selectors.comment_permission_for(work=work, user=request.user),
        "form": CommentForm(initial={"chapter_id": chapter.pk if chapter else None}),
    }


@register.inclusion_tag("comments/settings_link.html", takes_context=True)
def comment_settings_link(context):
    """For the work's creators: a link to the work's comment settings."""
    work = context["work"]
    return {
        "work": work,
        "show": context.get("is_creator", False) and work.is_posted,
        "waiting": selectors.comments_waiting(work=work) if context.get("is_creator") else 0,
    }


def _works_shown(context, work: Work) -> set[int]:
    """The ids of the works the page lists beside this one: every already loaded list of works
    (or of things holding a loaded work, such as bookmarks or readings) in the template's
    context that holds this work. Nothing is loaded from the database to find them."""
    ids = {work.pk}
    for value in context.flatten().values():
        if isinstance(value, Page):
            value = value.object_list
        items: list | tuple | None
        if isinstance(value, QuerySet):
            items = value._result_cache  # None when not evaluated: left alone
        elif isinstance(value, list | tuple):
            items = value
        else:
            continue
        found = set()
        for item in items or ():
            if isinstance(item, Work):
                found.add(item.pk)
            elif isinstance(item, Model):
                held = item._state.fields_cache.get("work")
                if isinstance(held, Work):
                    found.add(held.pk)
        if work.pk in found:
            ids |= found
    return ids


@register.simple_tag(takes_context=True)
def viewer_comment_count(context, work: Work) -> int:
    """The work's comment count as this viewer sees it: Work.comment_count less the comments of
    users the viewer muted (their comments are not shown to them either). Blurbs in every
    listing and the work page's stats use it. One query per page: the first work asking looks
    up the muted users' comments for every work the page lists (see _works_shown)."""
    count = work.comment_count
    request = context.get("request")
    if not count or request is None or not request.user.is_authenticated:
        return count
    cache: dict[int, int] = request.__dict__.setdefault("_fanfold_muted_comment_counts", {})
    if work.pk not in cache:
        ids = _works_shown(context, work)
        muted = selectors.muted_comment_counts(viewer=request.user, work_ids=ids)
        cache.update({work_id: muted.get(work_id, 0) for work_id in ids})
    return max(count - cache[work.pk], 0)


@register.simple_tag(takes_context=True)
def comments_page_url(context, number: int) -> str:
    """This page (a chapter's, or the entire work's: the path and every other query parameter
    are kept) at another page of comments, scrolled to the comments."""
    request = context["request"]
    query = request.GET.copy()
    if int(number) == 1:
        query.pop(selectors.PAGE_PARAM, None)
    else:
        query[selectors.PAGE_PARAM] = number
    encoded = query.urlencode()
    return f"{request.path}{'?' + encoded if encoded else ''}#comments"
