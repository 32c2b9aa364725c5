"""`fanfold backup` and `fanfold restore`: a backup of a running archive, restored into an empty
archive (a new data directory, a new database) by a separate process, holds every row of every
table and every file, on SQLite and on PostgreSQL."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from datetime import date, datetime
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from fanfold.backups.services import backup_create
from fanfold.testing.factories import make_work
from fanfold.works.services import work_hit_record

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[3]
APPS = ("accounts_", "core_", "tags_", "works_")


def _archive(alice, bob):
    work = make_work(alice, title="Kept Safe", chapters=3, fandoms=["Harbour Tales"])
    make_work(alice, title="Draft Too", post=False)
    make_work(bob, title="Bob's Tale", freeforms=["Fluff", "Rain"])
    work_hit_record(work=work, visitor="u:99", day=work.published_on)
    upload = Path(settings.DATA_DIR) / "media" / "covers" / "cover.txt"
    upload.parent.mkdir(parents=True, exist_ok=True)
    upload.write_text("a file under the data directory")
    return work


def _tables() -> list[str]:
    return sorted(t for t in connection.introspection.table_names() if t.startswith(APPS))


def _rows_via(cursor, tables) -> dict[str, list[tuple]]:
    rows = {}
    for table in tables:
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
        rows[table] = [tuple(row) for row in cursor.fetchall()]
    return rows


def _as_stored_by_sqlite(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Django's SQLite cursor turns stored dates and times into Python objects; a plain sqlite3
    connection (the restored side) returns them as the text SQLite stores."""

    def plain(value):
        if isinstance(value, datetime):
            return value.isoformat(" ")
        if isinstance(value, date):
            return value.isoformat()
        return value

    return {table: [tuple(plain(v) for v in row) for row in r] for table, r in rows.items()}


def _restore_in_new_archive(backup: Path, tmp_path: Path, database_url: str | None):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env["FANFOLD_DATA_DIR"] = str(tmp_path / "new-archive")
    if database_url:
        env["DATABASE_URL"] = database_url
    return subprocess.run(
        [sys.executable, "-m", "fanfold.manage", "restore", str(backup)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_a_restored_archive_has_every_row_and_file(alice, bob, tmp_path):
    _archive(alice, bob)
    result = backup_create(output=tmp_path / "archive.tar.gz")
    assert result.works == 3

    tables = _tables()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            expected = _as_stored_by_sqlite(_rows_via(cursor, tables))
        restored = _restore_in_new_archive(result.path, tmp_path, None)
        assert restored.returncode == 0, restored.stderr
        database = tmp_path / "new-archive" / "fanfold.sqlite3"
        with sqlite3.connect(database) as restored_db:
            actual = _rows_via(restored_db.cursor(), tables)
    else:
        db = connection.settings_dict
        params = {"host": db["HOST"], "port": db["PORT"], "user": db["USER"]}
        with connection.cursor() as cursor:
            expected = _rows_via(cursor, tables)
        with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as admin:
            admin.execute("DROP DATABASE IF EXISTS fanfold_restore_target")
            admin.execute("CREATE DATABASE fanfold_restore_target")
        try:
            url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/fanfold_restore_target"
            restored = _restore_in_new_archive(result.path, tmp_path, url)
            assert restored.returncode == 0, restored.stderr
            with psycopg.connect(dbname="fanfold_restore_target", **params) as restored_db:
                actual = _rows_via(restored_db.cursor(), tables)
        finally:
            with psycopg.connect(dbname=db["NAME"], autocommit=True, **params) as admin:
                admin.execute("DROP DATABASE IF EXISTS fanfold_restore_target")

    assert "Restored 3 works" in restored.stdout
    assert {t for t in tables if actual[t] != expected[t]} == set()
    assert actual == expected
    assert len(expected["works_work"]) == 3 and len(expected["works_chapter"]) == 5
    copied = tmp_path / "new-archive" / "media" / "covers" / "cover.txt"
    assert copied.read_text() == "a file under the data directory"


def test_a_backup_never_holds_the_secret_key(alice, bob, tmp_path):
    _archive(alice, bob)
    (Path(settings.DATA_DIR) / "secret_key").write_text("do not copy me")
    result = backup_create(output=tmp_path / "archive.tar.gz")
    with tarfile.open(result.path) as archive:
        names = archive.getnames()
        manifest = json.loads(archive.extractfile("manifest.json").read())
    assert "files/secret_key" not in names
    assert "files/media/covers/cover.txt" in names
    assert manifest["works"] == 3 and "works" in manifest["migrations"]


def test_restore_refuses_an_archive_that_has_works(alice, bob, tmp_path):
    _archive(alice, bob)
    result = backup_create(output=tmp_path / "archive.tar.gz")
    with pytest.raises(CommandError, match="already has works"):
        call_command("restore", str(result.path))


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "not a readable backup"),
        (b"just some text, not a backup", "not a readable backup"),
    ],
)
def test_restore_explains_a_file_that_is_not_a_backup(tmp_path, content, message):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(bogus))


def test_restore_explains_a_missing_file_and_a_missing_manifest(tmp_path):
    with pytest.raises(CommandError, match="no backup file"):
        call_command("restore", str(tmp_path / "nothing.tar.gz"))
    empty = tmp_path / "empty.tar.gz"
    with tarfile.open(empty, "w:gz"):
        pass
    with pytest.raises(CommandError, match=r"no manifest\.json"):
        call_command("restore", str(empty))


def test_restore_refuses_a_backup_of_the_other_database_engine(tmp_path):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps({"format": 1, "engine": other, "database": "x"}))
    backup = tmp_path / "other.tar.gz"
    with tarfile.open(backup, "w:gz") as archive:
        archive.add(manifest, arcname="manifest.json")
    with pytest.raises(CommandError, match=f"backup is of a {other} archive"):
        call_command("restore", str(backup))
