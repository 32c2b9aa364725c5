from django.conf import settings
from django.db import models
from django.db.models import Q


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", "Published"
    # Waiting for a creator's approval (the work's comments are moderated).
    PENDING = "pending", "Awaiting approval"


def counted_filter() -> models.Q:
    """The comments Work.comment_count counts, as a filter (Comment.counts for one comment)."""
    return models.Q(status=CommentStatus.PUBLISHED, is_deleted=False, is_hidden=False)


class Comment(models.Model):
    """A comment on a work (or one of its chapters) or on a site news post (exactly one of
    `work` and `news_post` is set), or a reply to another comment on the same thing.

    Every comment knows the root of its thread (`thread`, itself for a top-level comment) and its
    `depth` (0 at the top), so a thread is loaded with one query and frozen with one UPDATE.
    A deleted comment with replies stays as a placeholder (is_deleted, text cleared) so the
    replies keep their place, as on AO3; one without replies goes for good."""

    # Null for a comment on a news post: every work-only path (Work.comment_count, creators'
    # inboxes, their blocks, stats) goes through `work` and so never meets those.
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    news_post = models.ForeignKey(
        "news.NewsPost", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    # A deleted chapter's comments stay on the work, so Work.comment_count stays equal to them.
    chapter = models.ForeignKey(
        "works.Chapter", null=True, blank=True, on_delete=models.SET_NULL, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=0)

    # A registered commenter, or a guest's name and e-mail address.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A deleted account's comments stay (as "a deleted account"), so threads and the work's
        # comment count stay whole.
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)

    content = models.TextField()  # sanitized HTML
    status = models.CharField(
        max_length=16, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED
    )
    # Why the spam heuristic held a guest's comment for moderation ("" when it did not);
    # held comments are PENDING and listed for moderators (fanfold/comments/spam.py).
    held_reason = models.CharField(max_length=200, blank=True)
    # A keyed hash of a guest's IP address (never the address itself), to notice the same
    # text posted again and again from one address.
    ip_hash = models.CharField(max_length=64, blank=True)
    is_frozen = models.BooleanField(default=False)
    is_deleted = models.BooleanField(default=False)
    # Hidden by a moderator pending review (issue 8): only its writer and moderators see it,
    # and it does not count in Work.comment_count until it is made visible again.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["work", "status"], name="comment_work_status"),
            models.Index(fields=["thread"], name="comment_thread"),
            models.Index(fields=["news_post", "status"], name="comment_news_status"),
            models.Index(fields=["ip_hash", "created_at"], name="comment_ip_hash"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(work__isnull=False, news_post__isnull=True)
                | Q(work__isnull=True, news_post__isnull=False),
                name="comment_on_work_or_news_post",
            )
        ]

    def __str__(self) -> str:
        if self.news_post_id is not None:
            return f"comment {self.pk} on news post {self.news_post_id}"
        return f"comment {self.pk} on work {self.work_id}"

    @property
    def target(self):
        """What the comment is on: its Work or its NewsPost."""
        return self.news_post if self.news_post_id is not None else self.work

    @property
    def author_name(self) -> str:
        if self.user is not None:
            return self.user.username
        return self.guest_name or "(deleted account)"

    @property
    def is_published(self) -> bool:
        return self.status == CommentStatus.PUBLISHED

    @property
    def counts(self) -> bool:
        """Whether this comment counts in Work.comment_count (COUNTED says the same as a
        filter)."""
        return self.status == CommentStatus.PUBLISHED and not self.is_deleted and not self.is_hidden


class CommentSettings(models.Model):
    """Per-work comment settings that the works app does not hold (who may comment at all is
    Work.comment_permission). A work without a row has the defaults."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, related_name="comment_settings"
    )
    moderated = models.BooleanField(
        default=False,
        help_text="New comments wait for a creator's approval before anyone else sees them.",
    )

    def __str__(self) -> str:
        return f"comment settings of work {self.work_id}"
