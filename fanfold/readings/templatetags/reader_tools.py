"""The work page's reader tools, one tag per slot of works/work_detail.html, each loading its
own data: the series navigation and "continue reading" at the top, and the Bookmark,
Subscribe, Mark for Later and Add to Series actions."""

from django import template

from fanfold.bookmarks.selectors import bookmark_of_user
from fanfold.readings import selectors as readings
from fanfold.series.selectors import series_places_for_work
from fanfold.subscriptions.selectors import subscription_of_user

register = template.Library()


@register.inclusion_tag("readings/includes/work_top.html", takes_context=True)
def work_reader_top(context, work):
    user = context["request"].user
    continue_at = None
    current = context.get("current_chapter")
    # Offered on a long work's front page (its first chapter), when the reader last read on.
    if (
        user.is_authenticated
        and work.is_posted
        and context.get("is_chaptered")
        and current is not None
        and context.get("previous_chapter") is None
    ):
        last = readings.continue_reading_chapter(user=user, work=work)
        if last is not None and last.pk != current.pk:
            continue_at = last
    return {
        "work": work,
        "places": series_places_for_work(work=work, viewer=user),
        "continue_at": continue_at,
    }


@register.inclusion_tag("readings/includes/work_actions.html", takes_context=True)
def work_reader_actions(context, work):
    request = context["request"]
    user = request.user
    result = {
        "work": work,
        "user": user,
        "is_creator": context.get("is_creator", False),
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path(),
    }
    # Readers' buttons only where readers are: not on drafts or works hidden by moderators.
    result["for_readers"] = work.is_posted and not work.is_hidden
    if user.is_authenticated and result["for_readers"]:
        result.update(
            bookmark=bookmark_of_user(user=user, work=work),
            subscription=subscription_of_user(user=user, work=work),
            marked=readings.is_marked_for_later(user=user, work=work),
        )
    return result
