"""Site news (/admin_posts, as on AO3): the public list, a post with its comments, the Atom feed,
and admins' forms to write, edit and delete posts; the announcement banner's admin pages
(/admin_banners) and the dismiss button everyone sees on it (/banners/ID/dismiss)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from fanfold.core.forms import add_service_errors
from fanfold.core.pagination import paginate
from fanfold.core.permissions import admin_required

from . import selectors, services
from .forms import BannerEditForm, BannerForm, NewsPostForm
from .models import Banner, NewsPost

GET_POST = require_http_methods(["GET", "POST"])
SESSION_DISMISSED = "fanfold_banners_dismissed"


def _readable_post(request, post_id: int) -> NewsPost:
    post = selectors.news_post_for_reading(post_id=post_id, viewer=request.user)
    if post is None:
        raise Http404("No such post.")
    return post


def news_index(request):
    """/admin_posts: news posts, newest first, optionally of one category."""
    category = request.GET.get("category", "").strip()
    posts = selectors.news_posts_for_list(viewer=request.user, category=category)
    page = paginate(request, posts, per_page=settings.FANFOLD_NEWS_PER_PAGE)
    return render(
        request,
        "news/news_index.html",
        {"page_obj": page, "category": category, "categories": selectors.news_categories()},
    )


def news_detail(request, post_id: int):
    """/admin_posts/ID: the post, with its comments (news_tags.news_comments)."""
    post = _readable_post(request, post_id)
    return render(request, "news/news_detail.html", {"post": post})


def _post_data(form) -> dict:
    data = form.cleaned_data
    return {
        "title": data.get("title", ""),
        "body": data.get("body", ""),
        "category": data.get("category", ""),
        "comment_permission": data.get("comment_permission", ""),
        "comments_moderated": data.get("comments_moderated", False),
        "publish": form.data.get("action") != "draft",
    }


@admin_required
@GET_POST
def news_new(request):
    form = NewsPostForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_post_create(user=request.user, **_post_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, "News post published." if post.is_published else "Draft saved."
            )
            return redirect(post)
    return render(request, "news/news_form.html", {"form": form, "post": None})


@admin_required
@GET_POST
def news_edit(request, post_id: int):
    post = _readable_post(request, post_id)
    initial = {
        "title": post.title, "body": post.body, "category": post.category,
        "comment_permission": post.comment_permission,
        "comments_moderated": post.comments_moderated,
    }  # fmt: skip
    form = NewsPostForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_post_update(post=post, user=request.user, **_post_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "News post updated." if post.is_published else "Draft saved.")
            return redirect(post)
    return render(request, "news/news_form.html", {"form": form, "post": post})


@admin_required
@GET_POST
def news_delete(request, post_id: int):
    post = _readable_post(request, post_id)
    if request.method == "POST":
        services.news_post_delete(post=post, user=request.user)
        messages.success(request, "News post deleted.")
        return redirect("news_index")
    return render(request, "news/news_delete.html", {"post": post})


class NewsFeed(Feed):
    """/admin_posts/feed.atom: the newest published posts, whole."""

    feed_type = Atom1Feed

    def title(self):
        return f"{settings.SITE_NAME} news"

    def subtitle(self):
        return "News from the archive's admins"

    def link(self):
        return reverse("news_index")

    def feed_url(self):
        return reverse("news_feed")

    def items(self):
        return selectors.news_posts_for_feed(limit=settings.FANFOLD_NEWS_FEED_ITEMS)

    def item_title(self, post: NewsPost):
        return post.title

    def item_description(self, post: NewsPost):
        return post.body  # sanitized HTML; the feed escapes it as type="html"

    def item_link(self, post: NewsPost):
        return post.get_absolute_url()

    def item_pubdate(self, post: NewsPost):
        return post.published_at

    def item_updateddate(self, post: NewsPost):
        return max(post.updated_at, post.published_at or post.updated_at)

    def item_categories(self, post: NewsPost):
        return [post.category] if post.category else []


news_feed = NewsFeed()


# --- Banners --------------------------------------------------------------------------------


def _banner_data(form) -> dict:
    data = form.cleaned_data
    return {
        "text": data.get("text", ""),
        "link_url": data.get("link_url", ""),
        "link_text": data.get("link_text", ""),
        "active_from": data.get("active_from"),
        "active_until": data.get("active_until"),
    }


@admin_required
@GET_POST
def banner_index(request):
    """/admin_banners: every banner, and the form for a new one."""
    form = BannerForm(request.POST or None)
    # Fields that did not parse (a date) keep their error; the service checks the rest.
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_create(user=request.user, **_banner_data(form))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Banner saved.")
            return redirect("banner_index")
    banners = list(Banner.objects.all())
    now = timezone.now()
    for banner in banners:
        banner.active_now = banner.is_active_at(now)
    return render(request, "news/banner_index.html", {"form": form, "banners": banners})


@admin_required
@GET_POST
def banner_edit(request, banner_id: int):
    banner = get_object_or_404(Banner, pk=banner_id)
    initial = {
        "text": banner.text, "link_url": banner.link_url, "link_text": banner.link_text,
        "active_from": banner.active_from, "active_until": banner.active_until,
    }  # fmt: skip
    form = BannerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_update(
                    banner=banner, user=request.user, **_banner_data(form),
                    show_again=form.cleaned_data.get("show_again", False),
                )  # fmt: skip
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Banner updated.")
            return redirect("banner_index")
    return render(request, "news/banner_edit.html", {"form": form, "banner": banner})


@admin_required
@GET_POST
def banner_delete(request, banner_id: int):
    banner = get_object_or_404(Banner, pk=banner_id)
    if request.method == "POST":
        services.banner_delete(banner=banner, user=request.user)
        messages.success(request, "Banner deleted.")
        return redirect("banner_index")
    return render(request, "news/banner_delete.html", {"banner": banner})


@require_POST
def banner_dismiss(request, banner_id: int):
    """POST /banners/ID/dismiss: the visitor hides the banner (in its current revision) and is
    sent back to the page they were on. A plain form, so it works without JavaScript."""
    banner = get_object_or_404(Banner, pk=banner_id)
    if request.user.is_authenticated:
        services.banner_dismiss(banner=banner, user=request.user)
    else:
        dismissed = [key for key in request.session.get(SESSION_DISMISSED, []) if
                     not key.startswith(f"{banner.pk}:")]  # fmt: skip
        # A guest's session keeps the last few dismissals only: old banners have ended.
        request.session[SESSION_DISMISSED] = [*dismissed[-19:], banner.key]
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = reverse("home")
    return redirect(back)
