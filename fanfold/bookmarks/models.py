from django.conf import settings
from django.db import models
from django.urls import reverse

from fanfold.series.models import Series
from fanfold.works.models import Work


class Bookmark(models.Model):
    """A user's bookmark of a work or of a series (exactly one of the two), with notes, tags and
    a recommendation flag. Public bookmarks of a work are counted in Work.bookmark_count, which
    the services keep with F() updates in the same transaction as the row they add or remove."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    notes = models.TextField(blank=True)  # sanitized HTML
    is_rec = models.BooleanField(default=False)
    is_private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work__isnull=False, series__isnull=True)
                | models.Q(work__isnull=True, series__isnull=False),
                name="bookmark_work_or_series",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=models.Q(work__isnull=False),
                name="bookmark_work_once",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=models.Q(series__isnull=False),
                name="bookmark_series_once",
            ),
        ]
        indexes = [models.Index(fields=["user", "-created_at"], name="bookmark_user_newest")]

    def __str__(self) -> str:
        return f"bookmark {self.pk} by {self.user_id}"

    def get_absolute_url(self) -> str:
        return reverse("bookmark_detail", args=[self.pk])

    @property
    def tag_names(self) -> list[str]:
        """The bookmark's tags in the order typed (uses prefetched tags when loaded)."""
        return [tag.name for tag in self.tags.all()]


class BookmarkTag(models.Model):
    """One of a bookmark's own tags: plain names the bookmarker typed, separate from the
    archive's wrangled work tags."""

    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bookmark", "name"], name="bookmark_tag_once"),
        ]

    def __str__(self) -> str:
        return self.name
