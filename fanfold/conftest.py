"""Shared test fixtures: named users who may or may not do things, and a real browser.

alice and bob are writers; alice's things are hers, and bob is the stranger who may not touch
them. reader is a plain account, moderator, wrangler and admin carry their roles."""

import itertools
import os
import shutil
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread

from fanfold.accounts.models import User
from fanfold.accounts.services import user_create

CHROMIUM = Path(os.environ.get("FANFOLD_CHROMIUM", "/usr/bin/chromium"))
PASSWORD = "correct horse battery staple"


def make_user(username: str, **roles) -> User:
    # Named users signed up as people do, accepting the Terms of Service.
    user = user_create(
        username=username,
        email=f"{username}@example.org",
        password=PASSWORD,
        accepted_terms=True,
        confirmed_age=True,
    )
    if roles:
        for name, value in roles.items():
            setattr(user, name, value)
        user.save()
    return user


@pytest.fixture
def alice(db):
    return make_user("alice")


@pytest.fixture
def bob(db):
    return make_user("bob")


@pytest.fixture
def reader(db):
    return make_user("reader")


@pytest.fixture
def moderator(db):
    return make_user("mod", is_moderator=True)


@pytest.fixture
def wrangler(db):
    return make_user("wrangler", is_tag_wrangler=True)


@pytest.fixture
def admin_user(db):
    return make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture
def client_for():
    """client_for(user) gives a Django test client logged in as that user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make


# --- Browser -------------------------------------------------------------------------------


class _SerialLiveServer(ThreadedWSGIServer):
    """The live server's threads share one SQLite connection in tests (an in-memory database
    can't be opened twice), so two requests at once (a form post while an autocomplete request
    is in flight) could interleave transactions ("cannot start a transaction within a
    transaction"). Requests still arrive on many connections but run one at a time."""

    _lock = threading.Lock()

    def set_app(self, application):
        def serial(environ, start_response):
            with self._lock:
                return application(environ, start_response)

        super().set_app(serial)


LiveServerThread.server_class = _SerialLiveServer


@pytest.fixture(autouse=True)
def _rate_limit_clock(monkeypatch):
    """Rate limits count in fixed windows; pin their clock to the start of today so no test's
    requests fall into two windows (a test near the end of a minute was let through)."""
    import time

    start_of_day = int(time.time()) // 86400 * 86400 + 1
    monkeypatch.setattr("fanfold.core.ratelimit._clock", lambda: float(start_of_day))


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (cached fragments are keyed by content, but SQLite
    reuses ids between tests)."""
    from django.core.cache import cache

    cache.clear()


_index_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def _own_originality_index(settings):
    """Each test its own repost index (on disk, beside the data), as each has its own database.
    A shared one grew with every work any earlier test in the process posted: every check
    opened dozens of segments, and found "copies" among works of earlier tests whose ids the
    database had since given to other works."""
    directory = Path(settings.DATA_DIR) / "originality-per-test" / str(next(_index_numbers))
    settings.FANFOLD_ORIGINALITY_INDEX_DIR = directory
    yield
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fixed_tags_after_flush(request):
    """Live-server tests run in transactional_db, which empties every table after each test and
    with them the ratings, warnings, categories and media a migration creates; put those back so
    every test starts from an archive as the migrations leave it."""
    if "transactional_db" not in request.fixturenames and "live_server" not in (
        request.fixturenames
    ):
        return
    request.getfixturevalue("transactional_db")
    from fanfold.tags.models import CATEGORIES, MEDIA, RATINGS, WARNINGS, Tag

    for type_, names in (
        ("rating", RATINGS),
        ("warning", WARNINGS),
        ("category", CATEGORIES),
        ("media", MEDIA),
    ):
        for name in names:
            Tag.objects.get_or_create(name=name, defaults={"type": type_, "canonical": True})


@pytest.fixture(scope="session")
def _playwright():
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium is needed for the browser tests and is missing at {CHROMIUM}; "
            "`make test` installs it (Debian package chromium)."
        )
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-dev-shm-usage",
        ],
    )
    yield browser
    browser.close()


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    # Whatever the Content Security Policy blocks (an inline script or style, a foreign
    # script) counts as a script error too: it means a feature silently doesn't work.
    def console(message):
        if message.type == "error" and "Content Security Policy" in message.text:
            errors.append(message.text)

    page.on("console", console)
    page.js_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A desktop-sized browser tab on the live test server."""
    context, page = _new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized browser tab (a 390x844 touch screen) on the live test server."""
    context, page = _new_page(
        browser,
        live_server,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )
    yield page
    context.close()


@pytest.fixture
def login_as(live_server):
    """login_as(page, user) logs the browser tab in without going through the login form (the
    login form has its own browser test)."""

    def login(page, user):
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        assert client.session[SESSION_KEY] == str(user.pk)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session_cookie.value,
                    "url": live_server.url,
                }
            ]
        )
        return page

    return login
