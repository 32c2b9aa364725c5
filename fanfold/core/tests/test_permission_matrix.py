"""The permission matrix: every URL of the archive, opened by every kind of visitor (a guest,
a reader, the work's creator, a user the creator blocked, a moderator, an admin), against a
work in every state (draft, posted, restricted, hidden by moderators, orphaned), answers
exactly as expected: the page (200), the login page (302 to /login), "not allowed" (403) or
"not found" (404). Writes are tried too: a POST by someone who may not must be refused the same
way and change nothing. A new URL without an entry in MATRIX fails the test, so nobody can add
a page without deciding who may open it.

Rules are written per kind of page (READ_WORK, CREATOR, OWNER, ...) rather than cell by cell,
so each rule reads as the sentence it stands for."""

import pytest
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fanfold.accounts.services import pseud_create
from fanfold.blocking.services import user_block
from fanfold.bookmarks.services import bookmark_create
from fanfold.comments.services import comment_create
from fanfold.conftest import make_user
from fanfold.imports.models import EfictionStory
from fanfold.imports.services import import_start
from fanfold.moderation.services import report_create
from fanfold.news.services import banner_create, news_post_create
from fanfold.originality.services import repost_pair_record
from fanfold.savedfilters.services import exclusion_create, saved_filter_create
from fanfold.series.models import Series
from fanfold.series.services import series_add_work, series_create
from fanfold.subscriptions.services import subscription_create
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import work_hide, work_orphan

pytestmark = pytest.mark.django_db

ROLES = ["guest", "reader", "creator", "blocked", "moderator", "admin"]
STATES = ["draft", "posted", "restricted", "hidden", "orphaned"]
OK, LOGIN, DENIED, MISSING = 200, "login", 403, 404
MOVED = 301  # an old address's permanent redirect
PREPARING = 202  # a download being made: the page saying so, with the file to follow


# --- Rules ----------------------------------------------------------------------------------


def can_read(role: str, state: str) -> object:
    """Who may open a work in each state."""
    if state == "draft":
        return OK if role == "creator" else MISSING
    if state == "restricted" and role == "guest":
        return LOGIN
    if state == "hidden":
        return OK if role in ("creator", "moderator", "admin") else MISSING
    return OK


def creator_only(role: str, state: str) -> object:
    """Editing a work: its creators only. Guests log in first; people who can't even see the
    work (another's draft, a hidden work) are told it isn't there; the rest are refused. After
    orphaning, the former creator is a stranger to the work."""
    if role == "guest":
        return LOGIN
    is_creator = role == "creator" and state != "orphaned"
    if is_creator:
        return OK
    if state == "draft" or state == "hidden":
        return MISSING
    return DENIED


def creator_of_readable(role: str, state: str) -> object:
    """A creator's own view of a work (its sources panel): others who may read the work are
    refused, others who may not are told it isn't there."""
    if role == "guest":
        return LOGIN
    if role == "creator" and state != "orphaned":
        return OK
    return DENIED if can_read(role, state) == OK else MISSING


def admins(role: str, state: str) -> object:
    if role == "guest":
        return LOGIN
    return OK if role == "admin" else DENIED


def public(role: str, state: str) -> object:
    return OK


def logged_in(role: str, state: str) -> object:
    return LOGIN if role == "guest" else OK


def owner_only(role: str, state: str) -> object:
    """alice's own account pages (the creator role is alice)."""
    if role == "guest":
        return LOGIN
    return OK if role == "creator" else DENIED


def moderators(role: str, state: str) -> object:
    if role == "guest":
        return LOGIN
    return OK if role in ("moderator", "admin") else DENIED


def logged_in_or_sent_home(role: str, state: str) -> object:
    """Log out: a guest has nothing to log out of and is sent to the home page."""
    return "redirect" if role == "guest" else OK


