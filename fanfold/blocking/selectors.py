"""Reads about blocks and mutes, used by comments, the inbox and every works listing."""

from django.db.models import Exists, OuterRef, QuerySet

from .models import Block, Mute


def _is_authenticated(user) -> bool:
    return user is not None and user.is_authenticated


def muted_user_ids_subquery(viewer) -> QuerySet:
    """The ids of users the viewer muted, as a subquery (empty for guests)."""
    if not _is_authenticated(viewer):
        return Mute.objects.none().values("muted_id")
    return Mute.objects.filter(muter=viewer).values("muted_id")


def work_by_muted_user(viewer, *, work_ref: str = "pk") -> Exists:
    """An Exists() over a work queryset: true for works with an approved creator the viewer
    muted (never for guests). works_posted_visible_to excludes these from every listing.
    `work_ref`: the outer query's work id ("work_id" over a listing's filter rows)."""
    from fanfold.works.models import Creatorship

    if not _is_authenticated(viewer):
        return Exists(Creatorship.objects.none())
    return Exists(
        Creatorship.objects.filter(
            work=OuterRef(work_ref),
            approved=True,
            pseud__user__mutes_received__muter=viewer,
        )
    )


def user_has_blocked(*, blocker, user) -> bool:
    """Whether `blocker` blocked `user` (False for guests on either side)."""
    if not (_is_authenticated(blocker) and _is_authenticated(user)):
        return False
    return Block.objects.filter(blocker=blocker, blocked=user).exists()


def any_has_blocked(*, blocker_ids, user) -> bool:
    """Whether any of these users blocked `user`, in one query (a work's creators)."""
    if not _is_authenticated(user) or not blocker_ids:
        return False
    return Block.objects.filter(blocker_id__in=list(blocker_ids), blocked=user).exists()


def user_has_muted(*, muter, user) -> bool:
    if not (_is_authenticated(muter) and _is_authenticated(user)):
        return False
    return Mute.objects.filter(muter=muter, muted=user).exists()


def blocks_for_user(*, user) -> QuerySet[Block]:
    return Block.objects.filter(blocker=user).select_related("blocked")


def mutes_for_user(*, user) -> QuerySet[Mute]:
    return Mute.objects.filter(muter=user).select_related("muted")
