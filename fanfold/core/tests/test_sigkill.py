"""Nothing half-stored after a crash: a real server process (gunicorn) is killed with SIGKILL in
the middle of a multi-step write, restarted, and the archive holds either all of the write or
none of it, and still serves pages. On the database the suite runs on (SQLite file in WAL mode,
or PostgreSQL).

"In the middle" is seen the way the database sees it (fanfold.testing.server.
write_in_progress): SQLite's write lock held by the server, or a PostgreSQL backend holding a
row lock on the chapters table inside an uncommitted transaction; never a guessed sleep.

- Importing a 200-chapter file (the preview's "save" makes the work with every chapter, its
  tags and counts in one request and one transaction, fanfold.imports.services.import_save):
  no request of the posting form makes more than one chapter, so this is the path that writes
  a whole long work at once.
- Posting that 200-chapter draft (every chapter becomes visible, counts, tag counts and the
  search index follow, fanfold.works.services.work_post).
"""

import random
import re
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

from fanfold.imports.models import PendingImport
from fanfold.imports.services import import_start
from fanfold.search.query import parse_query
from fanfold.search.selectors import works_matching
from fanfold.tags.models import Tag
from fanfold.testing.server import (
    ArchiveServer,
    Browser,
    copy_back_from,
    database_url_for_test,
    form_fields,
    session_cookie_for,
    write_in_progress,
)
from fanfold.works.models import Chapter, Work

pytestmark = pytest.mark.django_db(transaction=True)

CHAPTERS = 200
WORDS = [
    "harbour",
    "lantern",
    "tide",
    "rope",
    "gull",
    "quiet",
    "morning",
    "boat",
    "sail",
    "salt",
    "net",
    "shore",
    "stone",
]
# Tables a request may write outside the transaction under test (the session, rate-limit and
# login bookkeeping): everything else must be exactly as before the crash.
# Seconds the write must be seen in progress without a break before the kill.
HELD_FOR = 0.1
BOOKKEEPING = {"django_session", "core_ratelimitcounter"}


def story_text(title: str) -> str:
    """A generated plain-text story of CHAPTERS chapters (a few hundred words each)."""
    rng = random.Random(title)
    chapters = []
    for number in range(1, CHAPTERS + 1):
        paragraphs = [
            " ".join(rng.choice(WORDS) for _ in range(120)).capitalize() + "." for _ in range(8)
        ]
        chapters.append(f"Chapter {number}: Part {number}\n\n" + "\n\n".join(paragraphs))
    return f"{title}\n\n" + "\n\n".join(chapters) + "\n"


def table_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in connection.introspection.table_names(cursor):
            if table in BOOKKEEPING or table.startswith("sqlite_"):
                continue
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
            counts[table] = cursor.fetchone()[0]
        return counts


def data_files(data_dir: Path) -> set[str]:
    """Files the archive keeps under its data directory (not the server's own log)."""
    return {
        str(p.relative_to(data_dir))
        for p in data_dir.rglob("*")
        if p.is_file() and p.name not in {"server.log", "secret_key"}
    }


def kill_during_write(server: ArchiveServer, table: str, send, held_for: float = HELD_FOR) -> dict:
    """Send a request (in a thread), wait until its write transaction is seen in progress on
    `table`, and SIGKILL the server then. Fails if the write finished before it was seen."""
    outcome: dict = {}

    def run():
        try:
            outcome["response"] = send()
        except OSError as error:  # the connection dies with the server
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    # Held continuously for a while: a lock held that long is the long transaction, not a
    # millisecond of rate-limit or session bookkeeping (on PostgreSQL the lock on the chapters
    # table already says which write it is).
    held_since = None
    seen = False
    while thread.is_alive():
        if write_in_progress(server.database_url, table):
            held_since = held_since or time.monotonic()
            if time.monotonic() - held_since >= held_for:
                seen = True
                server.kill()
                break
        else:
            held_since = None
        time.sleep(0.001)  # a check takes well under a millisecond: see short holds whole
    thread.join(timeout=60)
    assert seen, f"the write finished before it was seen in progress: {outcome}"
    assert "response" not in outcome, "the server answered although it was killed first"
    return outcome


def assert_serves_pages(browser: Browser, *paths: str) -> None:
    for path in ("/", "/works", *paths):
        status, body, _ = browser.get(path)
        assert status == 200, (path, status, body[:500])


def preview_post(browser: Browser, pending: PendingImport, fandom: str) -> list:
    """The preview form as the writer sends it: what the page offers, with the required tags."""
    status, body, _ = browser.get(f"/works/import/{pending.pk}")
    assert status == 200, body[:500]
    required = {"rating", "warnings", "fandoms"}
    fields = [(k, v) for k, v in form_fields(body, "chapters-TOTAL_FORMS") if k not in required]
    return [
        *fields,
        ("rating", "General Audiences"),
        ("warnings", "No Archive Warnings Apply"),
        ("fandoms", fandom),
    ]


