"""Who left kudos on a work, as the work page shows it."""

from dataclasses import dataclass

from fanfold.works.models import Work

from .models import Kudos


@dataclass
class KudosSummary:
    usernames: list[str]  # registered users, in the order they left kudos
    guest_count: int  # guests and deleted accounts


def kudos_summary(*, work: Work, viewer=None) -> KudosSummary:
    """The names of users who left kudos and how many guests did. Users the viewer muted are
    left out of the names (and so of what the viewer is shown)."""
    from fanfold.blocking.selectors import muted_user_ids_subquery

    rows = Kudos.objects.filter(work=work)
    named = rows.filter(user__isnull=False).exclude(user__in=muted_user_ids_subquery(viewer))
    usernames = list(named.order_by("created_at", "pk").values_list("user__username", flat=True))
    guest_count = rows.filter(user__isnull=True).count()
    return KudosSummary(usernames=usernames, guest_count=guest_count)


def kudos_given(*, work: Work, user=None, ip: str | None = None) -> bool:
    """Whether this user (or guest at this address) already left kudos on the work."""
    from .services import guest_key

    if user is not None and user.is_authenticated:
        return Kudos.objects.filter(work=work, user=user).exists()
    if ip:
        return Kudos.objects.filter(work=work, guest_key=guest_key(ip)).exists()
    return False
