from django.db import models


class ArchiveConfig(models.Model):
    """Archive-wide switches that admins change in Django's admin. A single row (pk=1)."""

    invitation_only = models.BooleanField(
        default=False,
        help_text="When on, new accounts need an invitation code; when off, anyone may sign up.",
    )
    site_notice = models.CharField(
        max_length=500, blank=True, help_text="Optional plain-text notice shown on every page."
    )

    class Meta:
        verbose_name = "archive settings"
        verbose_name_plural = "archive settings"

    def __str__(self) -> str:
        return "Archive settings"

    @classmethod
    def load(cls) -> "ArchiveConfig":
        config, _ = cls.objects.get_or_create(pk=1)
        return config