def assert_whole_import(title: str, fandom: str) -> Work:
    work = Work.objects.get(title=title)
    chapters = list(work.chapters.order_by("position"))
    assert [c.position for c in chapters] == list(range(1, CHAPTERS + 1))
    assert work.chapter_count == CHAPTERS
    assert work.word_count == sum(c.word_count for c in chapters) > CHAPTERS * 900
    assert work.tags.filter(name=fandom, type="fandom").exists()
    assert work.creatorships.count() == 1
    assert not PendingImport.objects.filter(source_name__contains="crash").exists()
    return work


def test_import_then_post_of_a_200_chapter_work_killed_midway_leave_all_or_nothing(alice, tmp_path):
    """One writer's story, crash by crash (the two writes share the costly setup): the import
    is killed mid-save and saved again; the draft's post is killed mid-post and posted again."""
    title, fandom = "The Long Crossing", "Crash Harbour Fandom"
    pending = import_start(
        user=alice, filename="crash.txt", data=story_text(title).encode(), format="auto"
    )
    assert len(pending.data["chapters"]) == CHAPTERS
    cookie = session_cookie_for(alice)
    url = database_url_for_test(tmp_path)
    server = ArchiveServer(url, tmp_path / "data").start()
    try:
        browser = Browser(server.url, cookie)
        fields = preview_post(browser, pending, fandom)
        work = import_killed_and_retried(server, browser, pending, fields, title, fandom)
        post_killed_and_retried(server, cookie, work, title, fandom)
    finally:
        server.kill()


def import_killed_and_retried(server, browser, pending, fields, title, fandom) -> Work:
    before = table_counts()
    files_before = data_files(server.data_dir)
    outcome = kill_during_write(
        server,
        "works_chapter",
        lambda: browser.post(f"/works/import/{pending.pk}", fields, timeout=300),
    )
    server.start()
    browser = Browser(server.url, browser.cookie)
    assert_serves_pages(browser)
    copy_back_from(server.database_url)

    if Work.objects.filter(title=title).exists():  # committed just before the kill
        return assert_whole_import(title, fandom)
    # Nothing of it: no work, chapter, tag, creatorship, queued task or other row, no file; the
    # pending import is still there to be saved again.
    after = table_counts()
    assert after == before, {k: (before.get(k), v) for k, v in after.items() if before[k] != v}
    assert not Tag.objects.filter(name=fandom).exists()
    assert PendingImport.objects.filter(pk=pending.pk).exists()
    assert data_files(server.data_dir) == files_before
    # The writer saves again on the restarted server, and gets the whole work.
    status, body, _ = browser.post(f"/works/import/{pending.pk}", fields, timeout=300)
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>([^<]*)', body)
    assert status == 302, (status, errors, outcome)
    copy_back_from(server.database_url)
    work = assert_whole_import(title, fandom)
    assert_serves_pages(browser, f"/works/{work.pk}")
    return work


def post_killed_and_retried(server, cookie, draft: Work, title: str, fandom: str) -> None:
    """Posting the draft makes every chapter visible and updates counts, tag counts and the
    search index, in one transaction (fanfold.works.services.work_post)."""
    assert not draft.is_posted
    before = table_counts()
    browser = Browser(server.url, cookie)
    browser.csrf_token()
    files_before = data_files(server.data_dir)
    # Posting is one short transaction (two UPDATEs, the counts, the index), 10-30 ms on a
    # quick machine: a shorter hold is enough to tell it from the rate-limit bookkeeping before
    # it, a single statement (fanfold.core.ratelimit).
    kill_during_write(
        server, "works_chapter", lambda: browser.post(f"/works/{draft.pk}/post", {}), 0.004
    )
    server.start()
    browser = Browser(server.url, cookie)
    assert_serves_pages(browser, f"/works/{draft.pk}")
    guest = Browser(server.url)
    guest_status, _, _ = guest.get(f"/works/{draft.pk}")
    copy_back_from(server.database_url)

    work = Work.objects.get(pk=draft.pk)
    chapters = Chapter.objects.filter(work=work)
    assert chapters.count() == CHAPTERS
    if not work.is_posted:  # none of it: still a whole draft nobody else sees
        after = table_counts()
        assert after == before, {k: (before[k], v) for k, v in after.items() if before[k] != v}
        assert not chapters.filter(is_posted=True).exists()
        assert work.chapter_count == CHAPTERS and work.revised_at is None
        assert Tag.objects.get(name=fandom).works_count == 0
        assert not works_matching(Work.objects.all(), parse_query(title)).exists()
        assert guest_status == 404
        assert data_files(server.data_dir) == files_before
        # Posting again on the restarted server posts all of it.
        status, body, _ = browser.post(f"/works/{draft.pk}/post", {})
        assert status == 302, (status, body[:1000])
        guest_status, _, _ = guest.get(f"/works/{draft.pk}")
    # All of it; the background work it queued (tag counts) is there to be done.
    server.run_queued_tasks()
    copy_back_from(server.database_url)
    work.refresh_from_db()
    assert work.is_posted and chapters.filter(is_posted=True).count() == CHAPTERS
    assert work.chapter_count == CHAPTERS and work.is_complete
    assert list(works_matching(Work.objects.all(), parse_query(title))) == [work]
    assert Tag.objects.get(name=fandom).works_count == 1
    assert guest_status == 200
