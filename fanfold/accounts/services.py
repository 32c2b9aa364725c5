"""Every write to accounts, pseuds and invitations goes through these functions."""

import logging
import secrets
from datetime import timedelta
from typing import Literal

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from fanfold.core.models import ArchiveConfig

from .models import Invitation, InvitationRequest, Pseud, User
from .validators import (
    PSEUD_DESCRIPTION_MAX_LENGTH,
    RESERVED_USERNAMES,
    validate_pseud_name,
    validate_username,
)


def _reserved_usernames() -> set[str]:
    return {name.lower() for name in RESERVED_USERNAMES} | {
        settings.FANFOLD_ORPHAN_USERNAME.lower()
    }


TERMS_REQUIRED_MESSAGE = "Sorry, you need to accept the Terms of Service in order to sign up."


def age_required_message(minimum_age: int) -> str:
    return f"Sorry, you have to be over {minimum_age} to sign up."


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    accepted_terms: bool = False,
    confirmed_age: bool = False,
    invitation_code: str | None = None,
    check_invitation: bool = True,
    check_terms: bool = True,
    validate_new_password: bool = True,
) -> User:
    """Create an account with its default pseud. As on AO3, the person signing up must accept
    the Terms of Service and confirm they are at least the archive's minimum age; when they
    have accepted, the time is kept in terms_accepted_at. Accounts made with nobody there to
    accept (by an admin, createsuperuser, the demo) pass check_terms=False. While the archive is
    invitation-only a valid, unused invitation code is required (admins creating accounts pass
    check_invitation=False). Usernames follow AO3's rules; reserved names (orphan_account...)
    are refused."""
    return _user_create(
        username=(username or "").strip(),
        allow_reserved=False,
        email=email,
        password=password,
        accepted_terms=accepted_terms,
        confirmed_age=confirmed_age,
        invitation_code=invitation_code,
        check_invitation=check_invitation,
        check_terms=check_terms,
        validate_new_password=validate_new_password,
        require_email=True,
    )


def _user_create(
    *,
    username: str,
    allow_reserved: bool,
    email: str,
    password: str | None,
    accepted_terms: bool,
    confirmed_age: bool,
    invitation_code: str | None,
    check_invitation: bool,
    check_terms: bool,
    validate_new_password: bool,
    require_email: bool,
) -> User:
    # Every field is checked before anything is refused, so a form can show all its problems.
    errors: dict[str, list] = {}
    try:
        validate_username(username)
    except ValidationError as exc:
        errors["username"] = exc.error_list
    else:
        if not allow_reserved and username.lower() in _reserved_usernames():
            errors["username"] = ["That username is reserved. Please choose another."]
        elif User.objects.filter(username__iexact=username).exists():
            errors["username"] = ["That username is already taken."]
    email = (email or "").strip()
    if require_email:
        if not email:
            errors["email"] = ["Please enter an email address."]
        else:
            try:
                validate_email(email)
            except ValidationError:
                errors["email"] = ["Please enter a valid email address."]
            else:
                if User.objects.filter(email__iexact=email).exists():
                    errors["email"] = ["That email address is already used by another account."]
    user = User(username=username, email=email)
    if password is None:
        user.set_unusable_password()
    else:
        if validate_new_password:
            try:
                validate_password(password, user)
            except ValidationError as exc:
                errors["password"] = exc.error_list
        user.set_password(password)
    config = ArchiveConfig.load() if check_invitation or check_terms else None
    if check_terms and config is not None:
        if not accepted_terms:
            errors["accepted_terms"] = [TERMS_REQUIRED_MESSAGE]
        if not confirmed_age:
            errors["confirmed_age"] = [age_required_message(config.minimum_age)]
    if accepted_terms:
        user.terms_accepted_at = timezone.now()
    invitation = None
    if check_invitation and config is not None and config.invitation_only:
        code = (invitation_code or "").strip()
        if code:
            invitation = (
                Invitation.objects.select_for_update()
                .filter(code=code, used_at__isnull=True)
                .first()
            )
        if not code:
            errors["invitation_code"] = ["Sign-up is by invitation only. Please enter your code."]
        elif invitation is None:
            errors["invitation_code"] = ["That invitation code is not valid or has been used."]
    if errors:
        raise ValidationError(errors)
    user.full_clean(exclude=["password"])
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as exc:
        # Someone took the name between our check and the insert.
        raise ValidationError({"username": "That username is already taken."}) from exc
    Pseud.objects.create(user=user, name=username, is_default=True)
    if invitation is not None:
        invitation.used_by = user
        invitation.used_at = timezone.now()
        invitation.save(update_fields=["used_by", "used_at"])
    return user


@transaction.atomic
def superuser_create(
    *, username: str, email: str, password: str | None, validate_new_password: bool = True
) -> User:
    """An archive admin (Django's superuser, with access to Django's admin), with the default
    pseud every account has. Used by `fanfold createsuperuser`."""
    user = user_create(
        username=username,
        email=email,
        password=password,
        check_invitation=False,
        check_terms=False,
        validate_new_password=validate_new_password,
    )
    user.is_staff = True
    user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


