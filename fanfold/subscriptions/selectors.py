"""Reads of subscriptions: a user's list (only targets they may still see) and whether they
are subscribed to something (for the Subscribe / Unsubscribe buttons)."""

from django.db.models import Q, QuerySet

from fanfold.series.selectors import series_visible_to
from fanfold.works.models import Work

from .models import Subscription


def subscription_of_user(*, user, work=None, series=None, writer=None) -> Subscription | None:
    if user is None or not user.is_authenticated:
        return None
    target = {"work": work, "series": series, "writer": writer}
    target = {key: value for key, value in target.items() if value is not None}
    return Subscription.objects.filter(user=user, **target).first()


def subscription_list_for_user(*, user) -> QuerySet:
    """The user's subscriptions, works and series only while the user may still see them."""
    visible = (
        Q(work__in=Work.objects.visible_to(user))
        | Q(series__in=series_visible_to(user))
        | Q(writer__isnull=False)
    )
    return (
        Subscription.objects.filter(visible, user=user)
        .select_related("work", "series", "writer")
        .order_by("-created_at", "-pk")
    )
