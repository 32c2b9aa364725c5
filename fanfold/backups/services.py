"""Backups of a whole archive, and restoring one into an empty archive (on a new machine).

A backup is one .tar.gz holding
- manifest.json: when, which database engine, the migrations applied, what else is inside;
- the database, copied consistently while the archive keeps running: SQLite through its online
  backup API (a page-by-page copy that sees one snapshot), PostgreSQL through pg_dump (which
  reads from one transaction snapshot) in its custom format;
- every other file under the data directory (uploads, generated downloads, indexes), except
  the SQLite files themselves, the secret key (a backup must not carry secrets) and earlier
  backups.

Restoring puts the database back (SQLite: the file; PostgreSQL: pg_restore in a single
transaction, so a failed restore leaves nothing half-done), unpacks the files, and runs the
migrations so a backup from an older version opens in this one. It refuses to overwrite an
archive that already has content.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT_VERSION = 1
SQLITE_NAME = "database.sqlite3"
PG_DUMP_NAME = "database.pgdump"
# Never copied into a backup: the live SQLite files (copied through the backup API instead),
# the secret key, and the backups themselves.
_SKIPPED = {"secret_key", "backups"}


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the person running it."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    engine: str
    files: int
    works: int


def _engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def _sqlite_path() -> Path | None:
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name in {"", ":memory:"} or name.startswith("file:"):
        return None
    return Path(name).resolve()


def _pg_tool(name: str) -> str:
    """pg_dump/pg_restore matching the server's major version (Debian keeps each version's
    tools under /usr/lib/postgresql/N/bin), else whichever is on PATH."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    candidate = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    if not found:
        raise BackupError(
            f"{name} was not found: install the PostgreSQL client tools for server "
            f"version {major} (Debian package postgresql-client-{major})."
        )
    return found


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for key, setting in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if db.get(setting):
            env[key] = str(db[setting])
    env["PGDATABASE"] = str(db["NAME"])
    return env


def _data_files() -> list[Path]:
    """The files under the data directory that belong in a backup."""
    data_dir = Path(settings.DATA_DIR)
    if not data_dir.exists():
        return []
    sqlite = _sqlite_path()
    skipped_db = set()
    if sqlite is not None:
        skipped_db = {
            sqlite,
            Path(f"{sqlite}-wal"),
            Path(f"{sqlite}-shm"),
            Path(f"{sqlite}-journal"),
        }
    files = []
    for path in sorted(data_dir.rglob("*")):
        relative = path.relative_to(data_dir)
        if relative.parts[0] in _SKIPPED or not path.is_file() or path.resolve() in skipped_db:
            continue
        files.append(path)
    return files


def _migrations_applied() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def _work_count() -> int:
    from fanfold.works.models import Work

    return Work.objects.count()


def backup_create(*, output: Path | None = None) -> BackupResult:
    """Write a backup of the running archive to `output` (default: DATA_DIR/backups/
    fanfold-DATE.tar.gz) and return what it holds."""
    now = timezone.now()
    if output is None:
        output = Path(settings.DATA_DIR) / "backups" / f"fanfold-{now:%Y%m%d-%H%M%S}.tar.gz"
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    with tempfile.TemporaryDirectory(prefix="fanfold-backup-") as tmp:
        tmp_dir = Path(tmp)
        if engine == "sqlite":
            database = tmp_dir / SQLITE_NAME
            connection.ensure_connection()
            target = sqlite3.connect(database)
            try:
                # The online backup API copies one consistent snapshot while others write.
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            database = tmp_dir / PG_DUMP_NAME
            result = subprocess.run(
                [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                 "--file", str(database)],
                env=_pg_env(), capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
        files = _data_files()
        works = _work_count()
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": now.isoformat(),
            "engine": engine,
            "database": database.name,
            "works": works,
            "files": len(files),
            "migrations": _migrations_applied(),
        }
        (tmp_dir / "manifest.json").write_text(json.dumps(manifest, indent=2))
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            archive.add(tmp_dir / "manifest.json", arcname="manifest.json")
            archive.add(database, arcname=database.name)
            data_dir = Path(settings.DATA_DIR)
            for path in files:
                archive.add(path, arcname=f"files/{path.relative_to(data_dir)}")
        # Renamed only when complete, so a crash never leaves something that looks like a backup.
        partial.replace(output)
    return BackupResult(path=output, engine=engine, files=len(files), works=works)


def _read_manifest(archive: tarfile.TarFile) -> dict:
    try:
        member = archive.extractfile("manifest.json")
    except KeyError:
        member = None
    if member is None:
        raise BackupError("This file is not a Fanfold backup: it has no manifest.json.")
    try:
        manifest = json.loads(member.read())
    except ValueError:
        raise BackupError("This backup's manifest.json is damaged.") from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(f"This backup has format {manifest.get('format')!r}; expected 1.")
    return manifest


def _archive_is_empty() -> bool:
    from django.db import connection as conn

    tables = conn.introspection.table_names()
    if "works_work" not in tables:
        return True
    from fanfold.works.models import Work

    return not Work.objects.exists()


def backup_restore(*, path: Path) -> dict:
    """Restore the backup at `path` into this (empty) archive. Returns its manifest."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the with below)
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{path} is not a readable backup ({error}).") from None
    with archive, tempfile.TemporaryDirectory(prefix="fanfold-restore-") as tmp:
        manifest = _read_manifest(archive)
        engine = _engine()
        if manifest["engine"] != engine:
            raise BackupError(
                f"This backup is of a {manifest['engine']} archive and this archive uses "
                f"{engine}; restore it with DATABASE_URL set to a {manifest['engine']} database."
            )
        if not _archive_is_empty():
            raise BackupError(
                "This archive already has works; restore only into an empty archive (a new "
                "data directory or an empty database), so nothing is overwritten."
            )
        # filter="data" refuses absolute paths, links out of the tree and device files.
        archive.extractall(tmp, filter="data")
        tmp_dir = Path(tmp)
        database = tmp_dir / manifest["database"]
        if not database.is_file():
            raise BackupError("This backup is incomplete: its database file is missing.")

        if engine == "sqlite":
            target = _sqlite_path()
            if target is None:
                raise BackupError("Restoring needs a SQLite database file, not an in-memory one.")
            connection.close()
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(database, target)
        else:
            connection.ensure_connection()
            with connection.cursor() as cursor:
                # The empty archive may have its tables already (migrated); pg_restore brings
                # its own, so start from an empty schema.
                cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
            connection.close()
            result = subprocess.run(
                [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error",
                 "--single-transaction", "--dbname", str(connection.settings_dict["NAME"]),
                 str(database)],
                env=_pg_env(), capture_output=True, text=True,
            )  # fmt: skip
            if result.returncode != 0:
                raise BackupError(f"pg_restore failed: {result.stderr.strip()}")

        files_root = tmp_dir / "files"
        data_dir = Path(settings.DATA_DIR)
        if files_root.exists():
            for source in files_root.rglob("*"):
                if source.is_file():
                    destination = data_dir / source.relative_to(files_root)
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(source, destination)
    # A backup from an older version of Fanfold is brought up to this version's tables.
    call_command("migrate", interactive=False, verbosity=0)
    return manifest
