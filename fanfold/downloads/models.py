import uuid

from django.db import models

from fanfold.works.models import Work

from .formats import Format


class DownloadStatus(models.TextChoices):
    PENDING = "pending", "Being made"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be made"


def _new_directory() -> str:
    return uuid.uuid4().hex


class WorkDownloadState(models.Model):
    """Which version of a work its cached files must be: `generation` goes up on every change
    (downloads_work_changed), and a file built from an older generation is never served. Files
    live in their own directory, named here (never by a user), under the downloads root."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="download_state"
    )
    generation = models.PositiveIntegerField(default=1)
    directory = models.CharField(max_length=32, default=_new_directory, editable=False)

    def __str__(self) -> str:
        return f"downloads of work {self.work_id} (generation {self.generation})"


class WorkDownload(models.Model):
    """One format of one work: asked for, being made, made (file_name under the work's
    directory) or failed (error says why)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="downloads")
    format = models.CharField(max_length=8, choices=[(f.value, f.name) for f in Format])
    generation = models.PositiveIntegerField()
    status = models.CharField(
        max_length=8, choices=DownloadStatus.choices, default=DownloadStatus.PENDING
    )
    file_name = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    requested_at = models.DateTimeField()
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "format"], name="download_work_format_unique")
        ]

    def __str__(self) -> str:
        return f"{self.format} of work {self.work_id} ({self.status})"
