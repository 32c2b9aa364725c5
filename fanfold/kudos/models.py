from django.conf import settings
from django.db import models


class Kudos(models.Model):
    """One kudos on a work, by a registered user or by a guest. A guest is known only by a keyed
    hash of their IP address (services.guest_key), never the address itself. The unique
    constraints make "one per user or guest per work" hold under concurrent requests."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        # A deleted account's kudos stay (as a guest's), so the work's count does not change.
        on_delete=models.SET_NULL,
        related_name="kudos_given",
    )
    guest_key = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"],
                condition=models.Q(user__isnull=False),
                name="kudos_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=models.Q(guest_key__isnull=False),
                name="kudos_once_per_guest",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(guest_key__isnull=True),
                name="kudos_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on work {self.work_id}"
