from django.conf import settings
from django.db import models

from fanfold.tags.models import Tag


class SavedFilter(models.Model):
    """A named set of listing filters: the query string of a filtered listing, reapplied by
    opening `path?query` again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    path = models.CharField(max_length=500)  # the listing: /works, /tags/NAME/works, /search
    query = models.TextField(blank=True)  # its GET parameters, urlencoded
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_name_unique")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path


class Exclusion(models.Model):
    """A tag or a creator (user) the user never wants to see: applied to every work listing
    and search for them. Exactly one of tag and creator is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exclusions"
    )
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="exclusion_tag_unique"),
            models.UniqueConstraint(fields=["user", "creator"], name="exclusion_creator_unique"),
            models.CheckConstraint(
                condition=models.Q(tag__isnull=False, creator__isnull=True)
                | models.Q(tag__isnull=True, creator__isnull=False),
                name="exclusion_tag_or_creator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} excludes {self.tag or self.creator}"
