from django.conf import settings
from django.db import models
from django.urls import reverse

from fanfold.accounts.models import Pseud
from fanfold.tags.models import Tag, TagType

from .languages import LANGUAGE_CHOICES


class CommentPermission(models.TextChoices):
    EVERYONE = "everyone", "Registered users and guests can comment"
    REGISTERED = "registered", "Only registered users can comment"
    NOBODY = "nobody", "No one can comment"


class WorkQuerySet(models.QuerySet):
    def posted(self):
        return self.filter(is_posted=True)

    def visible_to(self, user):
        """Works this user may see in any list, page or count: posted works (restricted ones
        only for logged-in users) that moderators have not hidden, plus the drafts and hidden
        works the user is an approved creator of (an invitation to co-create does not show
        them). Moderators open hidden works through work_get_for_reading, not listings."""
        if user is None or not user.is_authenticated:
            return self.filter(is_posted=True, is_restricted=False, is_hidden=False)
        return self.filter(
            models.Q(is_posted=True, is_hidden=False)
            | models.Q(creatorships__pseud__user=user, creatorships__approved=True)
        ).distinct()


class Work(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)  # sanitized HTML
    notes = models.TextField(blank=True)  # sanitized HTML, shown before the text
    end_notes = models.TextField(blank=True)  # sanitized HTML, shown after the text
    language = models.CharField(max_length=16, choices=LANGUAGE_CHOICES, default="en")
    pseuds = models.ManyToManyField(Pseud, through="Creatorship", related_name="works")
    tags = models.ManyToManyField(Tag, through="Tagging", related_name="works")

    # None means the writer does not know yet ("3/?").
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    is_complete = models.BooleanField(default=False)
    is_restricted = models.BooleanField(default=False, help_text="Visible to logged-in users only")
    comment_permission = models.CharField(
        max_length=16, choices=CommentPermission.choices, default=CommentPermission.EVERYONE
    )

    is_posted = models.BooleanField(default=False, db_index=True)  # False: a draft
    # Hidden by a moderator pending review (services.work_hide): gone from every listing, count
    # and page for everyone but its creators (who see why) and moderators.
    is_hidden = models.BooleanField(default=False)
    hidden_reason = models.CharField(max_length=500, blank=True)
    hidden_at = models.DateTimeField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)  # may be backdated
    revised_at = models.DateTimeField(null=True, blank=True, db_index=True)  # "Updated"
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Denormalised counts, kept by the service functions so listings never count rows.
    word_count = models.PositiveIntegerField(default=0)
    chapter_count = models.PositiveIntegerField(default=0)  # posted chapters
    hit_count = models.PositiveIntegerField(default=0)
    kudos_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    bookmark_count = models.PositiveIntegerField(default=0)

    objects = WorkQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["is_posted", "-revised_at"], name="work_posted_revised")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("work_detail", args=[self.pk])

    # Set only on the unsaved copy a preview of an edit shows (services.work_update_preview):
    # the tags as the writer typed them, some perhaps not in the archive yet.
    unsaved_tags: list[Tag] | None = None

    def tags_by_type(self) -> dict[str, list[Tag]]:
        """The work's tags grouped by type ("rating", "warning", ..., "freeform"), each group in
        the order the writer typed them. Uses prefetched taggings when a selector loaded them
        (prefetch_related("taggings__tag")), so listings stay at a fixed number of queries."""
        grouped: dict[str, list[Tag]] = {value: [] for value, _ in TagType.choices}
        if self.unsaved_tags is not None:
            tags = self.unsaved_tags
        else:
            tags = [tagging.tag for tagging in self.taggings.all()]
        for tag in tags:
            grouped[tag.type].append(tag)
        return grouped

    @property
    def approved_creatorships(self) -> list["Creatorship"]:
        """The creatorships readers see, in byline order: invitations to co-create that have not
        been accepted yet are left out everywhere. Uses prefetched creatorships when a selector
        loaded them (selectors.works_for_blurbs)."""
        return [creatorship for creatorship in self.creatorships.all() if creatorship.approved]

    @property
    def chapters_display(self) -> str:
        """AO3's "2/5" or "2/?"."""
        expected = "?" if self.expected_chapters is None else self.expected_chapters
        return f"{self.chapter_count}/{expected}"


class Creatorship(models.Model):
    """A pseud credited on a work. The writer's own pseuds are approved at once; another user's
    pseud is an invitation (approved=False) that gives no rights and is shown nowhere but to
    the invited user until they accept it (services.creatorship_accept), as on AO3."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)
    approved = models.BooleanField(default=False)
    # Who added an invitation, shown to the invited user; cleared when they orphan the work.
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on work {self.work_id}"


class Tagging(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="taggings")
    tag = models.ForeignKey(Tag, on_delete=models.PROTECT, related_name="taggings")
    position = models.PositiveSmallIntegerField(default=0)  # the order the writer typed them

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["work", "tag"], name="tagging_unique")]

    def __str__(self) -> str:
        return f"{self.tag} on work {self.work_id}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()  # 1-based among all chapters of the work
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    content = models.TextField()  # sanitized HTML
    is_posted = models.BooleanField(default=False)
    published_on = models.DateField(null=True, blank=True)
    word_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "position"],
                name="chapter_position_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    def get_absolute_url(self) -> str:
        return reverse("chapter_detail", args=[self.work_id, self.pk])

    @property
    def display_title(self) -> str:
        prefix = f"Chapter {self.position}"
        return f"{prefix}: {self.title}" if self.title else prefix


class WorkHit(models.Model):
    """One row per visitor per work per day, so a hit counts once per visitor per day."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="hits")
    visitor = models.CharField(max_length=64)  # "u:<id>" or a salted hash of the IP address
    day = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "visitor", "day"], name="hit_once_per_day"),
        ]

    def __str__(self) -> str:
        return f"hit on work {self.work_id} on {self.day}"


class OrphanedWorkRecord(models.Model):
    """Which pseud a work was orphaned from, kept for moderators only (AO3 keeps this too)."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="orphan_records")
    former_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    former_pseud_name = models.CharField(max_length=40)
    orphaned_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"work {self.work_id} orphaned from {self.former_pseud_name}"
