"""Reads of a user's inbox."""

from django.db.models import Q, QuerySet

from .models import InboxItem, InboxSettings


def inbox_items_for_user(*, user, unread_only: bool = False) -> QuerySet[InboxItem]:
    """The user's inbox entries, newest first, with their work and comment loaded. Entries whose
    comment was written by someone the user muted are left out (blocking.selectors)."""
    from fanfold.blocking.selectors import muted_user_ids_subquery

    items = InboxItem.objects.filter(user=user).select_related("work", "comment__user")
    items = items.exclude(comment__user__in=muted_user_ids_subquery(user))
    # A comment hidden by moderators is out of sight for everyone but its writer (and
    # moderators, who find it from its report).
    items = items.filter(
        Q(comment__isnull=True) | Q(comment__is_hidden=False) | Q(comment__user=user)
    )
    if unread_only:
        items = items.filter(is_read=False)
    return items


def inbox_unread_count(*, user) -> int:
    """How many unread entries the user's inbox shows (0 for guests)."""
    if user is None or not user.is_authenticated:
        return 0
    return inbox_items_for_user(user=user, unread_only=True).count()


def comment_emails_wanted(*, user) -> bool:
    """Whether the user wants comments and replies by e-mail as well (the default)."""
    return not InboxSettings.objects.filter(user=user, comment_emails=False).exists()
