"""Reads of site news and banners."""

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from fanfold.comments.models import CommentStatus

from .models import Banner, BannerDismissal, NewsPost


def news_posts_for_list(*, viewer, category: str = "") -> QuerySet:
    """Posts for /admin_posts, newest first (admins see their drafts at the top), each with the
    number of its published comments."""
    posts = NewsPost.objects.visible_to(viewer)
    if category:
        posts = posts.filter(category__iexact=category)
    # An aggregate query ignores Meta.ordering, so the order is said again here.
    return posts.annotate(
        comment_total=Count(
            "comments",
            filter=Q(comments__status=CommentStatus.PUBLISHED, comments__is_deleted=False),
        )
    ).order_by(F("published_at").desc(nulls_first=True), "-pk")


def news_categories() -> list[str]:
    """The categories of published posts, for the list's filter."""
    names = NewsPost.objects.published().exclude(category="").values_list("category", flat=True)
    return sorted(set(names), key=str.lower)


def news_post_for_reading(*, post_id: int, viewer) -> NewsPost | None:
    """The post if this visitor may read it (drafts only for admins), else None."""
    return NewsPost.objects.visible_to(viewer).select_related("author").filter(pk=post_id).first()


def news_posts_for_feed(*, limit: int) -> list[NewsPost]:
    return list(NewsPost.objects.published()[:limit])


def banner_current(*, user, dismissed: set[str]) -> Banner | None:
    """The newest active banner this visitor has not dismissed (in its current revision), in
    one query: a logged-in user's dismissals are in the database, a guest's in `dismissed`
    (keys from the session)."""
    now = timezone.now()
    banners = Banner.objects.filter(
        Q(active_from__isnull=True) | Q(active_from__lte=now),
        Q(active_until__isnull=True) | Q(active_until__gt=now),
    )
    if user is not None and user.is_authenticated:
        banners = banners.exclude(
            Exists(
                BannerDismissal.objects.filter(
                    user=user, banner=OuterRef("pk"), revision=OuterRef("revision")
                )
            )
        )
    # A guest dismisses few banners: their keys are checked here rather than in SQL.
    for banner in banners.order_by("-created_at", "-pk")[: len(dismissed) + 1]:
        if banner.key not in dismissed:
            return banner
    return None
