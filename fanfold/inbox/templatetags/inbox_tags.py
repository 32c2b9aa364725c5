from django import template

from fanfold.inbox.selectors import inbox_unread_count

register = template.Library()


@register.inclusion_tag("inbox/header_link.html", takes_context=True)
def inbox_link(context):
    """The header's Inbox link with the number of unread entries (one COUNT on an index)."""
    user = context["request"].user
    return {"show": user.is_authenticated, "unread": inbox_unread_count(user=user)}
