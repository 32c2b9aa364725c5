"""Bookmark counts never drift: several OS processes bookmark, flip and delete bookmarks of one
work at the same time (also racing on the same users' bookmarks), on the database the suite
runs on (SQLite or PostgreSQL), and afterwards Work.bookmark_count equals the public bookmark
rows."""

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from fanfold.conftest import make_user
from fanfold.testing.factories import make_work

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 4


def _database_url(tmp_path: Path) -> str:
    """A URL the worker processes can open for the data this test committed."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        # The suite's SQLite test database lives in this process's memory: copy it to a file.
        connection.ensure_connection()
        path = tmp_path / "race.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _counts_in(url: str, work_id: int) -> tuple[int, int]:
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            (count,) = db.execute(
                "SELECT bookmark_count FROM works_work WHERE id = ?", [work_id]
            ).fetchone()
            (rows,) = db.execute(
                "SELECT COUNT(*) FROM bookmarks_bookmark WHERE work_id = ? AND NOT is_private",
                [work_id],
            ).fetchone()
        return count, rows
    from fanfold.bookmarks.models import Bookmark
    from fanfold.works.models import Work

    return (
        Work.objects.get(pk=work_id).bookmark_count,
        Bookmark.objects.filter(work_id=work_id, is_private=False).count(),
    )


def test_concurrent_bookmarking_keeps_the_count_equal_to_the_rows(alice, tmp_path):
    work = make_work(alice, title="Crowded Harbour")
    names = [make_user(f"racer{i}").username for i in range(6)]
    url = _database_url(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "FANFOLD_TESTING": "1"}
    start_at = time.time() + 4  # time for every process to start Django
    # Each process takes three users; neighbours share them, so they race on the same rows.
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "fanfold.bookmarks.tests.concurrent_worker",
                str(start_at),
                str(work.pk),
                *(names[(n + k) % len(names)] for k in range(3)),
            ],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(PROCESSES)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
        results.append(json.loads(out.strip().splitlines()[-1]))

    count, rows = _counts_in(url, work.pk)
    assert count == rows
    # Every user ends with their bookmark (each process's last step for them is a create).
    assert rows == len(names)
    assert sum(result["done"] for result in results) > len(names) * 3
    assert sum(result["refused"] for result in results) > 0  # they really raced
