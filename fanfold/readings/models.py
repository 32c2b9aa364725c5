from django.conf import settings
from django.db import models

from fanfold.works.models import Chapter, Work


class ReadingEntry(models.Model):
    """History: the last time a user opened a work and the chapter they last opened in it
    (recorded by services.reading_record with one upsert per page view)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_entries"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="reading_entries")
    last_chapter = models.ForeignKey(
        Chapter, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_viewed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="reading_entry_once"),
        ]
        indexes = [models.Index(fields=["user", "-last_viewed_at"], name="reading_user_recent")]

    def __str__(self) -> str:
        return f"user {self.user_id} read work {self.work_id}"


class MarkedForLater(models.Model):
    """A work on a user's Marked for Later list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="marked_for_later"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="marked_for_later_once"),
        ]

    def __str__(self) -> str:
        return f"user {self.user_id} marked work {self.work_id}"


class ReadingSettings(models.Model):
    """A user's choice to keep no history (the row exists only once they change it)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reading_settings"
    )
    history_enabled = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"reading settings of {self.user_id}"
