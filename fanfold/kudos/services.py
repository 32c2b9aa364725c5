"""Leaving kudos. Work.kudos_count is kept equal to the Kudos rows: the row and the count's
F() update are written in one transaction, and the unique constraints turn a second kudos
(even a concurrent one) into an IntegrityError that leaves the count alone."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from fanfold.works.models import Work
from fanfold.works.selectors import work_get_for_reading, work_user_is_creator

from .models import Kudos

OWN_WORK_MESSAGE = "You can't leave kudos on your own work."
ALREADY_MESSAGE = "You have already left kudos here. :)"


def guest_key(ip: str) -> str:
    """A keyed hash of a guest's IP address: enough to tell one guest's second kudos, without
    storing the address (nor a plain hash of it, which could be reversed by trying addresses)."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"kudos:{ip}".encode(), hashlib.sha256
    ).hexdigest()


@transaction.atomic
def kudos_give(*, work: Work, user=None, ip: str | None = None) -> Kudos:
    """Leave kudos on a posted work, as the logged-in `user` or as a guest from `ip`.

    Raises ValidationError on one's own work or on a second kudos, PermissionDenied when the
    work is not one this visitor may read (a draft, hidden, or restricted for a guest)."""
    is_user = user is not None and user.is_authenticated
    readable = work_get_for_reading(work_id=work.pk, user=user if is_user else None)
    if (
        readable is None
        or not readable.is_posted
        or readable.is_hidden  # under review: moderators and creators see it, nobody reacts
        or (readable.is_restricted and not is_user)
    ):
        raise PermissionDenied("You can't leave kudos on this work.")
    if is_user and work_user_is_creator(work=readable, user=user):
        raise ValidationError(OWN_WORK_MESSAGE)
    if not is_user and not ip:
        raise ValidationError("We couldn't tell who you are; please try again.")
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(
                work=work,
                user=user if is_user else None,
                guest_key=None if is_user else guest_key(ip or ""),
            )
    except IntegrityError:
        raise ValidationError(ALREADY_MESSAGE) from None
    Work.objects.filter(pk=work.pk).update(kudos_count=F("kudos_count") + 1)
    return kudos
