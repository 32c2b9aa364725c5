from django.core.cache import cache
from django.core.validators import MinValueValidator
from django.db import models

from .terms import default_terms_of_service


class ArchiveConfig(models.Model):
    """Archive-wide switches that admins change in Django's admin. A single row (pk=1)."""

    invitation_only = models.BooleanField(
        default=False,
        help_text="When on, new accounts need an invitation code; when off, anyone may sign up.",
    )
    site_notice = models.CharField(
        max_length=500, blank=True, help_text="Optional plain-text notice shown on every page."
    )
    terms_of_service = models.TextField(
        "Terms of Service",
        default=default_terms_of_service,
        help_text="Shown at /tos and linked from the sign-up form and every page's footer; new "
        "users must accept them. Plain text: a blank line starts a new paragraph.",
    )
    invitations_per_day = models.PositiveIntegerField(
        default=10,
        help_text="While sign-up is invitation-only, how many people from the invitation "
        "queue get an invitation each day (0: the queue is closed).",
    )
    minimum_age = models.PositiveSmallIntegerField(
        default=13,
        validators=[MinValueValidator(1)],
        help_text="New users must confirm they are at least this old to sign up.",
    )

    class Meta:
        verbose_name = "archive settings"
        verbose_name_plural = "archive settings"

    def __str__(self) -> str:
        return "Archive settings"

    # Saving drops this process's cached copy (load_cached) at once.
    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        cache.delete(self.CACHE_KEY)

    def delete(self, *args, **kwargs):
        cache.delete(self.CACHE_KEY)
        return super().delete(*args, **kwargs)

    @classmethod
    def load(cls) -> "ArchiveConfig":
        config, _ = cls.objects.get_or_create(pk=1)
        return config

    # The layout shows the site notice on every page: read it from the cache rather than with
    # a query per page. Saving drops this process's copy at once; other server processes see a
    # change within CACHE_SECONDS.
    CACHE_KEY = "archive-config"
    CACHE_SECONDS = 30

    @classmethod
    def load_cached(cls) -> "ArchiveConfig":
        config = cache.get(cls.CACHE_KEY)
        if config is None:
            config = cls.load()
            cache.set(cls.CACHE_KEY, config, cls.CACHE_SECONDS)
        return config


class RateLimitCounter(models.Model):
    """How often a key ("comment:u:12", "search:ip:10.0.0.1") was used in one time window.
    Written only by fanfold.core.ratelimit."""

    key = models.CharField(max_length=200)
    window = models.BigIntegerField()  # the window's number: unix time // period
    count = models.PositiveIntegerField(default=0)
    # Unix time the window ends (the window's number alone does not say: it depends on the
    # period): `fanfold periodic` deletes counters past it. Counters from before the field
    # have 0 and go at the first purge.
    ends_at = models.BigIntegerField(default=0, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_key_window_unique")
        ]

    def __str__(self) -> str:
        return f"{self.key} #{self.window}: {self.count}"
