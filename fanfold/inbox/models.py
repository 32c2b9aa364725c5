from django.conf import settings
from django.db import models


class InboxKind(models.TextChoices):
    COMMENT = "comment", "Comment on your work"
    REPLY = "reply", "Reply to your comment"
    SUBSCRIPTION = "subscription", "Subscription update"
    MODERATION = "moderation", "Moderation notice"


class InboxItem(models.Model):
    """One entry in a user's inbox: something happened that they should know about.

    `text` is plain text (an excerpt, never HTML); `url` is a path on this archive where the
    thing can be seen. `comment` is set for comments and replies, so the inbox can offer to reply
    and the entry goes when the comment is deleted."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    kind = models.CharField(max_length=16, choices=InboxKind.choices)
    text = models.TextField()
    url = models.CharField(max_length=500)
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    comment = models.ForeignKey(
        "comments.Comment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbox_items",
    )
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "is_read"], name="inbox_user_read")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.user_id}"


class InboxSettings(models.Model):
    """A user's notification preferences (the preferences page). A user without a row has the
    defaults: comments on their works and replies to their comments are e-mailed too."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_settings"
    )
    comment_emails = models.BooleanField(
        default=True,
        help_text="E-mail me comments on my works and replies to my comments "
        "(they always reach the inbox).",
    )

    def __str__(self) -> str:
        return f"inbox settings of {self.user_id}"
