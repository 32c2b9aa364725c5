"""Every page of the site opens in Chromium on a phone: the right status, no script errors, no
sideways scrolling, a heading. The list of pages is checked against the URL configuration, so a
new page without an entry here fails this test until someone says how to open it."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fanfold.accounts.services import pseud_create
from fanfold.bookmarks.services import bookmark_create
from fanfold.imports.services import import_start
from fanfold.moderation.services import report_create
from fanfold.originality.services import repost_pair_record
from fanfold.readings.services import marked_for_later_add, reading_record
from fanfold.series.services import series_add_work, series_create
from fanfold.subscriptions.services import subscription_create
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser

# Pages that only take a POST (their forms are tested where they live).
POST_ONLY = {
    "work_post",
    "moderation_spam",
    "originality_report_dismiss",
    "originality_report_hide",
    "originality_source_delete",
    "originality_source_credit",
    "series_remove_work",
    "subscription_create",
    "subscription_delete",
    "history_clear",
    "history_settings",
    "mark_for_later",
    "unmark_for_later",
    "kudos_create",
    "comment_create",
    "comment_freeze",
    "comment_approve",
    "comment_unhide",
    "inbox_update",
    "user_block",
    "saved_filter_create",
    "saved_filter_delete",
    "exclusion_create",
    "exclusion_delete",
    "news_comment_create",
    "banner_dismiss",
}
# Endpoints that answer JSON or feeds rather than pages (tested where they live: the Atom feed
# in fanfold/search/tests/test_feeds.py).
NOT_PAGES = {"tag_autocomplete", "tag_feed", "news_feed"}
# URLs that answer with a file rather than a page (tested where they live).
FILES = {"work_download"}
# Old addresses that only redirect (tested where they live).
REDIRECTS = {"efiction_viewstory"}


def url_names(patterns=None, namespace=None) -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's own admin: its pages are Django's, checked below by one visit
            names |= url_names(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


@pytest.fixture
def archive(alice, bob, admin_user, moderator):
    work = make_work(alice, title="Tides", chapters=2, summary="Two chapters of sea.")
    draft = make_work(alice, title="Unfinished", post=False)
    pseud_create(user=alice, name="Second Name", description="Where I write poems.")
    # bob invites alice to co-create, so her Co-Creator Requests page has one to answer.
    shared = make_work(
        bob,
        title="Shared Shore",
        pseuds=[bob.pseuds.get(), alice.pseuds.get(is_default=True)],
        accept_invitations=False,
    )
    report = report_create(
        reporter=bob, url=f"/works/{work.pk}", category="spam",
        description="A generated report for the page tests.",
    )  # fmt: skip
    repost = repost_pair_record(
        work=work,
        other=shared,
        kind="full",
        exact=False,
        matched_words=40,
        share_of_work=0.9,
        share_of_other=0.9,
        name_map=[("Anna", "Mira", 3)],
    )
    # A series, a bookmark, a subscription, history and a reading list for bob's pages.
    series = series_create(user=alice, title="Harbour Cycle", summary="Tides and shores.")
    series_add_work(series=series, work=work, user=alice)
    bookmark = bookmark_create(user=bob, work=work, notes="Lovely.", tags="sea, comfort")
    bookmark_create(user=bob, series=series, is_rec=True)
    subscription_create(user=bob, work=work)
    subscription_create(user=bob, writer=alice)
    reading_record(user=bob, work=work, chapter=work.chapters.get(position=2))
    marked_for_later_add(user=bob, work=work)
    from fanfold.comments.services import comment_create

    # bob comments on alice's work, so the comment pages and alice's inbox have something.
    comment = comment_create(work=work, user=bob, content="<p>A kind word.</p>")
    pending = import_start(user=alice, text="Imported\n\nChapter 1\n\nText.", format="text")
    from fanfold.comments.services import comment_create_on_news
    from fanfold.news.services import banner_create, news_post_create

    news = news_post_create(
        user=admin_user, title="Harbour maintenance", category="Maintenance",
        body="<p>The archive rests for an hour on Sunday.</p>",
    )  # fmt: skip
    comment_create_on_news(post=news, user=bob, content="<p>Thanks for the warning.</p>")
    # A guest's comment the spam heuristic holds, for the moderators' list.
    comment_create(work=work, content="Best casino bonus, long-winded-link-text-" * 3,
                   guest_name="Spammer", guest_email="spam@example.org")  # fmt: skip
    banner = banner_create(user=admin_user, text="We <strong>move</strong> servers on Sunday.",
                           link_url="/admin_posts", link_text="Details")  # fmt: skip
    return {
        "news": news,
        "banner": banner,
        "work": work,
        "chapter": work.chapters.get(position=2),
        "draft": draft,
        "report": report,
        "repost": repost,
        "series": series,
        "bookmark": bookmark,
        "comment": comment,
        "pending_import": pending,
    }


def pages(archive, alice):
    """URL name -> (path, who opens it: None for a guest or a user fixture name)."""
    work, chapter, draft = archive["work"], archive["chapter"], archive["draft"]
    series, bookmark = archive["series"], archive["bookmark"]
    uid = urlsafe_base64_encode(force_bytes(alice.pk))
    token = default_token_generator.make_token(alice)
    return {
        "home": ("/", None),
        "terms_of_service": ("/tos", None),
        "signup": ("/signup", None),
        "login": ("/login", None),
        "logout": ("/logout", "alice"),
        "password_reset": ("/password_reset", None),
        "password_reset_done": ("/password_reset/sent", None),
        "password_reset_confirm": (f"/password_reset/{uid}/{token}", None),
        "password_reset_complete": ("/password_reset/complete", None),
        "user_detail": ("/users/alice", None),
        "invitation_request": ("/invite_requests", None),
        "user_invitations": ("/users/alice/invitations", "alice"),
        "password_change": ("/users/alice/password", "alice"),
        "user_delete": ("/users/alice/delete", "alice"),
        "pseud_index": ("/users/alice/pseuds", None),
        "pseud_new": ("/users/alice/pseuds/new", "alice"),
        "pseud_detail": ("/users/alice/pseuds/Second Name", None),
        "pseud_edit": ("/users/alice/pseuds/Second Name/edit", "alice"),
        "pseud_delete": ("/users/alice/pseuds/Second Name/delete", "alice"),
        "work_index": ("/works", None),
        "work_detail": (f"/works/{work.pk}", None),
        "work_navigate": (f"/works/{work.pk}/navigate", None),
        "chapter_detail": (f"/works/{work.pk}/chapters/{chapter.pk}", None),
        "work_new": ("/works/new", "alice"),
        "work_edit": (f"/works/{work.pk}/edit", "alice"),
        "work_preview": (f"/works/{draft.pk}/preview", "alice"),
        "work_delete": (f"/works/{work.pk}/delete", "alice"),
        "work_orphan": (f"/works/{work.pk}/orphan", "alice"),
        "chapter_new": (f"/works/{work.pk}/chapters/new", "alice"),
        "chapter_edit": (f"/works/{work.pk}/chapters/{chapter.pk}/edit", "alice"),
        "chapter_delete": (f"/works/{work.pk}/chapters/{chapter.pk}/delete", "alice"),
        "chapters_manage": (f"/works/{work.pk}/chapters/manage", "alice"),
        "user_works": ("/users/alice/works", None),
        "user_drafts": ("/users/alice/works/drafts", "alice"),
        "user_creatorships": ("/users/alice/creatorships", "alice"),
        "pseud_works": ("/users/alice/pseuds/Second Name/works", None),
        "tag_works": ("/tags/Generated Fandom/works", None),
        "report_new": (f"/abuse/report?url=/works/{work.pk}", None),
        "moderation_queue": ("/moderation", "moderator"),
        "moderation_report": (f"/moderation/reports/{archive['report'].pk}", "moderator"),
        "moderation_user": ("/moderation/users/alice", "moderator"),
        "moderation_audit": ("/moderation/audit", "moderator"),
        "tag_detail": ("/tags/Generated Fandom", None),
        "tag_edit": ("/tags/Generated Fandom/edit", "wrangler"),
        "tag_history": ("/tags/Generated Fandom/history", "wrangler"),
        "wrangling_home": ("/tags/wrangling", "wrangler"),
        "wrangling_queue": ("/tags/wrangling/queue?type=fandom", "wrangler"),
        "media_index": ("/media", None),
        "media_fandoms": ("/media/Uncategorized Fandoms/fandoms", None),
        "originality_queue": ("/originality/reports", "moderator"),
        "originality_report": (f"/originality/reports/{archive['repost'].pk}", "moderator"),
        "originality_library": ("/originality/library", "admin_user"),
        "originality_work_sources": (f"/works/{work.pk}/sources", "alice"),
        # Series, bookmarks, subscriptions, history, stats
        "series_new": ("/series/new", "alice"),
        "series_detail": (f"/series/{series.pk}", None),
        "series_edit": (f"/series/{series.pk}/edit", "alice"),
        "series_delete": (f"/series/{series.pk}/delete", "alice"),
        "series_manage": (f"/series/{series.pk}/manage", "alice"),
        "work_add_to_series": (f"/works/{work.pk}/series", "alice"),
        "user_series": ("/users/alice/series", None),
        "bookmark_detail": (f"/bookmarks/{bookmark.pk}", None),
        "bookmark_edit": (f"/bookmarks/{bookmark.pk}/edit", "bob"),
        "bookmark_delete": (f"/bookmarks/{bookmark.pk}/delete", "bob"),
        "work_bookmarks": (f"/works/{work.pk}/bookmarks", None),
        "work_bookmark_new": (f"/works/{work.pk}/bookmarks/new", "reader"),
        "series_bookmarks": (f"/series/{series.pk}/bookmarks", None),
        "series_bookmark_new": (f"/series/{series.pk}/bookmarks/new", "reader"),
        "user_bookmarks": ("/users/bob/bookmarks", None),
        "user_subscriptions": ("/users/bob/subscriptions", "bob"),
        "user_history": ("/users/bob/readings", "bob"),
        "user_marked_for_later": ("/users/bob/readings/later", "bob"),
        "user_stats": ("/users/alice/stats", "alice"),
        "comment_detail": (f"/comments/{archive['comment'].pk}", None),
        "comment_edit": (f"/comments/{archive['comment'].pk}/edit", "bob"),
        "comment_delete": (f"/comments/{archive['comment'].pk}/delete", "alice"),
        "comment_settings": (f"/works/{work.pk}/comment_settings", "alice"),
        # The permalink redirects to the comment on its work's page.
        "comment_permalink": (f"/comments/{archive['comment'].pk}/permalink", None),
        "comment_hide": (f"/moderation/comments/{archive['comment'].pk}/hide", "moderator"),
        "user_preferences": ("/users/alice/preferences", "alice"),
        "inbox": ("/inbox", "alice"),
        "blocking_manage": ("/users/alice/blocked", "alice"),
        "search": ("/search?q=sea", None),
        "saved_filters": ("/preferences/filters", "alice"),
        "import_start": ("/works/import", "alice"),
        "import_preview": (f"/works/import/{archive['pending_import'].pk}", "alice"),
        "news_index": ("/admin_posts", None),
        "news_detail": (f"/admin_posts/{archive['news'].pk}", None),
        "news_new": ("/admin_posts/new", "admin_user"),
        "news_edit": (f"/admin_posts/{archive['news'].pk}/edit", "admin_user"),
        "news_delete": (f"/admin_posts/{archive['news'].pk}/delete", "admin_user"),
        "banner_index": ("/admin_banners", "admin_user"),
        "banner_edit": (f"/admin_banners/{archive['banner'].pk}/edit", "admin_user"),
        "banner_delete": (f"/admin_banners/{archive['banner'].pk}/delete", "admin_user"),
        "comments_held": ("/comments/held", "moderator"),
    }


def test_every_page_has_an_entry_here(archive, alice):
    listed = set(pages(archive, alice)) | POST_ONLY | NOT_PAGES | FILES | REDIRECTS
    assert url_names() == listed


def test_every_page_opens_on_a_phone(phone_page, archive, alice, bob, login_as, request):
    for name, (path, who) in pages(archive, alice).items():
        phone_page.context.clear_cookies()
        if who:
            login_as(phone_page, request.getfixturevalue(who))
        response = phone_page.goto(path)
        assert response.status == 200, f"{name}: {path} answered {response.status}"
        assert phone_page.locator("h1, h2").first.is_visible(), f"{name} has no heading"
        overflow = phone_page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px on a phone"
        assert phone_page.js_errors == [], f"{name}: {phone_page.js_errors}"


def test_missing_pages_say_so_in_the_site_layout(page, archive):
    response = page.goto("/works/999999")
    assert response.status == 404
    assert page.get_by_role("heading", name="Error 404: page not found").is_visible()
    response = page.goto("/users/nobody-here")
    assert response.status == 404


def test_others_are_told_they_may_not(page, archive, bob, login_as):
    login_as(page, bob)
    response = page.goto(f"/works/{archive['work'].pk}/edit")
    assert response.status == 403
    assert page.get_by_role(
        "heading", name="Sorry, you don't have permission to do that"
    ).is_visible()


def test_admins_give_roles_in_djangos_admin(page, archive, alice, admin_user, login_as):
    login_as(page, admin_user)
    page.goto(f"/admin/accounts/user/{alice.pk}/change/")
    page.get_by_label("Is moderator").check()
    page.get_by_label("Is tag wrangler").check()
    page.get_by_role("button", name="Save", exact=True).click()
    alice.refresh_from_db()
    assert alice.is_moderator and alice.is_tag_wrangler


def test_the_admin_is_closed_to_everyone_else(page, archive, alice, login_as):
    login_as(page, alice)
    page.goto("/admin/")
    assert "/admin/login/" in page.url
