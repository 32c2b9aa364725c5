"""What the originality checks found: works that look like reposts of older works (for
moderators), the reference library admins load, and the passages of works that match it (for
their writers). The repost index itself lives on disk (engine/index.py): it is derived data that
`fanfold originality scan` rebuilds, so it is not kept in the database."""

from django.conf import settings
from django.db import models

from fanfold.works.models import Work


class RepostReport(models.Model):
    """The newer work aligns with much of the older one. Found by the background check."""

    class Status(models.TextChoices):
        OPEN = "open", "Waiting for a moderator"
        DISMISSED = "dismissed", "Dismissed"
        HIDDEN = "hidden", "Newer work hidden pending review"

    class Kind(models.TextChoices):
        FULL = "full", "Whole work"
        PARTIAL = "partial", "Part of a work"

    older_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    newer_work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    exact = models.BooleanField(default=False)  # same text once names and typography are folded
    matched_words = models.PositiveIntegerField()
    share_of_older = models.FloatField()
    share_of_newer = models.FloatField()
    # [[older name, newer name, times], ...], most frequent first
    name_map = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    found_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["older_work", "newer_work"], name="repost_pair_once")
        ]
        indexes = [models.Index(fields=["status", "-found_at"])]

    def __str__(self) -> str:
        return f"{self.newer_work_id} copies {self.older_work_id}"


class ReferenceSource(models.Model):
    """A book, script or other text in the reference library, as plain text."""

    title = models.CharField(max_length=255)
    text = models.TextField()
    word_count = models.PositiveIntegerField(default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title


class SourceMatch(models.Model):
    """A passage of a work that quotes or closely paraphrases a reference source."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    source = models.ForeignKey(ReferenceSource, on_delete=models.CASCADE, related_name="matches")
    score = models.FloatField()
    matched_words = models.PositiveIntegerField()
    work_text = models.TextField()
    source_text = models.TextField()
    aligned = models.JSONField(default=list)  # [{"kind", "work", "source"}, ...]
    credited = models.BooleanField(default=False)
    found_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["work", "pk"]

    def __str__(self) -> str:
        return f"{self.work_id} quotes {self.source}"
