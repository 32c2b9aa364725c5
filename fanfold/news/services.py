"""Every write to site news and banners. Only the archive's admins (user.is_archive_admin) write
them; each write is recorded in the moderation audit log in the same transaction."""

from datetime import datetime

import nh3
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags

from fanfold.core.permissions import require_admin
from fanfold.moderation.services import audit_record
from fanfold.works.models import CommentPermission
from fanfold.works.text import LINK_REL, LINK_SCHEMES, sanitize_html

from .models import Banner, BannerDismissal, NewsPost
from .selectors import BANNERS_CACHE_KEY

MAX_TITLE = 255
MAX_BODY = 100_000
MAX_CATEGORY = 60
MAX_BANNER_TEXT = 500
MAX_LINK = 500
MAX_LINK_TEXT = 60

# A banner is one line above every page: a few inline elements, nothing that could pose as the
# site's own controls (no images, headings, blocks).
BANNER_TAGS = {"a", "b", "strong", "i", "em", "code", "br"}
_banner_cleaner = nh3.Cleaner(
    tags=BANNER_TAGS,
    attributes={"a": {"href"}},
    url_schemes=set(LINK_SCHEMES),
    link_rel=LINK_REL,
    strip_comments=True,
    clean_content_tags={"script", "style", "template", "noscript", "iframe", "title"},
)


def sanitize_banner_html(text: str) -> str:
    return _banner_cleaner.clean(text or "").strip()


def _banners_changed() -> None:
    """Every page reads the banners from the cache: forget them now, and again once the
    change is committed (a page rendered meanwhile may have cached the old ones)."""
    cache.delete(BANNERS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(BANNERS_CACHE_KEY))


def _clean_post(*, title: str, body: str, category: str, comment_permission: str) -> dict:
    errors: dict[str, str] = {}
    title = " ".join((title or "").split())
    category = " ".join((category or "").split())
    body = (body or "").strip()
    if not title:
        errors["title"] = "Please give the post a title."
    elif len(title) > MAX_TITLE:
        errors["title"] = f"The title can be at most {MAX_TITLE} characters."
    if len(category) > MAX_CATEGORY:
        errors["category"] = f"The category can be at most {MAX_CATEGORY} characters."
    cleaned = ""
    if len(body) > MAX_BODY:
        errors["body"] = (
            f"The post is too long: {len(body):,} characters, the most is {MAX_BODY:,}."
        )
    else:
        cleaned = sanitize_html(body)
        if not strip_tags(cleaned).strip():
            errors["body"] = "Please write the post."
    if comment_permission not in CommentPermission.values:
        errors["comment_permission"] = "Please choose who may comment."
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": cleaned, "category": category,
            "comment_permission": comment_permission}  # fmt: skip


@transaction.atomic
def news_post_create(
    *,
    user,
    title: str,
    body: str,
    category: str = "",
    comment_permission: str = CommentPermission.EVERYONE,
    comments_moderated: bool = False,
    publish: bool = True,
) -> NewsPost:
    """A news post by an admin, published now or kept as a draft only admins see."""
    require_admin(user)
    fields = _clean_post(
        title=title, body=body, category=category, comment_permission=comment_permission
    )
    post = NewsPost.objects.create(
        **fields,
        comments_moderated=bool(comments_moderated),
        author=user,
        published_at=timezone.now() if publish else None,
    )
    audit_record(actor=user, action="create news post", target=f"news post {post.pk}: {post.title}")
    return post


@transaction.atomic
def news_post_update(
    *,
    post: NewsPost,
    user,
    title: str,
    body: str,
    category: str = "",
    comment_permission: str = CommentPermission.EVERYONE,
    comments_moderated: bool = False,
    publish: bool = True,
) -> NewsPost:
    """An admin edits a post. Publishing a draft dates it now; a published post keeps its date
    (and goes back to being a draft only if `publish` is false)."""
    require_admin(user)
    fields = _clean_post(
        title=title, body=body, category=category, comment_permission=comment_permission
    )
    post = NewsPost.objects.select_for_update().get(pk=post.pk)
    for name, value in fields.items():
        setattr(post, name, value)
    post.comments_moderated = bool(comments_moderated)
    if publish and post.published_at is None:
        post.published_at = timezone.now()
    elif not publish:
        post.published_at = None
    post.save()
    audit_record(actor=user, action="edit news post", target=f"news post {post.pk}: {post.title}")
    return post


