from django.conf import settings
from django.db import models
from django.urls import reverse

from fanfold.works.models import Work


class Series(models.Model):
    """A writer's ordered group of works ("Part 2 of Tides"). Its creator is the user who made
    it; only they change it (services.series_*)."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="series"
    )
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)  # sanitized HTML
    notes = models.TextField(blank=True)  # sanitized HTML
    is_complete = models.BooleanField(default=False)
    works = models.ManyToManyField(Work, through="SeriesPart", related_name="series")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series_detail", args=[self.pk])


class SeriesPart(models.Model):
    """A work's place in a series: positions are 1, 2, 3... with no gaps (kept by the services)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="parts")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_parts")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="series_part_once"),
        ]

    def __str__(self) -> str:
        return f"work {self.work_id} in series {self.series_id}"
