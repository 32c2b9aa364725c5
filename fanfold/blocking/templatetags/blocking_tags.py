from django import template

from fanfold.blocking.selectors import user_has_blocked, user_has_muted

register = template.Library()


@register.inclusion_tag("blocking/user_buttons.html", takes_context=True)
def block_mute_buttons(context, owner):
    """On a user's page: Block/Mute buttons for other logged-in users; a link to the blocked
    and muted users page for the user themselves."""
    viewer = context["request"].user
    is_self = viewer.is_authenticated and viewer.pk == owner.pk
    return {
        "owner": owner,
        "viewer": viewer,
        "is_self": is_self,
        "show": viewer.is_authenticated,
        "csrf_token": context.get("csrf_token"),
        "blocked": not is_self and user_has_blocked(blocker=viewer, user=owner),
        "muted": not is_self and user_has_muted(muter=viewer, user=owner),
    }
