"""Blocking and muting another user. Both are private to the one who does them: the other user
is not told, except that a blocked user is told why their comment was refused."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanfold.search.pagination import listings_changed

from .models import Block, Mute


def _check(*, user, other) -> None:
    if user is None or not user.is_authenticated:
        raise ValidationError("Log in to block or mute users.")
    if other is None:
        raise ValidationError({"username": "There is no user with that name."})
    if other.pk == user.pk:
        raise ValidationError({"username": "You can't block or mute yourself."})


@transaction.atomic
def user_block(*, user, blocked) -> Block:
    """`user` blocks `blocked` (doing it twice keeps the one block)."""
    _check(user=user, other=blocked)
    try:
        with transaction.atomic():
            return Block.objects.create(blocker=user, blocked=blocked)
    except IntegrityError:
        return Block.objects.get(blocker=user, blocked=blocked)


@transaction.atomic
def user_unblock(*, user, blocked) -> None:
    _check(user=user, other=blocked)
    Block.objects.filter(blocker=user, blocked=blocked).delete()


@transaction.atomic
def user_mute(*, user, muted) -> Mute:
    """`user` mutes `muted` (doing it twice keeps the one mute)."""
    _check(user=user, other=muted)
    try:
        with transaction.atomic():
            mute = Mute.objects.create(muter=user, muted=muted)
    except IntegrityError:
        return Mute.objects.get(muter=user, muted=muted)
    listings_changed()  # the muted user's works leave this user's listings and counts
    return mute


@transaction.atomic
def user_unmute(*, user, muted) -> None:
    _check(user=user, other=muted)
    listings_changed()
    Mute.objects.filter(muter=user, muted=muted).delete()