@transaction.atomic
def news_post_delete(*, post: NewsPost, user) -> None:
    """An admin deletes a post, with its comments."""
    require_admin(user)
    post = NewsPost.objects.select_for_update().get(pk=post.pk)
    target = f"news post {post.pk}: {post.title}"
    post.delete()
    audit_record(actor=user, action="delete news post", target=target)


# --- Banners --------------------------------------------------------------------------------


def _clean_banner(*, text: str, link_url: str, link_text: str, active_from, active_until) -> dict:
    errors: dict[str, str] = {}
    text = (text or "").strip()
    link_url = (link_url or "").strip()
    link_text = " ".join((link_text or "").split())
    cleaned = ""
    if len(text) > MAX_BANNER_TEXT:
        errors["text"] = f"The banner can be at most {MAX_BANNER_TEXT} characters."
    else:
        cleaned = sanitize_banner_html(text)
        if not strip_tags(cleaned).strip():
            errors["text"] = "Please write the banner's text."
    if link_url:
        lowered = link_url.lower()
        local = link_url.startswith("/") and not link_url.startswith("//")
        if len(link_url) > MAX_LINK:
            errors["link_url"] = f"The link can be at most {MAX_LINK} characters."
        elif not (local or lowered.startswith(("https://", "http://"))) or any(
            ch.isspace() for ch in link_url
        ):
            errors["link_url"] = (
                "Please give a web address (https://...) or a path on this archive (/...)."
            )
    elif link_text:
        errors["link_url"] = "Please give the address the link text points to."
    if len(link_text) > MAX_LINK_TEXT:
        errors["link_text"] = f"The link text can be at most {MAX_LINK_TEXT} characters."
    for name, value in (("active_from", active_from), ("active_until", active_until)):
        if value is not None and not isinstance(value, datetime):
            errors[name] = "Please give a date and time."
    if (
        isinstance(active_from, datetime)
        and isinstance(active_until, datetime)
        and active_until <= active_from
    ):
        errors["active_until"] = "The banner must end after it starts."
    if errors:
        raise ValidationError(errors)
    return {"text": cleaned, "link_url": link_url, "link_text": link_text,
            "active_from": active_from, "active_until": active_until}  # fmt: skip


@transaction.atomic
def banner_create(
    *, user, text: str, link_url: str = "", link_text: str = "", active_from=None,
    active_until=None,
) -> Banner:  # fmt: skip
    """A new banner, shown on every page from `active_from` (now when empty) until
    `active_until` (until deleted when empty)."""
    require_admin(user)
    fields = _clean_banner(text=text, link_url=link_url, link_text=link_text,
                           active_from=active_from, active_until=active_until)  # fmt: skip
    banner = Banner.objects.create(**fields, created_by=user)
    _banners_changed()
    audit_record(actor=user, action="create banner", target=f"banner {banner.pk}",
                 detail=strip_tags(banner.text))  # fmt: skip
    return banner


@transaction.atomic
def banner_update(
    *, banner: Banner, user, text: str, link_url: str = "", link_text: str = "",
    active_from=None, active_until=None, show_again: bool = False,
) -> Banner:  # fmt: skip
    """Change a banner. With `show_again` it is shown again to everyone who dismissed it (for
    a change that matters); without, a small fix stays dismissed."""
    require_admin(user)
    fields = _clean_banner(text=text, link_url=link_url, link_text=link_text,
                           active_from=active_from, active_until=active_until)  # fmt: skip
    banner = Banner.objects.select_for_update().get(pk=banner.pk)
    for name, value in fields.items():
        setattr(banner, name, value)
    if show_again:
        banner.revision += 1
    banner.save()
    _banners_changed()
    audit_record(actor=user, action="edit banner", target=f"banner {banner.pk}",
                 detail=strip_tags(banner.text))  # fmt: skip
    return banner


@transaction.atomic
def banner_delete(*, banner: Banner, user) -> None:
    require_admin(user)
    target = f"banner {banner.pk}"
    Banner.objects.filter(pk=banner.pk).delete()
    _banners_changed()
    audit_record(actor=user, action="delete banner", target=target)


@transaction.atomic
def banner_dismiss(*, banner: Banner, user) -> None:
    """A logged-in user dismisses the banner in its current revision (guests' dismissals are
    kept in their session by the view)."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("Log in to dismiss banners for good.")
    BannerDismissal.objects.update_or_create(
        user=user, banner=banner, defaults={"revision": banner.revision}
    )
