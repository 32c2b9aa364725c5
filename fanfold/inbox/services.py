"""Writes to users' inboxes. Other apps call inbox_add (comments, subscriptions, ...)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import InboxItem, InboxKind, InboxSettings

# Inbox entries show an excerpt; longer texts are cut here rather than refused, because the
# caller (a comment, a chapter's title) was already accepted and must not fail for its excerpt.
MAX_TEXT = 1000


@transaction.atomic
def inbox_add(*, user, kind: str, text: str, url: str, work=None, comment=None) -> InboxItem:
    """Put an unread entry in `user`'s inbox. `kind` is one of InboxKind ("comment", "reply",
    "subscription"); `text` is plain text (escaped when shown; cut to MAX_TEXT characters);
    `url` a path on this archive starting with "/" (where the entry links to)."""
    errors = {}
    if kind not in InboxKind.values:
        errors["kind"] = f"Unknown inbox entry kind {kind!r}."
    text = (text or "").strip()
    if not text:
        errors["text"] = "An inbox entry needs a text."
    if not url or not url.startswith("/") or url.startswith("//"):
        errors["url"] = "An inbox entry links to a path on this archive, starting with /."
    if user is None or not user.is_authenticated:
        errors["user"] = "Only registered users have an inbox."
    if errors:
        raise ValidationError(errors)
    if len(text) > MAX_TEXT:
        text = text[: MAX_TEXT - 1].rstrip() + "…"
    return InboxItem.objects.create(
        user=user, kind=kind, text=text, url=url, work=work, comment=comment
    )


@transaction.atomic
def inbox_mark(*, user, item_ids: Iterable[int], read: bool = True) -> int:
    """Mark these entries of the user's inbox read (or unread). Entries of other users are left
    alone. Returns how many changed."""
    return (
        InboxItem.objects.filter(user=user, pk__in=list(item_ids))
        .exclude(is_read=read)
        .update(is_read=read)
    )


@transaction.atomic
def inbox_mark_all_read(*, user) -> int:
    return InboxItem.objects.filter(user=user, is_read=False).update(is_read=True)


@transaction.atomic
def inbox_delete(*, user, item_ids: Iterable[int]) -> int:
    """Delete these entries of the user's inbox (others' are left alone)."""
    deleted, _ = InboxItem.objects.filter(user=user, pk__in=list(item_ids)).delete()
    return deleted


@transaction.atomic
def inbox_settings_update(*, user, comment_emails: bool) -> InboxSettings:
    """The user's own notification preferences: whether comments and replies are e-mailed."""
    if user is None or not user.is_authenticated:
        raise ValidationError({"user": "Only registered users have preferences."})
    row, _ = InboxSettings.objects.update_or_create(
        user=user, defaults={"comment_emails": bool(comment_emails)}
    )
    return row
