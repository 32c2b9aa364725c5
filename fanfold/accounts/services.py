"""Every write to accounts and pseuds goes through these functions."""

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from fanfold.core.models import ArchiveConfig

from .models import Invitation, Pseud, User


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    invitation_code: str | None = None,
    check_invitation: bool = True,
) -> User:
    """Create an account with its default pseud. While the archive is invitation-only a valid,
    unused invitation code is required (admins creating accounts pass check_invitation=False)."""
    invitation = None
    if check_invitation and ArchiveConfig.load().invitation_only:
        invitation = (
            Invitation.objects.select_for_update()
            .filter(code=(invitation_code or "").strip(), used_at__isnull=True)
            .first()
        )
        if invitation is None:
            raise ValidationError(
                {"invitation_code": "That invitation code is not valid or has been used."}
            )
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "That username is already taken."})
    user = User(username=username, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        validate_password(password, user)
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    Pseud.objects.create(user=user, name=username, is_default=True)
    if invitation is not None:
        invitation.used_by = user
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
    return user


def orphan_account() -> User:
    """The account that orphaned works are moved to (created on first use, cannot log in)."""
    name = settings.FANFOLD_ORPHAN_USERNAME
    user = User.objects.filter(username=name).first()
    if user is None:
        user = user_create(username=name, email="", password=None, check_invitation=False)
    return user
