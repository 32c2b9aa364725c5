from django import template

from fanfold.core.ratelimit import client_ip
from fanfold.kudos.selectors import kudos_summary

register = template.Library()

# The work page names at most this many users; the rest are a count, as on AO3.
NAMES_SHOWN = 50


@register.inclusion_tag("kudos/work_kudos.html", takes_context=True)
def work_kudos(context):
    """The kudos button (for readers who may leave kudos) and who left kudos on the work."""
    request = context["request"]
    work = context["work"]
    is_creator = context.get("is_creator", False)
    summary = kudos_summary(work=work, viewer=request.user, ip=client_ip(request))
    given = work.is_posted and summary.given
    return {
        "work": work,
        "csrf_token": context.get("csrf_token"),
        "request": request,
        "can_give": work.is_posted and not work.is_hidden and not is_creator and not given,
        "given": given,
        "usernames": summary.usernames[:NAMES_SHOWN],
        "more_users": max(0, len(summary.usernames) - NAMES_SHOWN),
        "guest_count": summary.guest_count,
    }
