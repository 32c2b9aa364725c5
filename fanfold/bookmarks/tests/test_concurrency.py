"""Bookmark counts never drift: several OS processes bookmark, flip and delete bookmarks of one
work at the same time (also racing on the same users' bookmarks), on the database the suite
runs on (SQLite or PostgreSQL), and afterwards Work.bookmark_count equals the public bookmark
rows.

The processes call the services themselves, not a server: what is raced is the services'
locking, with every process released at the same instant, so fanfold.testing.server's
ArchiveServer (gunicorn, for tests that kill or load a server) is not used; its helpers hand the
test's committed data to the processes (database_url_for_test) and bring their writes back to
assert with the ORM on either database (copy_back_from)."""

import time

import pytest

from fanfold.bookmarks.models import Bookmark
from fanfold.conftest import make_user
from fanfold.testing.factories import make_work
from fanfold.testing.server import (
    copy_back_from,
    database_url_for_test,
    start_worker,
    worker_result,
)
from fanfold.works.models import Work

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 4


def test_concurrent_bookmarking_keeps_the_count_equal_to_the_rows(alice, tmp_path):
    work = make_work(alice, title="Crowded Harbour")
    names = [make_user(f"racer{i}").username for i in range(6)]
    url = database_url_for_test(tmp_path)
    start_at = time.time() + 4  # time for every process to start Django
    # Each process takes three users; neighbours share them, so they race on the same rows.
    processes = [
        start_worker(
            "fanfold.bookmarks.tests.concurrent_worker",
            start_at,
            work.pk,
            *(names[(n + k) % len(names)] for k in range(3)),
            database_url=url,
        )
        for n in range(PROCESSES)
    ]
    results = [worker_result(process, timeout=240) for process in processes]

    copy_back_from(url)
    count = Work.objects.get(pk=work.pk).bookmark_count
    rows = Bookmark.objects.filter(work_id=work.pk, is_private=False).count()
    assert count == rows
    # Every user ends with their bookmark (each process's last step for them is a create).
    assert rows == len(names)
    assert sum(result["done"] for result in results) > len(names) * 3
    assert sum(result["refused"] for result in results) > 0  # they really raced
