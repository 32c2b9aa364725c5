from django.conf import settings
from django.db import models

from fanfold.series.models import Series
from fanfold.works.models import Work


class Subscription(models.Model):
    """A user's subscription to a work (new chapters), a writer (new works and chapters) or a
    series (works added or posted in it): exactly one of the three targets is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    writer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(work__isnull=False, series__isnull=True, writer__isnull=True)
                | models.Q(work__isnull=True, series__isnull=False, writer__isnull=True)
                | models.Q(work__isnull=True, series__isnull=True, writer__isnull=False),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=models.Q(work__isnull=False),
                name="subscription_work_once",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=models.Q(series__isnull=False),
                name="subscription_series_once",
            ),
            models.UniqueConstraint(
                fields=["user", "writer"],
                condition=models.Q(writer__isnull=False),
                name="subscription_writer_once",
            ),
        ]

    def __str__(self) -> str:
        return f"subscription {self.pk} of {self.user_id}"

    @property
    def target(self):
        return self.work or self.series or self.writer
