"""The archive's roles, checked in one place: whether a user moderates, wrangles tags or
administers the archive, for services (`require_moderator(user)`, `require_wrangler(user)`,
raising PermissionDenied with a sentence the user reads) and views (`@moderator_required`,
`@wrangler_required`, `@admin_required`: guests are sent to log in, logged-in users without the
role get 403 with the message)."""

import functools
from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

MODERATORS_ONLY = "Only the archive's moderators may open this page."
ADMINS_ONLY = "Only the archive's admins may do that."
WRANGLERS_ONLY = "Only tag wranglers may wrangle tags."


def is_moderator(user) -> bool:
    """Moderators and admins (User.may_moderate); False for guests and None."""
    return bool(getattr(user, "may_moderate", False))


def is_wrangler(user) -> bool:
    """Tag wranglers and admins (User.may_wrangle); False for guests and None."""
    return bool(getattr(user, "may_wrangle", False))


def is_admin(user) -> bool:
    return bool(getattr(user, "is_archive_admin", False))


def is_admin_or_moderator(user) -> bool:
    """Who manages what the archive itself says (site news and the comments on it)."""
    return is_admin(user) or is_moderator(user)


def require_moderator(user, message: str = "Only moderators may do that.") -> None:
    if not is_moderator(user):
        raise PermissionDenied(message)


def require_wrangler(user, message: str = WRANGLERS_ONLY) -> None:
    if not is_wrangler(user):
        raise PermissionDenied(message)


def require_admin(user, message: str = ADMINS_ONLY) -> None:
    if not is_admin(user):
        raise PermissionDenied(message)


def _requiring(check: Callable[[object], bool], message: str, view):
    def decorator(view):
        @login_required
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied(message)
            return view(request, *args, **kwargs)

        return wrapped

    # Both @moderator_required and @moderator_required(message="...").
    return decorator(view) if view is not None else decorator


def moderator_required(view=None, *, message: str = MODERATORS_ONLY):
    """A view for moderators (and admins): guests are sent to log in, others get 403."""
    return _requiring(is_moderator, message, view)


def wrangler_required(view=None, *, message: str = WRANGLERS_ONLY):
    """A view for tag wranglers (and admins): guests are sent to log in, others get 403."""
    return _requiring(is_wrangler, message, view)


def admin_required(view=None, *, message: str = ADMINS_ONLY):
    """A view for the archive's admins: guests are sent to log in, others get 403."""
    return _requiring(is_admin, message, view)
