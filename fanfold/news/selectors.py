"""Reads of site news and banners."""

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
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


BANNERS_CACHE_KEY = "fanfold:news:banners"
# Every page shows the banner, so the banners that have not ended are kept in the cache for
# this long (each server process has its own cache unless FANFOLD_CACHE_DIR is set: another
# process shows a change at most this much later). Writes clear it (services).
BANNERS_CACHE_SECONDS = 30


def banners_not_ended() -> list[Banner]:
    """Banners showing now or later, newest first: no query while they are cached."""
    banners = cache.get(BANNERS_CACHE_KEY)
    if banners is None:
        now = timezone.now()
        banners = list(
            Banner.objects.filter(Q(active_until__isnull=True) | Q(active_until__gt=now)).order_by(
                "-created_at", "-pk"
            )[:50]
        )
        cache.set(BANNERS_CACHE_KEY, banners, BANNERS_CACHE_SECONDS)
    return banners


def banner_current(*, user, dismissed: set[str]) -> Banner | None:
    """The newest active banner this visitor has not dismissed (in its current revision). A
    logged-in user's dismissals are in the database (one query, only while a banner is
    active), a guest's in `dismissed` (keys from the session)."""
    now = timezone.now()
    active = [banner for banner in banners_not_ended() if banner.is_active_at(now)]
    if not active:
        return None
    if user is not None and user.is_authenticated:
        rows = BannerDismissal.objects.filter(
            user=user, banner_id__in=[banner.pk for banner in active]
        ).values_list("banner_id", "revision")
        dismissed = {f"{banner_id}:{revision}" for banner_id, revision in rows}
    for banner in active:
        if banner.key not in dismissed:
            return banner
    return None
