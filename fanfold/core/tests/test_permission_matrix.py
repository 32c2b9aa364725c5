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
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from fanfold.accounts.services import pseud_create
from fanfold.moderation.services import report_create
from fanfold.originality.services import repost_pair_record
from fanfold.testing.factories import make_work
from fanfold.works.models import Work
from fanfold.works.services import work_hide, work_orphan

pytestmark = pytest.mark.django_db

ROLES = ["guest", "reader", "creator", "blocked", "moderator", "admin"]
STATES = ["draft", "posted", "restricted", "hidden", "orphaned"]
OK, LOGIN, DENIED, MISSING = 200, "login", 403, 404


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


# --- The matrix: URL name -> (rule, path, is it about the work in each state?) ---------------


def matrix(things) -> dict[str, tuple]:
    work = things["work"]
    chapter = things["chapter"]
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


def _work_in_state(alice, moderator, state: str) -> Work:
    work = make_work(
        alice, title=f"Matrix {state}", chapters=2, fandoms=["Matrix Fandom"],
        post=state != "draft", is_restricted=state == "restricted",
    )  # fmt: skip
    if state == "hidden":
        work_hide(work=work, moderator=moderator, reason="Under review for the matrix.")
    if state == "orphaned":
        work_orphan(work=work, user=alice)
    return work


def _client(role: str, users: dict) -> Client:
    client = Client()
    if role != "guest":
        client.force_login(users[role])
    return client


def _outcome(response) -> object:
    if response.status_code == 302:
        return LOGIN if "/login" in response["Location"] else "redirect"
    return response.status_code


@pytest.fixture
def scene(alice, reader, bob, moderator, admin_user):
    pseud_create(user=alice, name="Second")
    users = {"creator": alice, "reader": reader, "blocked": bob, "moderator": moderator,
             "admin": admin_user}  # fmt: skip
    works = {state: _work_in_state(alice, moderator, state) for state in STATES}
    report = report_create(reporter=reader, url=f"/works/{works['posted'].pk}", category="other",
                           description="A report for the permission matrix.")  # fmt: skip
    copy = make_work(bob, title="Matrix copy", fandoms=["Matrix Fandom"])
    repost = repost_pair_record(
        work=copy, other=works["posted"], kind="full", exact=False, matched_words=40,
        share_of_work=0.9, share_of_other=0.9, name_map=[("Anna", "Mira", 3)],
    )  # fmt: skip
    return users, works, {"report": report.pk, "repost": repost.pk}


def test_every_url_has_an_entry_in_the_matrix(scene):
    _, works, ids = scene
    things = {"work": works["posted"].pk, "chapter": 1, **ids}
    assert set(matrix(things)) == url_names()


@pytest.mark.parametrize("state", STATES)
def test_every_url_answers_every_visitor_as_expected(scene, state):
    users, works, ids = scene
    work = works[state]
    chapter = work.chapters.order_by("position").last()
    things = {"work": work.pk, "chapter": chapter.pk, **ids}
    before = (Work.objects.count(), work.chapters.count())
    clients = {role: _client(role, users) for role in ROLES}
    wrong = []
    for name, entry in sorted(matrix(things).items()):
        rule, path = entry[0], entry[1]
        method = entry[2] if len(entry) > 2 else "GET"
        for role in ROLES:
            expected = rule(role, state)
            if method == "POST" and expected == OK:
                continue  # a permitted write would change the scene; its own tests cover it
            client = clients[role]
            response = client.post(path) if method == "POST" else client.get(path)
            actual = _outcome(response)
            if actual != expected:
                wrong.append(f"{name} {method} {path} as {role}: expected {expected}, got {actual}")
    assert wrong == [], "\n".join(wrong)
    assert (Work.objects.count(), work.chapters.count()) == before


@pytest.mark.parametrize("state", STATES)
def test_refused_writes_change_nothing(scene, state):
    """Every form of a work posted by someone who may not use it is refused before anything
    is stored: the work keeps its title, chapters and state."""
    users, works, _ = scene
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