def orphan_account() -> User:
    """The account that orphaned works are moved to (created on first use, cannot log in)."""
    name = settings.FANFOLD_ORPHAN_USERNAME
    user = User.objects.filter(username=name).first()
    if user is None:
        with transaction.atomic():
            user = _user_create(
                username=name,
                allow_reserved=True,
                email="",
                password=None,
                accepted_terms=False,
                confirmed_age=False,
                invitation_code=None,
                check_invitation=False,
                check_terms=False,
                validate_new_password=False,
                require_email=False,
            )
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The owner changes their password; the current one is required."""
    if not user.check_password(old_password or ""):
        raise ValidationError(
            {"old_password": "Your current password was entered incorrectly. Please try again."}
        )
    return user_password_set(user=user, password=new_password)


@transaction.atomic
def user_password_set(*, user: User, password: str) -> User:
    """Set a new password (after a password-reset link proved the e-mail address)."""
    if not password:
        raise ValidationError({"password": "Please enter a new password."})
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.error_list}) from exc
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


@transaction.atomic
def user_delete(*, user: User, works: Literal["orphan", "delete"]) -> None:
    """Delete an account. Its works are either orphaned (posted works move to orphan_account,
    as on AO3) or deleted; co-created works stay with their other creators either way. Drafts
    cannot be orphaned, so they go with the account."""
    from fanfold.works.models import Work
    from fanfold.works.services import work_orphan, work_remove_creator

    if works not in ("orphan", "delete"):
        raise ValidationError({"works": "Please choose what should happen to your works."})
    if user.username == settings.FANFOLD_ORPHAN_USERNAME:
        raise PermissionDenied("The orphan account cannot be deleted.")
    # Only works the user is an approved creator of; invitations they never accepted go with
    # their pseuds.
    mine = Work.objects.filter(creatorships__pseud__user=user, creatorships__approved=True)
    for work in mine.distinct().order_by("pk"):
        if works == "orphan" and work.is_posted:
            work_orphan(work=work, user=user)
        else:
            work_remove_creator(work=work, user=user)
    # Bookmarks leave with their counts (a plain cascade would leave the works' counts high).
    from fanfold.bookmarks.services import bookmarks_delete_for_user

    bookmarks_delete_for_user(user=user)
    user.delete()


# --- Pseuds --------------------------------------------------------------------------------


def _clean_pseud(*, owner: User, name: str, description: str, pseud: Pseud | None) -> tuple:
    name = (name or "").strip()
    description = (description or "").strip()
    errors = {}
    try:
        validate_pseud_name(name)
    except ValidationError as exc:
        errors["name"] = exc.error_list
    else:
        taken = owner.pseuds.filter(name__iexact=name)
        if pseud is not None:
            taken = taken.exclude(pk=pseud.pk)
        if taken.exists():
            errors["name"] = [ValidationError("You already have a pseud with that name.")]
    if len(description) > PSEUD_DESCRIPTION_MAX_LENGTH:
        errors["description"] = [
            ValidationError(
                f"Description must be at most {PSEUD_DESCRIPTION_MAX_LENGTH} characters long "
                f"(it has {len(description)})."
            )
        ]
    if errors:
        raise ValidationError(errors)
    return name, description


def _check_pseud_owner(pseud: Pseud, user: User) -> None:
    if user is None or pseud.user_id != user.pk:
        raise PermissionDenied("Only the owner may change this pseud.")


@transaction.atomic
def pseud_create(*, user: User, name: str, description: str = "") -> Pseud:
    """A new pseud for this user (never the default one)."""
    name, description = _clean_pseud(owner=user, name=name, description=description, pseud=None)
    return Pseud.objects.create(user=user, name=name, description=description, is_default=False)


@transaction.atomic
def pseud_update(
    *, pseud: Pseud, user: User, name: str | None = None, description: str | None = None
) -> Pseud:
    """Rename or describe a pseud (None keeps a field as it is). Renaming the default pseud is
    allowed; it stays the default."""
    _check_pseud_owner(pseud, user)
    old_name = pseud.name
    pseud.name, pseud.description = _clean_pseud(
        owner=pseud.user,
        name=pseud.name if name is None else name,
        description=pseud.description if description is None else description,
        pseud=pseud,
    )
    pseud.save(update_fields=["name", "description"])
    if pseud.name != old_name:
        # Search finds works by their creators' names (creator:): index the new one.
        from fanfold.search.index import search_index_works

        search_index_works(pseud.creatorships.values_list("work_id", flat=True))
    return pseud


@transaction.atomic
def pseud_delete(*, pseud: Pseud, user: User) -> None:
    """Delete a pseud; its works (and co-creator invitations) move to the user's default pseud,
    merged where the default pseud is already on the same work: an accepted creatorship on
    either side makes the merged one accepted, so the user never loses a work."""
    from fanfold.works.models import Creatorship

    _check_pseud_owner(pseud, user)
    if pseud.is_default:
        raise PermissionDenied("You cannot delete your default pseud.")
    default = Pseud.objects.select_for_update().get(user=pseud.user, is_default=True)
    already = set(Creatorship.objects.filter(pseud=default).values_list("work_id", flat=True))
    creatorships = Creatorship.objects.filter(pseud=pseud)
    approved_here = creatorships.filter(work_id__in=already, approved=True).values("work_id")
    Creatorship.objects.filter(pseud=default, work_id__in=approved_here).update(approved=True)
    creatorships.filter(work_id__in=already).delete()
    creatorships.update(pseud=default)
    pseud.delete()


# --- Invitations ---------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, created_by: User | None = None, email: str = "") -> Invitation:
    """A new single-use invitation code (admins create them in Django's admin)."""
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": "Please enter a valid email address."}) from exc
    while True:
        code = secrets.token_urlsafe(12)
        if not Invitation.objects.filter(code=code).exists():
            break
    return Invitation.objects.create(code=code, email=email, created_by=created_by)


# --- Invitations: the queue, and invitations users give out --------------------------------

logger = logging.getLogger(__name__)


def _clean_email(email: str) -> str:
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": "Please enter a valid email address."}) from exc
    return email


def _invitation_mail(invitation: Invitation, *, from_user: User | None) -> None:
    """E-mail the sign-up link once the transaction commits; a mail server that is down must
    not undo the invitation (it stays listed with its link)."""
    link = f"{settings.SITE_URL}/signup?invitation={invitation.code}"
    who = f"{from_user.username} has invited you" if from_user else "You are invited"
    body = (
        f"{who} to join {settings.SITE_NAME}, an archive of fan works.\n\n"
        f"Create your account here (the link works once):\n{link}\n"
    )

    def send() -> None:
        try:
            send_mail(f"Your invitation to {settings.SITE_NAME}", body, None, [invitation.email])
        except Exception:
            logger.exception("Could not send the invitation to %s", invitation.email)

    transaction.on_commit(send)


@transaction.atomic
def invitation_request_create(*, email: str) -> InvitationRequest:
    """Join the invitation queue (only while sign-up is invitation-only and the queue is open).
    Asking twice keeps the first place in the queue."""
    config = ArchiveConfig.load()
    if not config.invitation_only:
        raise ValidationError({"email": "Sign-up is open: you don't need an invitation."})
    if config.invitations_per_day == 0:
        raise ValidationError({"email": "The invitation queue is closed at the moment."})
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "There is already an account with this email address."})
    existing = InvitationRequest.objects.filter(email__iexact=email).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return InvitationRequest.objects.create(email=email)
    except IntegrityError:  # the same address, a moment ago
        return InvitationRequest.objects.get(email__iexact=email)


