from django import template

from fanfold.comments import selectors
from fanfold.comments.forms import CommentForm

register = template.Library()


@register.inclusion_tag("comments/work_comments.html", takes_context=True)
def work_comments(context):
    """The comments section of the work page: on a chapter's page that chapter's comments, on
    a one-shot or the entire work all of them, with the form to add one (or why not)."""
    request = context["request"]
    work = context["work"]
    is_creator = context.get("is_creator", False)
    chapter = None
    if context.get("is_chaptered") and context.get("current_chapter") is not None:
        chapter = context["current_chapter"]
    threads = selectors.comment_threads(
        work=work, viewer=request.user, is_creator=is_creator, chapter=chapter
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
        "may_manage": is_creator or getattr(request.user, "may_moderate", False),
        "threads": threads,
        "shown_count": selectors.count_nodes(threads),
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
