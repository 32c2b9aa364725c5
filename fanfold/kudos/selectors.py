"""Who left kudos on a work, as the work page shows it."""

from dataclasses import dataclass

from django.db.models import Count, Q

from fanfold.works.models import Work

from .models import Kudos


@dataclass
class KudosSummary:
    usernames: list[str]  # registered users, in the order they left kudos
    guest_count: int  # guests and deleted accounts
    given: bool = False  # whether the reader asked about (user or guest address) left kudos


def kudos_summary(*, work: Work, viewer=None, ip: str | None = None) -> KudosSummary:
    """The names of users who left kudos and how many guests did. Users the viewer muted are
    left out of the names (and so of what the viewer is shown). With the viewer (or a guest's
    ip) it also says whether they already left kudos, read from the same two queries: the
    work page asks on every view."""
    from fanfold.blocking.selectors import muted_user_ids_subquery

    from .services import guest_key

    rows = Kudos.objects.filter(work=work)
    named = rows.filter(user__isnull=False).exclude(user__in=muted_user_ids_subquery(viewer))
    users = list(named.order_by("created_at", "pk").values_list("user_id", "user__username"))
    is_user = viewer is not None and viewer.is_authenticated
    counts = {"guests": Count("pk", filter=Q(user__isnull=True))}
    if ip and not is_user:
        counts["mine"] = Count("pk", filter=Q(guest_key=guest_key(ip)))
    found = rows.aggregate(**counts)
    return KudosSummary(
        usernames=[name for _, name in users],
        guest_count=found["guests"],
        given=any(user_id == viewer.pk for user_id, _ in users)
        if is_user
        else found.get("mine", 0) > 0,
    )