def wranglers(role: str, state: str) -> object:
    """Wrangling: tag wranglers and admins (the matrix's roles include no wrangler, so admins
    stand for them; wranglers' own tests cover the role)."""
    if role == "guest":
        return LOGIN
    return OK if role == "admin" else DENIED


def guests_only(role: str, state: str) -> object:
    """Sign-up and log-in: logged-in users are sent on to their own pages."""
    return OK if role == "guest" else "redirect"


def listed(role: str, state: str) -> object:
    """Reaching a work through something else that lists it (adding it to a series, an old
    link): as reading it, except that a hidden work is reached this way by its creators only
    (Work.objects.visible_to)."""
    if state == "hidden":
        return OK if role == "creator" else MISSING
    return can_read(role, state)


def gathered(role: str, state: str) -> object:
    """Seeing a work where pages gather it (a series, a bookmark): as reading it, so
    moderators see hidden works there as on the work's own page (works_gathered_for)."""
    return can_read(role, state)


def creator_of_listed(role: str, state: str) -> object:
    """Adding a work to a series: its creators; others who see the work are refused, others
    (moderators included, for a hidden work) are told it isn't there."""
    if role == "guest":
        return LOGIN
    if role == "creator" and state != "orphaned":
        return OK
    return DENIED if listed(role, state) == OK else MISSING


def readable_posted(role: str, state: str) -> object:
    """Pages about a posted work (its bookmarks, its downloads...): a draft has none, not even
    for its creator; otherwise as reading the work."""
    return MISSING if state == "draft" else can_read(role, state)


def logged_in_reader_of_posted(role: str, state: str) -> object:
    """Bookmarking a posted work: guests log in first. The reader, who bookmarked it already,
    is sent on to their bookmark's edit form. A hidden work is bookmarked by nobody: those who
    still read it are told why."""
    if role == "guest":
        return LOGIN
    readable = readable_posted(role, state)
    if state == "hidden" and readable == OK:
        return DENIED
    if role == "reader" and readable == OK:
        return "redirect"
    return readable


def downloadable(role: str, state: str) -> object:
    """Downloads: posted works only, and never a hidden one (not even for its creator or
    moderators: a file, once out, can't be hidden again)."""
    if state == "hidden":
        return MISSING
    readable = readable_posted(role, state)
    # In tests the file is made after the request's transaction, so the answer is "preparing".
    return PREPARING if readable == OK else readable


def may_comment(role: str, state: str) -> object:
    """Commenting on the work: whoever may read a posted, visible work, except a user one of
    its creators blocked (bob, while alice is still its creator)."""
    readable = can_read(role, state)
    if readable != OK:
        return readable
    if state == "draft":
        return DENIED  # its creator sees it, but comments wait until it is posted
    if state == "hidden":
        return DENIED  # creators and moderators see it, but nobody comments on a hidden work
    if role == "blocked" and state != "orphaned":
        return DENIED
    return OK


def kudos_givers(role: str, state: str) -> object:
    """Kudos: whoever may read a posted work (a blocked user too: blocks stop comments, not
    kudos), but nobody on a hidden work, which is "not found" to all (it is under review); a
    creator's kudos on their own work is turned back with a message."""
    if state == "hidden":
        return MISSING
    readable = readable_posted(role, state)
    if readable == OK and role == "creator" and state != "orphaned":
        return "redirect"
    return readable


def logged_in_may_see_work(role: str, state: str) -> object:
    """Marking a work for later: an account, and a work the user may see."""
    return LOGIN if role == "guest" else can_read(role, state)


def comment_visible(role: str, state: str) -> object:
    """A comment's page: as its work (no comment can exist on a draft: the scene's "draft"
    comment id is of no comment)."""
    return readable_posted(role, state)


def comment_author(role: str, state: str) -> object:
    """Editing a comment: its author (the reader) only; others who may see it are refused,
    others are told it isn't there."""
    if role == "guest":
        return LOGIN
    seen = comment_visible(role, state)
    if seen != OK:
        return seen
    return OK if role == "reader" else DENIED


