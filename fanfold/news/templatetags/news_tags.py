from django import template

from fanfold.comments import selectors as comment_selectors
from fanfold.comments.forms import CommentForm
from fanfold.core.permissions import is_admin_or_moderator
from fanfold.news import selectors
from fanfold.news.views import SESSION_DISMISSED

register = template.Library()


@register.inclusion_tag("news/comments.html", takes_context=True)
def news_comments(context, post):
    """The comments under a news post, with the form to add one (or why not)."""
    request = context["request"]
    user = request.user
    may_manage = is_admin_or_moderator(user)
    threads = comment_selectors.news_comment_threads(post=post, viewer=user, may_manage=may_manage)
    return {
        "request": request,
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "post": post,
        "viewer_id": user.pk,
        "may_manage": may_manage,
        "threads": threads,
        "shown_count": comment_selectors.count_nodes(threads),
        "permission": comment_selectors.news_comment_permission_for(post=post, user=user),
        "form": CommentForm(),
    }


@register.inclusion_tag("news/banner.html", takes_context=True)
def site_banner(context):
    """The announcement banner at the top of every page (one query), unless this visitor
    dismissed it."""
    request = context.get("request")
    if request is None:
        return {"banner": None}
    # Pages rendered outside the middleware (an error page for a bare request) have no user
    # or session: they show the banner as to a guest who dismissed nothing.
    user = getattr(request, "user", None)
    session = getattr(request, "session", None)
    dismissed: set[str] = set()
    if session is not None and not (user is not None and user.is_authenticated):
        dismissed = set(session.get(SESSION_DISMISSED, []))
    return {
        "banner": selectors.banner_current(user=user, dismissed=dismissed),
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path(),
    }
