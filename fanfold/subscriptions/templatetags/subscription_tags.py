"""The Subscribe / Unsubscribe button for a writer, on their user page."""

from django import template

from fanfold.subscriptions.selectors import subscription_of_user

register = template.Library()


@register.inclusion_tag("subscriptions/includes/writer_button.html", takes_context=True)
def writer_subscribe_button(context, writer):
    request = context["request"]
    user = request.user
    show = user.is_authenticated and user.pk != writer.pk
    return {
        "show": show,
        "writer": writer,
        "subscription": subscription_of_user(user=user, writer=writer) if show else None,
        "csrf_token": context.get("csrf_token"),
        "here": request.get_full_path(),
    }