def comment_deleters(role: str, state: str) -> object:
    """Deleting a comment: its author, the work's creators and moderators."""
    if role == "guest":
        return LOGIN
    seen = comment_visible(role, state)
    if seen != OK:
        return seen
    is_creator = role == "creator" and state != "orphaned"
    return OK if role in ("reader", "moderator", "admin") or is_creator else DENIED


def comment_managers(role: str, state: str) -> object:
    """Freezing and approving comments: the work's creators and moderators."""
    if role == "guest":
        return LOGIN
    seen = comment_visible(role, state)
    if seen != OK:
        return seen
    is_creator = role == "creator" and state != "orphaned"
    return OK if role in ("moderator", "admin") or is_creator else DENIED


def comment_in_place(role: str, state: str) -> object:
    """A comment's permalink: whoever may see the comment is sent on to it on its work's page
    (guests log in first for a restricted work)."""
    seen = comment_visible(role, state)
    return "redirect" if seen == OK else seen


def comment_moderators(role: str, state: str) -> object:
    """Hiding a comment pending review and making it visible again: moderators only (the
    work's creators too are refused); there is no comment on a draft."""
    if role == "guest":
        return LOGIN
    if role not in ("moderator", "admin"):
        return DENIED
    return MISSING if state == "draft" else OK


def series_visible(role: str, state: str) -> object:
    """A series (alice's, holding only the work in this state): shown to its owner always and
    to others when they may see one of its works. Unlike a work, a series asks nobody to log
    in: a guest who may not see its works is told it isn't there."""
    if role == "creator":
        return OK
    return OK if gathered(role, state) == OK else MISSING


def series_owner(role: str, state: str) -> object:
    """Changing a series: its owner (alice, who stays its owner when a work in it is
    orphaned); others who may see it are refused, the rest told it isn't there."""
    if role == "guest":
        return LOGIN
    if role == "creator":
        return OK
    return DENIED if series_visible(role, state) == OK else MISSING


def logged_in_series_visible(role: str, state: str) -> object:
    """Bookmarking a series: an account and a series the user may see. The reader, who
    bookmarked the posted work's series already (privately), is sent on to that bookmark."""
    if role == "guest":
        return LOGIN
    if role == "reader" and state == "posted":
        return "redirect"
    return series_visible(role, state)


def bookmark_visible(role: str, state: str) -> object:
    """The reader's bookmark of the work (in the draft column: the reader's PRIVATE bookmark of
    a series, which only the reader may see). Bookmarks of works one may not see are
    not there; a public bookmark of a restricted work is not there for guests either."""
    if state == "draft":
        return OK if role == "reader" else MISSING
    if state == "restricted" and role == "guest":
        return MISSING
    return gathered(role, state)


def bookmark_owner(role: str, state: str) -> object:
    """Changing a bookmark: its owner (the reader) only."""
    if role == "guest":
        return LOGIN
    seen = bookmark_visible(role, state)
    if seen != OK:
        return seen
    return OK if role == "reader" else DENIED


def subscriber_only(role: str, state: str) -> object:
    """Unsubscribing: the subscriber (the reader) only."""
    if role == "guest":
        return LOGIN
    return OK if role == "reader" else DENIED


def own_preference(role: str, state: str) -> object:
    """alice's saved filter or exclusion: only alice may delete it; to anyone else it does not
    exist (their own preferences are looked up, not hers)."""
    if role == "guest":
        return LOGIN
    return OK if role == "creator" else MISSING


def old_link_followed(role: str, state: str) -> object:
    """viewstory.php?sid=N of an imported eFiction archive: a permanent redirect to the work
    for whoever sees it in listings; to anyone else (a guest, for a restricted work) the same
    "not found" as an unknown number."""
    if state == "restricted" and role == "guest":
        return MISSING
    return MOVED if listed(role, state) == OK else MISSING


def dismissing(role: str, state: str) -> object:
    """Dismissing the banner: anyone, sent back to the page they were on."""
    return "redirect"


