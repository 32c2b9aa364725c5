from django import template
from django.urls import reverse

from fanfold.works.selectors import work_user_is_creator

from ..selectors import source_match_count

register = template.Library()


@register.inclusion_tag("originality/includes/sources_link.html", takes_context=True)
def originality_sources_link(context, work):
    """The writer's link to the sources panel: only the work's creators see it, and only when
    the work quotes something in the reference library."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not work.pk or not work_user_is_creator(work=work, user=user):
        return {"show": False}
    count = source_match_count(work=work)
    return {
        "show": count > 0,
        "count": count,
        "url": reverse("originality_work_sources", args=[work.pk]),
    }
