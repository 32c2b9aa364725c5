"""Site news (AO3's "admin posts") and the announcement banner shown on every page.

Comments on news posts are the comments app's Comment rows with `news_post` set instead of
`work`, so threads, guests, sanitizing, rate limits, moderation and spam holding are the same
code for both."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from fanfold.works.models import CommentPermission


class NewsPostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(published_at__isnull=False, published_at__lte=timezone.now())

    def visible_to(self, user):
        """Published posts for everyone; drafts too for the archive's admins, who write them."""
        if user is not None and getattr(user, "is_archive_admin", False):
            return self.all()
        return self.published()


class NewsPost(models.Model):
    title = models.CharField(max_length=255)
    body = models.TextField()  # sanitized HTML (fanfold.works.text.sanitize_html)
    category = models.CharField(max_length=60, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # The post is the archive's, not its writer's: it stays when the account goes.
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Empty while the post is a draft; set once when it is first published.
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    comment_permission = models.CharField(
        max_length=16, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )
    comments_moderated = models.BooleanField(
        default=False,
        help_text="New comments wait for an admin's or moderator's approval before others "
        "see them.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = NewsPostQuerySet.as_manager()

    class Meta:
        ordering = [models.F("published_at").desc(nulls_first=True), "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("news_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.published_at is not None and self.published_at <= timezone.now()


class Banner(models.Model):
    """An announcement shown at the top of every page while it is active. Visitors may dismiss
    it; `revision` goes up when an admin wants it shown again to those who did."""

    text = models.CharField(max_length=500)  # sanitized, a few inline elements only
    link_url = models.CharField(max_length=500, blank=True)
    link_text = models.CharField(max_length=60, blank=True)
    active_from = models.DateTimeField(null=True, blank=True)
    active_until = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"banner {self.pk}"

    @property
    def key(self) -> str:
        """What a dismissal remembers: this banner in this revision."""
        return f"{self.pk}:{self.revision}"

    def is_active_at(self, when) -> bool:
        return (self.active_from is None or self.active_from <= when) and (
            self.active_until is None or when < self.active_until
        )


class BannerDismissal(models.Model):
    """A logged-in user dismissed a banner (in a revision). Guests' dismissals live in their
    session."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    banner = models.ForeignKey(Banner, on_delete=models.CASCADE, related_name="dismissals")
    revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "banner"], name="banner_dismissal_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} dismissed banner {self.banner_id}"
