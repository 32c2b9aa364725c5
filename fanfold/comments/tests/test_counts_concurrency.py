"""Counts never drift: several OS processes leave kudos and comments on the same works at
once, through the services, on the database of the backend under test (the test's SQLite database
copied to a file, or the test's PostgreSQL database); afterwards every Work.kudos_count and
Work.comment_count equals the rows behind it."""

import json
import subprocess
import time

import pytest

from fanfold.accounts.services import user_create
from fanfold.testing.factories import make_work
from fanfold.testing.server import database_url_for_test, start_worker, worker_result

pytestmark = pytest.mark.django_db(transaction=True)

WORKERS = 4
ROUNDS = 8


def run(role: str, *args, database_url: str, data_dir: str) -> subprocess.Popen:
    return start_worker(
        "fanfold.comments.tests.concurrency_worker",
        role,
        *args,
        database_url=database_url,
        FANFOLD_DATA_DIR=data_dir,
    )


def make_archive(workers: int) -> list[int]:
    """The author, one reader per process and two works, committed to the test's database
    (the processes open it through database_url_for_test: no second migration to wait for)."""
    author = user_create(
        username="author", email="author@example.org", password="x" * 12, check_terms=False
    )
    for n in range(workers):
        user_create(
            username=f"reader{n}", email=f"r{n}@example.org", password="x" * 12, check_terms=False
        )
    works = [make_work(author, title="Crowded", chapters=2), make_work(author, title="Quiet")]
    return [w.pk for w in works]


def test_concurrent_kudos_and_comments_keep_every_count_equal_to_its_rows(tmp_path):
    made = {"works": make_archive(WORKERS)}
    database_url = database_url_for_test(tmp_path)
    env = {"database_url": database_url, "data_dir": str(tmp_path)}
    go = tmp_path / "go"
    processes = [
        run("work", number, json.dumps(made["works"]), go, ROUNDS, **env)
        for number in range(WORKERS)
    ]
    time.sleep(1)  # let every process reach the starting line
    go.touch()
    done = [worker_result(process) for process in processes]

    counts = worker_result(run("check", json.dumps(made["works"]), **env))
    for work_id, row in counts.items():
        assert row["kudos_count"] == row["kudos_rows"], (work_id, row)
        assert row["comment_count"] == row["comment_rows"], (work_id, row)
    works = len(made["works"])
    # Each user left kudos once per work; the guests' addresses once each per work, however
    # many processes tried them at the same moment.
    assert sum(row["kudos_rows"] for row in counts.values()) == works * (WORKERS + ROUNDS)
    assert sum(d["kudos"] for d in done) == works * (WORKERS + ROUNDS)
    assert sum(d["comments"] - d["deleted"] for d in done) == sum(
        row["comment_rows"] for row in counts.values()
    )
