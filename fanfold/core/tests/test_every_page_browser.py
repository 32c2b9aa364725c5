"""Every page of the site opens in Chromium on a phone: the right status, no script errors, no
sideways scrolling, a heading. The list of pages is checked against the URL configuration, so a
new page without an entry here fails this test until someone says how to open it."""

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fanfold.accounts.services import pseud_create
from fanfold.imports.services import import_start
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.browser

# Pages that only take a POST (their forms are tested where they live).
POST_ONLY = {"work_post"}
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
def archive(alice, bob, admin_user):
    work = make_work(alice, title="Tides", chapters=2, summary="Two chapters of sea.")
    draft = make_work(alice, title="Unfinished", post=False)
    pseud_create(user=alice, name="Second Name", description="Where I write poems.")
    # bob invites alice to co-create, so her Co-Creator Requests page has one to answer.
    make_work(
        bob,
        title="Shared Shore",
        pseuds=[bob.pseuds.get(), alice.pseuds.get(is_default=True)],
        accept_invitations=False,
    )
    pending = import_start(user=alice, text="Imported\n\nChapter 1\n\nText.", format="text")
    return {
        "work": work,
        "chapter": work.chapters.get(position=2),
        "draft": draft,
        "pending_import": pending,
    }


def pages(archive, alice):
    """URL name -> (path, who opens it: None for a guest or a user fixture name)."""
    work, chapter, draft = archive["work"], archive["chapter"], archive["draft"]
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
        "import_start": ("/works/import", "alice"),
        "import_preview": (f"/works/import/{archive['pending_import'].pk}", "alice"),
    }


def test_every_page_has_an_entry_here(archive, alice):
    listed = set(pages(archive, alice)) | POST_ONLY | FILES | REDIRECTS
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