# --- The matrix: URL name -> (rule, path, is it about the work in each state?) ---------------


def matrix(things) -> dict[str, tuple]:
    work = things["work"]
    chapter = things["chapter"]
    series, bookmark, comment = things["series"], things["bookmark"], things["comment"]
    return {
        "home": (public, "/"),
        "terms_of_service": (public, "/tos"),
        "signup": (guests_only, "/signup"),
        "login": (guests_only, "/login"),
        "logout": (logged_in_or_sent_home, "/logout"),
        "password_reset": (public, "/password_reset"),
        "password_reset_done": (public, "/password_reset/sent"),
        "password_reset_confirm": (public, "/password_reset/MQ/bad-token"),
        "password_reset_complete": (public, "/password_reset/complete"),
        "invitation_request": (public, "/invite_requests"),
        "user_detail": (public, "/users/alice"),
        "user_invitations": (owner_only, "/users/alice/invitations"),
        "password_change": (owner_only, "/users/alice/password"),
        "user_delete": (owner_only, "/users/alice/delete"),
        "pseud_index": (public, "/users/alice/pseuds"),
        "pseud_new": (owner_only, "/users/alice/pseuds/new"),
        "pseud_detail": (public, "/users/alice/pseuds/Second"),
        "pseud_edit": (owner_only, "/users/alice/pseuds/Second/edit"),
        "pseud_delete": (owner_only, "/users/alice/pseuds/Second/delete"),
        "work_index": (public, "/works"),
        "work_new": (logged_in, "/works/new"),
        "work_detail": (can_read, f"/works/{work}"),
        "work_navigate": (can_read, f"/works/{work}/navigate"),
        "chapter_detail": (can_read, f"/works/{work}/chapters/{chapter}"),
        "work_edit": (creator_only, f"/works/{work}/edit"),
        "work_preview": (creator_only, f"/works/{work}/preview"),
        "work_post": (creator_only, f"/works/{work}/post", "POST"),
        "work_delete": (creator_only, f"/works/{work}/delete"),
        "work_orphan": (creator_only, f"/works/{work}/orphan"),
        "chapter_new": (creator_only, f"/works/{work}/chapters/new"),
        "chapter_edit": (creator_only, f"/works/{work}/chapters/{chapter}/edit"),
        "chapter_delete": (creator_only, f"/works/{work}/chapters/{chapter}/delete"),
        "chapters_manage": (creator_only, f"/works/{work}/chapters/manage"),
        "user_works": (public, "/users/alice/works"),
        "user_drafts": (owner_only, "/users/alice/works/drafts"),
        "user_creatorships": (owner_only, "/users/alice/creatorships"),
        "pseud_works": (public, "/users/alice/pseuds/Second/works"),
        "tag_works": (public, "/tags/Matrix Fandom/works"),
        "tag_detail": (public, "/tags/Matrix Fandom"),
        "tag_edit": (wranglers, "/tags/Matrix Fandom/edit"),
        "tag_history": (wranglers, "/tags/Matrix Fandom/history"),
        "wrangling_home": (wranglers, "/tags/wrangling"),
        "wrangling_queue": (wranglers, "/tags/wrangling/queue?type=fandom"),
        "media_index": (public, "/media"),
        "media_fandoms": (public, "/media/Uncategorized Fandoms/fandoms"),
        "originality_queue": (moderators, "/originality/reports"),
        "originality_report": (moderators, f"/originality/reports/{things['repost']}"),
        "originality_report_dismiss": (
            moderators,
            f"/originality/reports/{things['repost']}/dismiss",
            "POST",
        ),
        "originality_report_hide": (
            moderators,
            f"/originality/reports/{things['repost']}/hide",
            "POST",
        ),
        "originality_library": (admins, "/originality/library"),
        "originality_source_delete": (admins, "/originality/library/1/delete", "POST"),
        "originality_work_sources": (creator_of_readable, f"/works/{work}/sources"),
        "originality_source_credit": (
            creator_of_readable,
            f"/works/{work}/sources/1/credit",
            "POST",
        ),
        "tag_autocomplete": (public, "/autocomplete/tags?type=fandom&term=Mat"),
        "report_new": (public, f"/abuse/report?url=/works/{work}"),
        "moderation_queue": (moderators, "/moderation"),
        "moderation_report": (moderators, f"/moderation/reports/{things['report']}"),
        "moderation_user": (moderators, "/moderation/users/alice"),
        "moderation_spam": (moderators, "/moderation/spam", "POST"),
        "moderation_audit": (moderators, "/moderation/audit"),
        # Blocking
        "blocking_manage": (owner_only, "/users/alice/blocked"),
        "user_block": (logged_in, "/users/alice/block", "POST"),
        # Bookmarks
        "bookmark_detail": (bookmark_visible, f"/bookmarks/{bookmark}"),
        "bookmark_edit": (bookmark_owner, f"/bookmarks/{bookmark}/edit"),
        "bookmark_delete": (bookmark_owner, f"/bookmarks/{bookmark}/delete"),
        "work_bookmarks": (readable_posted, f"/works/{work}/bookmarks"),
        "work_bookmark_new": (logged_in_reader_of_posted, f"/works/{work}/bookmarks/new"),
        "series_bookmarks": (series_visible, f"/series/{series}/bookmarks"),
        "series_bookmark_new": (logged_in_series_visible, f"/series/{series}/bookmarks/new"),
        "user_bookmarks": (public, "/users/reader/bookmarks"),
        # Comments, kudos, inbox
        "comment_create": (may_comment, f"/works/{work}/comments", "POST"),
        "comment_settings": (creator_of_readable, f"/works/{work}/comment_settings"),
        "comment_detail": (comment_visible, f"/comments/{comment}"),
        "comment_edit": (comment_author, f"/comments/{comment}/edit"),
        "comment_delete": (comment_deleters, f"/comments/{comment}/delete"),
        "comment_freeze": (comment_managers, f"/comments/{comment}/freeze", "POST"),
        "comment_approve": (comment_managers, f"/comments/{comment}/approve", "POST"),
        "comment_permalink": (comment_in_place, f"/comments/{comment}/permalink"),
        "comment_hide": (comment_moderators, f"/moderation/comments/{comment}/hide"),
        "comment_unhide": (comment_moderators, f"/moderation/comments/{comment}/unhide", "POST"),
        "user_preferences": (owner_only, "/users/alice/preferences"),
        "kudos_create": (kudos_givers, f"/works/{work}/kudos", "POST"),
        "inbox": (logged_in, "/inbox"),
        "inbox_update": (logged_in, "/inbox/update", "POST"),
        # Series
        "series_new": (logged_in, "/series/new"),
        "series_detail": (series_visible, f"/series/{series}"),
        "series_edit": (series_owner, f"/series/{series}/edit"),
        "series_delete": (series_owner, f"/series/{series}/delete"),
        "series_manage": (series_owner, f"/series/{series}/manage"),
        "series_remove_work": (series_owner, f"/series/{series}/works/{work}/remove", "POST"),
        "work_add_to_series": (creator_of_listed, f"/works/{work}/series"),
        "user_series": (public, "/users/alice/series"),
        # Subscriptions, history, stats
        "subscription_create": (logged_in, "/subscriptions", "POST"),
        "subscription_delete": (
            subscriber_only,
            f"/subscriptions/{things['subscription']}/delete",
            "POST",
        ),
        "user_subscriptions": (owner_only, "/users/alice/subscriptions"),
        "user_history": (owner_only, "/users/alice/readings"),
        "user_marked_for_later": (owner_only, "/users/alice/readings/later"),
        "history_clear": (owner_only, "/users/alice/readings/clear", "POST"),
        "history_settings": (owner_only, "/users/alice/readings/settings", "POST"),
        "mark_for_later": (logged_in_may_see_work, f"/works/{work}/mark_for_later", "POST"),
        "unmark_for_later": (logged_in_may_see_work, f"/works/{work}/mark_as_read", "POST"),
        "user_stats": (owner_only, "/users/alice/stats"),
        # Downloads, search, saved filters
        "work_download": (downloadable, f"/downloads/{work}/matrix.html"),
        "search": (public, "/search?q=matrix"),
        "tag_feed": (public, "/tags/Matrix Fandom/feed.atom"),
        "saved_filters": (logged_in, "/preferences/filters"),
        "saved_filter_create": (logged_in, "/preferences/filters/save", "POST"),
        "saved_filter_delete": (
            own_preference,
            f"/preferences/filters/{things['saved_filter']}/delete",
            "POST",
        ),
        "exclusion_create": (logged_in, "/preferences/exclusions/add", "POST"),
        "exclusion_delete": (
            own_preference,
            f"/preferences/exclusions/{things['exclusion']}/delete",
            "POST",
        ),
        # Imports
        "import_start": (logged_in, "/works/import"),
        "import_preview": (owner_only, f"/works/import/{things['pending_import']}"),
        "efiction_viewstory": (old_link_followed, f"/viewstory.php?sid={things['sid']}"),
        # Site news, banners, held comments (a published post anyone may comment on)
        "news_index": (public, "/admin_posts"),
        "news_feed": (public, "/admin_posts/feed.atom"),
        "news_detail": (public, f"/admin_posts/{things['news_post']}"),
        "news_new": (admins, "/admin_posts/new"),
        "news_edit": (admins, f"/admin_posts/{things['news_post']}/edit"),
        "news_delete": (admins, f"/admin_posts/{things['news_post']}/delete"),
        "news_comment_create": (public, f"/admin_posts/{things['news_post']}/comments", "POST"),
        "banner_index": (admins, "/admin_banners"),
        "banner_edit": (admins, f"/admin_banners/{things['banner']}/edit"),
        "banner_delete": (admins, f"/admin_banners/{things['banner']}/delete"),
        "banner_dismiss": (dismissing, f"/banners/{things['banner']}/dismiss", "POST"),
        "comments_held": (moderators, "/comments/held"),
    }


