from django.conf import settings
from django.db import models


class PendingImport(models.Model):
    """A parsed file waiting for its writer to check the preview and save it as a draft.

    The parsed chapters stay here between the upload and the save rather than travelling in
    the preview form: a novel's text would exceed the size limit of a form post, and the writer
    corrects the parts a parser can get wrong (title, notes, where chapters start), not the
    story's text. Nothing here is visible to anyone but its writer; it is deleted when the work
    is saved, and left-overs are deleted after a day (import_start cleans them up)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    source_name = models.CharField(max_length=255)
    data = models.JSONField()  # ParsedWork.to_dict()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.source_name} ({self.user})"


class EfictionAuthor(models.Model):
    """An account made for an author of an imported eFiction archive. The author claims it by
    the link mailed to the address they had there (a password-reset link)."""

    uid = models.PositiveIntegerField(unique=True, help_text="The author's id on eFiction.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="efiction_author"
    )
    penname = models.CharField(max_length=200)
    claim_sent_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.penname} (eFiction {self.uid})"


class EfictionStory(models.Model):
    """An imported eFiction story's old id, so old links (viewstory.php?sid=N) find the work."""

    sid = models.PositiveIntegerField(unique=True, help_text="The story's id on eFiction.")
    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, related_name="efiction_story"
    )
    # Old chapter ids in reading order, so viewstory.php?sid=N&chapter=M finds chapter M.
    chapter_ids = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "eFiction stories"

    def __str__(self) -> str:
        return f"eFiction story {self.sid}"


class EfictionReview(models.Model):
    """An eFiction review already imported as a comment, so a second run skips it. The
    comment may since have been deleted (then it stays deleted)."""

    reviewid = models.PositiveIntegerField(unique=True, help_text="The review's id on eFiction.")
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"eFiction review {self.reviewid}"


class EfictionFavorite(models.Model):
    """An eFiction favorite (of a story or a series) already imported as a bookmark, so a
    second run skips it, also when its owner has deleted the bookmark since."""

    uid = models.PositiveIntegerField(help_text="The member's id on eFiction.")
    type = models.CharField(max_length=2, help_text="ST (story) or SE (series).")
    item = models.PositiveIntegerField(help_text="The story's or series' id on eFiction.")
    bookmark = models.ForeignKey(
        "bookmarks.Bookmark", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["uid", "type", "item"], name="efiction_favorite_once")
        ]

    def __str__(self) -> str:
        return f"eFiction favorite {self.type} {self.item} of {self.uid}"


class EfictionSeries(models.Model):
    """An imported eFiction series, and which of its stories were added to it (a story imported
    by a later run is added then; one the owner has removed since is not put back)."""

    seriesid = models.PositiveIntegerField(unique=True, help_text="The series' id on eFiction.")
    series = models.ForeignKey(
        "series.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sids = models.JSONField(default=list)

    class Meta:
        verbose_name_plural = "eFiction series"

    def __str__(self) -> str:
        return f"eFiction series {self.seriesid}"
