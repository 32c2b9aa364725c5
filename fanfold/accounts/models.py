from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower, Upper

from fanfold.core.links import fast_reverse

from .validators import (
    PSEUD_DESCRIPTION_MAX_LENGTH,
    PSEUD_NAME_MAX_LENGTH,
    USERNAME_MAX_LENGTH,
    validate_pseud_name,
    validate_username,
)


class User(AbstractUser):
    """An account. Roles beyond Django's superuser are plain flags that admins set in Django's
    admin; later features (wrangling, moderation) check them through the properties below."""

    # AO3's username rules replace Django's (150 characters, @.+-); the model carries them so that
    # Django's admin and createsuperuser check them as well as sign-up.
    username = models.CharField(
        "username",
        max_length=USERNAME_MAX_LENGTH,
        unique=True,
        validators=[validate_username],
        help_text="3 to 40 characters: letters, numbers and underscores, starting with a letter "
        "or number.",
        error_messages={"unique": "That username is already taken."},
    )
    is_moderator = models.BooleanField(default=False, help_text="May act on abuse reports.")
    is_tag_wrangler = models.BooleanField(default=False, help_text="May wrangle tags.")
    # When the user accepted the Terms of Service on signing up; empty for accounts made
    # without them (by an admin, createsuperuser, the demo, orphan_account).
    terms_accepted_at = models.DateTimeField("terms accepted", null=True, blank=True)
    # Set by moderators (fanfold.moderation.services): a suspended user may read and log in but
    # not post or change works until the date; a banned user is inactive (can't log in).
    # Invitations this user may still give out (admins grant them in the admin).
    invitations_left = models.PositiveIntegerField(default=0)
    suspended_until = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]
        # username__iexact (user pages, logins) compares upper() on PostgreSQL.
        indexes = [models.Index(Upper("username"), name="user_username_upper")]

    def get_absolute_url(self) -> str:
        return fast_reverse("user_detail", self.username)

    @property
    def is_archive_admin(self) -> bool:
        return self.is_superuser

    @property
    def may_moderate(self) -> bool:
        return self.is_superuser or self.is_moderator

    @property
    def is_suspended(self) -> bool:
        from django.utils import timezone

        return self.suspended_until is not None and self.suspended_until > timezone.now()

    @property
    def may_wrangle(self) -> bool:
        return self.is_superuser or self.is_tag_wrangler


class Pseud(models.Model):
    """A name a user writes under. Every user has exactly one default pseud, named after the
    username; works are credited to pseuds, never to users directly."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=PSEUD_NAME_MAX_LENGTH, validators=[validate_pseud_name])
    description = models.TextField(blank=True, max_length=PSEUD_DESCRIPTION_MAX_LENGTH)
    is_default = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", Lower("name")]
        constraints = [
            models.UniqueConstraint("user", Lower("name"), name="pseud_name_ci_unique_per_user"),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(is_default=True),
                name="one_default_pseud_per_user",
            ),
        ]

    def __str__(self) -> str:
        if self.name.lower() == self.user.username.lower():
            return self.name
        return f"{self.name} ({self.user.username})"

    def get_absolute_url(self) -> str:
        return fast_reverse("pseud_detail", self.user.username, self.name)


class Invitation(models.Model):
    """An invitation code; needed to sign up while the archive is invitation-only."""

    code = models.CharField(max_length=32, unique=True)
    email = models.EmailField(blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_given"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    used_by = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitation_used"
    )
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.code

    @property
    def is_used(self) -> bool:
        return self.used_at is not None


class InvitationRequest(models.Model):
    """A place in the queue for an invitation, while the archive is invitation-only. The queue
    is served oldest first, a set number a day (services.invitation_queue_send)."""

    email = models.EmailField()
    created_at = models.DateTimeField(auto_now_add=True)
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="request"
    )
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="invitation_request_email_ci_unique")
        ]

    def __str__(self) -> str:
        return self.email
