"""Bulk loading into a freshly migrated database through Django's connection, the fastest way
each backend has (see bench/_data.py): secondary indexes are dropped before the load and built
once afterwards, which is much faster than keeping them up to date row by row."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils import timezone

from ._data import TABLES, step


def table_columns(table: str) -> tuple[tuple[str, ...], tuple]:
    """The columns the generator writes plus every other column of the table's model, with the
    model's default for those (apps keep adding fields with defaults; the generator need not
    know them). A new column without a default stops the load with its name."""
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    columns = TABLES[table]
    extra_columns, extra_values = [], []
    for field in model._meta.local_concrete_fields:
        if field.column in columns:
            continue
        if field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = timezone.now()
        elif field.empty_strings_allowed and field.blank:
            value = ""
        else:
            raise RuntimeError(
                f"bench/_data.py does not fill {table}.{field.column}, which has no default"
            )
        extra_columns.append(field.column)
        extra_values.append(value)
    return (*columns, *extra_columns), tuple(extra_values)


class Loader:
    def __init__(self) -> None:
        self.rows = dict.fromkeys(TABLES, 0)
        self.index_sql: list[str] = []
        self.columns = {table: table_columns(table) for table in TABLES}

    def load(self, batches: Iterator[dict[str, list[tuple]]]) -> None:
        raise NotImplementedError

    def finish(self) -> dict[str, float]:
        raise NotImplementedError


class SQLiteLoader(Loader):
    """executemany in one transaction with syncing and the journal off: a crash mid-load
    loses a benchmark database, which is rebuilt anyway."""

    def __init__(self) -> None:
        super().__init__()
        connection.ensure_connection()
        self.db = connection.connection
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("PRAGMA foreign_keys=OFF")
        self.db.execute("PRAGMA cache_size=-1000000")  # up to 1 GB of page cache
        self.db.execute("PRAGMA temp_store=MEMORY")
        names = ",".join(f"'{t}'" for t in TABLES)
        for name, sql in self.db.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({names})"
        ).fetchall():
            self.index_sql.append(sql)
            self.db.execute(f'DROP INDEX "{name}"')
        self.db.execute("BEGIN")

    def load(self, batches: Iterator[dict[str, list[tuple]]]) -> None:
        for batch in batches:
            for table, rows in batch.items():
                columns, extra = self.columns[table]
                marks = ",".join("?" * len(columns))
                self.db.executemany(
                    f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})",
                    (_sqlite_row(row + extra) for row in rows),
                )
                self.rows[table] += len(rows)

    def finish(self) -> dict[str, float]:
        times = {}
        self.db.execute("COMMIT")
        done = step("build indexes")
        for sql in self.index_sql:
            self.db.execute(sql)
        times["indexes"] = done()
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        return times


def _sqlite_row(row: tuple) -> tuple:
    # Django stores datetimes on SQLite as naive UTC text and dates as ISO text.
    return tuple(
        value.strftime("%Y-%m-%d %H:%M:%S") if hasattr(value, "hour") else value for value in row
    )


class PostgresLoader(Loader):
    """COPY with foreign-key triggers off (session_replication_role=replica, the loading user
    is the server's superuser) and unique constraints and indexes dropped until the end."""

    def __init__(self) -> None:
        super().__init__()
        self.cursor = connection.cursor()
        self.cursor.execute("SET session_replication_role = replica")
        self.cursor.execute("SET maintenance_work_mem = '1GB'")
        tables = list(TABLES)
        # Unique and foreign-key constraints (the index under a unique constraint goes with it).
        self.cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            "FROM pg_constraint WHERE contype IN ('u', 'f') AND conrelid::regclass::text = ANY(%s) "
            "ORDER BY contype DESC",
            [tables],
        )
        constraints = self.cursor.fetchall()
        for table, name, _definition in constraints:
            self.cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        self.cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE contype = 'p')",
            [tables],
        )
        for name, definition in self.cursor.fetchall():
            self.index_sql.append(definition)
            self.cursor.execute(f'DROP INDEX "{name}"')
        # Unique constraints first (foreign keys may need them), then foreign keys.
        self.constraint_sql = [
            f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}'
            for table, name, definition in sorted(constraints, key=lambda c: "FOREIGN" in c[2])
        ]

    def load(self, batches: Iterator[dict[str, list[tuple]]]) -> None:
        for batch in batches:
            for table, rows in batch.items():
                self._copy(table, rows)
                self.rows[table] += len(rows)

    def _copy(self, table: str, rows: Iterable[tuple]) -> None:
        columns, extra = self.columns[table]
        with self.cursor.cursor.copy(f"COPY {table} ({','.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row + extra)

    def finish(self) -> dict[str, float]:
        times = {}
        self.cursor.execute("SET session_replication_role = DEFAULT")
        done = step("build indexes and constraints")
        for sql in self.index_sql:
            self.cursor.execute(sql)
        for sql in self.constraint_sql:
            # The data is consistent by construction; NOT VALID skips re-checking every row of
            # a 10-million-row table (the constraint still holds for every later write).
            if "FOREIGN KEY" in sql:
                sql += " NOT VALID"
            self.cursor.execute(sql)
        times["indexes"] = done()
        # Continue the id sequences after the loaded rows.
        for table in TABLES:
            self.cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
        return times


def loader() -> Loader:
    return PostgresLoader() if connection.vendor == "postgresql" else SQLiteLoader()