def url_names(patterns=None, namespace=None) -> set[str]:
    names: set[str] = set()
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # Django's admin: staff only, checked by Django and test_admin
            names |= url_names(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


# --- Setting the scene ----------------------------------------------------------------------


def _work_in_state(alice, reader, moderator, state: str) -> tuple[Work, dict]:
    """The work in this state, with alice's series holding it and, where the work was posted,
    the reader's bookmark of it and comment on it, all made before it was hidden or orphaned
    (as they would have been on a live archive)."""
    work = make_work(
        alice, title=f"Matrix {state}", chapters=2, fandoms=["Matrix Fandom"],
        post=state != "draft", is_restricted=state == "restricted",
    )  # fmt: skip
    series = series_create(user=alice, title=f"Matrix series {state}", summary="For the matrix.")
    series_add_work(series=series, work=work, user=alice)
    things = {"series": series.pk, "bookmark": 0, "comment": 999_999}  # 999_999: no comment
    things["sid"] = EfictionStory.objects.create(sid=100 + STATES.index(state), work=work).sid
    if state != "draft":
        things["bookmark"] = bookmark_create(user=reader, work=work, notes="Matrix notes.").pk
        comment = comment_create(work=work, user=reader, content="<p>A matrix comment.</p>")
        things["comment"] = comment.pk
    if state == "hidden":
        work_hide(work=work, moderator=moderator, reason="Under review for the matrix.")
    if state == "orphaned":
        work_orphan(work=work, user=alice)
    return work, things


def _client(role: str, users: dict) -> Client:
    client = Client()
    if role != "guest":
        client.force_login(users[role])
    return client


def _outcome(response) -> object:
    if response.status_code == 302:
        return LOGIN if "/login" in response["Location"] else "redirect"
    return response.status_code


def _build_scene() -> tuple[dict, dict, dict, dict]:
    """alice's works in every state and what the pages about them need. The "blocked" role is
    bob, whom alice blocked; what must exist of others is the reader's."""
    alice, bob, reader = make_user("alice"), make_user("bob"), make_user("reader")
    moderator = make_user("mod", is_moderator=True)
    admin_user = make_user("admin", is_superuser=True, is_staff=True)
    pseud_create(user=alice, name="Second")
    user_block(user=alice, blocked=bob)
    users = {"creator": alice, "reader": reader, "blocked": bob, "moderator": moderator,
             "admin": admin_user}  # fmt: skip
    made = {state: _work_in_state(alice, reader, moderator, state) for state in STATES}
    works = {state: made[state][0] for state in STATES}
    per_state = {state: made[state][1] for state in STATES}
    # The draft column's bookmark (a draft has none) is the reader's private bookmark of the
    # posted work's series.
    per_state["draft"]["bookmark"] = bookmark_create(
        user=reader, series=Series.objects.get(pk=per_state["posted"]["series"]), is_private=True
    ).pk
    report = report_create(reporter=reader, url=f"/works/{works['posted'].pk}", category="other",
                           description="A report for the permission matrix.")  # fmt: skip
    copy = make_work(bob, title="Matrix copy", fandoms=["Matrix Fandom"])
    repost = repost_pair_record(
        work=copy, other=works["posted"], kind="full", exact=False, matched_words=40,
        share_of_work=0.9, share_of_other=0.9, name_map=[("Anna", "Mira", 3)],
    )  # fmt: skip
    subscription = subscription_create(user=reader, work=works["posted"])
    saved = saved_filter_create(user=alice, name="Matrix", path="/works", query="sort=title")
    exclusion = exclusion_create(user=alice, creator_name="bob")
    pending = import_start(user=alice, text="Matrix import\n\nA pasted story for the matrix.")
    news = news_post_create(user=admin_user, title="Matrix news", body="<p>News.</p>")
    banner = banner_create(user=admin_user, text="Matrix banner")
    ids = {"report": report.pk, "repost": repost.pk, "subscription": subscription.pk,
           "saved_filter": saved.pk, "exclusion": exclusion.pk,
           "pending_import": pending.pk, "news_post": news.pk, "banner": banner.pk}  # fmt: skip
    return users, works, ids, per_state


@pytest.fixture(scope="module")
def scene(django_db_setup, django_db_blocker):
    """The scene, built once for the module (once per test process) inside a transaction that
    is rolled back after the module's last test. Each test runs inside a savepoint of it
    (pytest-django's database fixture, as for any test), rolled back after the test, so every
    test starts from the scene as built and nothing one test does is seen by another.
    Building it once instead of for each of the module's tests saves a dozen builds."""
    with django_db_blocker.unblock():
        # Marked as Django's TestCase marks its own outer transaction, so code that asks for a
        # durable (outermost) transaction behaves as in any other test.
        outer = transaction.atomic()
        outer._from_testcase = True  # type: ignore[attr-defined]
        outer.__enter__()
        try:
            yield _build_scene()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _things(works, ids, per_state, state: str) -> dict:
    work = works[state]
    chapter = work.chapters.order_by("position").last()
    return {"work": work.pk, "chapter": chapter.pk, **ids, **per_state[state]}


def _requests_by_state(scene) -> dict[tuple[str, str, str], dict[str, object]]:
    """Every request the matrix makes, (URL name, method, path) -> {state: rule}: the states in
    which the matrix opens that path and the rule it expects there."""
    _, works, ids, per_state = scene
    requests: dict[tuple[str, str, str], dict[str, object]] = {}
    for state in STATES:
        for name, entry in matrix(_things(works, ids, per_state, state)).items():
            rule, path = entry[0], entry[1]
            method = entry[2] if len(entry) > 2 else "GET"
            requests.setdefault((name, method, path), {})[state] = rule
    return requests


def _check(requests, states: list[str], users: dict) -> list[str]:
    """Makes each request once per role and compares its answer with what the rule expects in
    each of `states`; returns the cells that answered wrongly."""
    clients = {role: _client(role, users) for role in ROLES}
    wrong = []
    for (name, method, path), rules in sorted(requests.items()):
        for role in ROLES:
            expected = {state: rules[state](role, state) for state in states}
            if method == "POST":
                # A permitted write would change the scene; its own tests cover it.
                expected = {state: answer for state, answer in expected.items() if answer != OK}
                if not expected:
                    continue
            client = clients[role]
            response = client.post(path) if method == "POST" else client.get(path)
            actual = _outcome(response)
            for state, answer in expected.items():
                if actual != answer:
                    wrong.append(
                        f"{name} {method} {path} as {role} ({state}): "
                        f"expected {answer}, got {actual}"
                    )
    return wrong


def _sizes() -> list[tuple[int, int]]:
    return list(Work.objects.order_by("pk").values_list("pk", Count("chapters")))


def test_every_url_has_an_entry_in_the_matrix(scene):
    _, works, ids, per_state = scene
    assert set(matrix(_things(works, ids, per_state, "posted"))) == url_names()


@pytest.mark.parametrize("state", STATES)
def test_every_url_answers_every_visitor_as_expected(scene, state):
    """The URLs about the work in this state (its pages, its series, bookmark, comment...)."""
    users = scene[0]
    requests = {
        key: rules
        for key, rules in _requests_by_state(scene).items()
        if set(rules) != set(STATES)  # the same path in every state: checked once, below
    }
    assert requests, "no URL of the matrix is about the work"
    before = _sizes()
    wrong = _check({key: rules for key, rules in requests.items() if state in rules}, [state],
                   users)  # fmt: skip
    assert wrong == [], "\n".join(wrong)
    assert _sizes() == before


def test_urls_alike_in_every_state_answer_every_visitor_as_expected(scene):
    """URLs whose path is the same in every state (the home page, alice's account pages,
    moderation, news...) ask the same question of the same scene in every state, so each is
    opened once per visitor and its answer compared with the rule for every state: each cell
    of the matrix is still checked, without making the same request five times."""
    users = scene[0]
    requests = {
        key: rules for key, rules in _requests_by_state(scene).items() if set(rules) == set(STATES)
    }
    before = _sizes()
    wrong = _check(requests, STATES, users)
    assert wrong == [], "\n".join(wrong)
    assert _sizes() == before


@pytest.mark.parametrize("state", STATES)
def test_refused_writes_change_nothing(scene, state):
    """Every form of a work posted by someone who may not use it is refused before anything
    is stored: the work keeps its title, chapters and state."""
    users, works, _, _ = scene
    work = works[state]
    chapter = work.chapters.order_by("position").first()
    snapshot = Work.objects.filter(pk=work.pk).values().get()
    paths = [f"/works/{work.pk}/edit", f"/works/{work.pk}/post", f"/works/{work.pk}/delete",
             f"/works/{work.pk}/orphan", f"/works/{work.pk}/chapters/new",
             f"/works/{work.pk}/chapters/{chapter.pk}/edit",
             f"/works/{work.pk}/chapters/{chapter.pk}/delete",
             f"/works/{work.pk}/chapters/manage"]  # fmt: skip
    data = {"title": "Taken over", "action": "post", "content": "<p>Mine now.</p>"}
    for role in ["guest", "reader", "blocked", "moderator", "admin"]:
        client = _client(role, users)
        for path in paths:
            assert _outcome(client.post(path, data)) in (LOGIN, DENIED, MISSING), (role, path)
    assert Work.objects.filter(pk=work.pk).values().get() == snapshot
    assert work.chapters.count() == 2