def invitation_request_position(*, email: str) -> int | None:
    """The 1-based place of this address among the requests still waiting, or None."""
    request = InvitationRequest.objects.filter(
        email__iexact=(email or "").strip(), sent_at__isnull=True
    ).first()
    if request is None:
        return None
    return (
        InvitationRequest.objects.filter(sent_at__isnull=True, created_at__lte=request.created_at)
        .exclude(created_at=request.created_at, pk__gt=request.pk)
        .count()
    )


@transaction.atomic
def invitation_queue_send(*, now=None) -> int:
    """Send invitations to the oldest waiting requests, as many as the archive's daily number
    allows counting what was sent in the last 24 hours (so it may run hourly). Returns how
    many were sent now."""
    now = now or timezone.now()
    config = ArchiveConfig.load()
    if not config.invitation_only:
        return 0
    sent_recently = InvitationRequest.objects.filter(sent_at__gt=now - timedelta(days=1)).count()
    room = max(0, config.invitations_per_day - sent_recently)
    waiting = list(
        InvitationRequest.objects.select_for_update().filter(sent_at__isnull=True)[:room]
    )
    for request in waiting:
        invitation = invitation_create(email=request.email)
        request.invitation = invitation
        request.sent_at = now
        request.save(update_fields=["invitation", "sent_at"])
        _invitation_mail(invitation, from_user=None)
    return len(waiting)


@transaction.atomic
def invitation_give(*, user: User, email: str) -> Invitation:
    """A user gives out one of their invitations, e-mailed to a friend."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Please log in to invite someone.")
    email = _clean_email(email)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": "There is already an account with this email address."})
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.invitations_left < 1:
        raise ValidationError(
            {"email": "You have no invitations left to give. Admins grant invitations."}
        )
    user.invitations_left -= 1
    user.save(update_fields=["invitations_left"])
    invitation = invitation_create(created_by=user, email=email)
    _invitation_mail(invitation, from_user=user)
    return invitation
