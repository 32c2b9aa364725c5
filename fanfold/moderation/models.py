from django.conf import settings
from django.db import models
from django.urls import reverse


class ReportCategory(models.TextChoices):
    SPAM = "spam", "Spam or advertising"
    HARASSMENT = "harassment", "Harassment or threats"
    PLAGIARISM = "plagiarism", "Plagiarism or a repost of someone else's work"
    TAGGING = "tagging", "Missing or wrong warnings or rating"
    ILLEGAL = "illegal", "Illegal content"
    OTHER = "other", "Something else"


class ReportStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_REVIEW = "in_review", "In review"
    RESOLVED = "resolved", "Resolved"
    DISMISSED = "dismissed", "Dismissed"


class AbuseReport(models.Model):
    """A report by a user or a guest about a page of the archive: a work, a user, a comment.
    What it is about is resolved from the page's address when it is made."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="abuse_reports_made",
    )  # fmt: skip
    reporter_email = models.EmailField(blank=True)  # guests may leave one for an answer
    url = models.CharField(max_length=500)
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A report from a comment's "Report" link (or giving its address) records the comment.
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reported_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="abuse_reports_received",
    )  # fmt: skip
    category = models.CharField(max_length=16, choices=ReportCategory.choices)
    description = models.TextField()
    status = models.CharField(
        max_length=16, choices=ReportStatus.choices, default=ReportStatus.OPEN, db_index=True
    )
    resolution_note = models.TextField(blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Report {self.pk} ({self.get_category_display()}) on {self.url}"

    def get_absolute_url(self) -> str:
        return reverse("moderation_report", args=[self.pk])


class AuditLogEntry(models.Model):
    """One moderator or admin action, kept for accountability: who did what to what, and why.
    Written only by fanfold.moderation.services.audit_record."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150)  # kept when the account is gone
    action = models.CharField(max_length=64, db_index=True)
    target = models.CharField(max_length=255)  # "work 12: Title", "user bob"
    detail = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "audit log entries"

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.target}"
