"""Counts never drift: several OS processes leave kudos and comments on the same works at
once, through the services, on a real database of the backend under test (a fresh SQLite file
or a fresh PostgreSQL database on the test server); afterwards every Work.kudos_count and
Work.comment_count equals the rows behind it."""

import json
import os
import subprocess
import sys
import time
import uuid

import dj_database_url
import pytest
from django.conf import settings
from django.db import connection

WORKERS = 4
ROUNDS = 8


def run(role: str, *args, env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "fanfold.comments.tests.concurrency_worker", role, *map(str, args)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=settings.BASE_DIR,
    )


def result(process: subprocess.Popen):
    out, err = process.communicate(timeout=300)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def database_url(tmp_path):
    """A database of its own for the processes (the test database may live in memory)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'concurrency.sqlite3'}"
        return
    import psycopg

    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    name = f"fanfold_concurrency_{uuid.uuid4().hex[:10]}"
    conninfo = {
        "host": server["HOST"],
        "port": server["PORT"],
        "user": server["USER"],
        "password": server["PASSWORD"],
        "dbname": "postgres",
    }
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield (
        f"postgres://{server['USER']}:{server['PASSWORD']}@{server['HOST']}:{server['PORT']}/{name}"
    )
    with psycopg.connect(**conninfo, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_concurrent_kudos_and_comments_keep_every_count_equal_to_its_rows(database_url, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url, "FANFOLD_DATA_DIR": str(tmp_path)}
    made = result(run("setup", WORKERS, env=env))
    go = tmp_path / "go"
    processes = [
        run("work", number, json.dumps(made["works"]), go, ROUNDS, env=env)
        for number in range(WORKERS)
    ]
    time.sleep(1)  # let every process reach the starting line
    go.touch()
    done = [result(process) for process in processes]

    counts = result(run("check", json.dumps(made["works"]), env=env))
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
