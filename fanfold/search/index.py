"""The full-text index of posted works: what is in it, and keeping it current.

One interface, two backends (the only part of Fanfold that differs per database):
- SQLite: an FTS5 virtual table `search_fts` whose rowid is the work's id.
- PostgreSQL: a table `search_document` keyed by work id, with a generated tsvector column
  (title weighted A, creators B, fandoms and tags C, summary, notes and text D) and a GIN
  index on it, plus generated columns for field searches and for phrases of common words
  (migrations search 0003 and 0005, the pairs read from the text since 0007), each with its
  GIN index, where the document's word positions were cut off (0007), and a copy of each
  work's filter set for tag filters (0006).
Both hold the same plain-text columns (title, creators, fandoms, tags, summary, notes, body),
filled by the same set-based INSERT ... SELECT, so a bulk rebuild of a million works is a few
statements rather than a million round trips, and the per-work update after a change is the
same statement for one id.

Only posted works are indexed and only their posted chapters (a draft chapter's text must not
be findable). Restricted and hidden works are indexed like the others: visibility is applied
at query time through works_posted_visible_to, so hiding a work never waits for the index.
Tags come from the work's filter set (fanfold.tags.filters), so a work is found by the names of
its canonical and meta tags too.
"""

import html
import re
import time
from collections.abc import Callable, Iterable

from django.db import connection, transaction

from fanfold.tags.models import Listed

from .pagination import listings_changed

# Text past this many characters of a work is not indexed: it keeps every tsvector well under
# PostgreSQL's 1 MB limit (about 180,000 words of ordinary prose is indexed in full).
MAX_BODY_CHARS = 1_000_000

# PostgreSQL: the per-field tsvectors' index (migration search 0003 says why) and the filter
# sets' (0006), built again after a rebuild like the document's.
FIELDS_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_document_fields_gin ON search_document "
    "USING gin (title_document, creators_document, fandoms_document, tags_document)"
)
FILTERS_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_document_filters_gin ON search_document "
    "USING gin (filter_ids)"
)

# PostgreSQL: the common word pairs' index (migration search 0005), dropped and built again
# around a rebuild like the others.
PAIRS_INDEX = (
    "CREATE INDEX IF NOT EXISTS search_document_pairs_gin ON search_document "
    "USING gin (common_pairs)"
)

# Works per INSERT ... SELECT in a rebuild: big enough to be set-based, small enough to keep
# each statement's memory and (on PostgreSQL) each transaction modest.
REBUILD_CHUNK = 20_000

_TAG_RE = re.compile(r"<[^>]*>")
_MARKERS = str.maketrans({"\x02": " ", "\x03": " "})


def plain_text(value: str | None) -> str:
    """Stored HTML as the words a reader sees: elements become spaces, entities characters.
    The snippet markers (\\x02, \\x03) are removed so stored text can never fake a highlight."""
    if not value:
        return ""
    return html.unescape(_TAG_RE.sub(" ", value)).translate(_MARKERS)


def _sql_plain(expression: str) -> str:
    if connection.vendor == "sqlite":
        return f"fanfold_plain({expression})"
    # The same as plain_text() for what sanitize_html stores: it escapes only these entities.
    value = f"regexp_replace({expression}, '<[^>]*>', ' ', 'g')"
    for entity, char in (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"')):
        value = f"replace({value}, '{entity}', '{char}')"
    value = f"replace(replace({value}, '&#39;', ''''), '&amp;', '&')"
    return f"translate({value}, chr(2) || chr(3), '  ')"


def _aggregate(expression: str) -> str:
    if connection.vendor == "sqlite":
        return f"group_concat({expression}, ' ')"
    return f"string_agg({expression}, ' ')"


def _table() -> tuple[str, str]:
    """(table, id column) of this database's index."""
    if connection.vendor == "sqlite":
        return "search_fts", "rowid"
    return "search_document", "work_id"


def _prepare(cursor) -> None:
    if connection.vendor == "sqlite":
        # The SQLite backend strips HTML with Python's own parser of entities; registered per
        # connection (cheap) rather than at connection time so nothing else needs to know.
        connection.connection.create_function("fanfold_plain", 1, plain_text, deterministic=True)


def _insert_sql(where: str) -> str:
    table, id_column = _table()
    substr = "substr" if connection.vendor == "sqlite" else "substring"
    body = _sql_plain(_aggregate("ch.content"))
    # PostgreSQL's rows also copy the work's "Updated" date and who it is listed for
    # (fanfold.search.models.SearchDocument); only posted works are indexed.
    listing_columns = listing_values = ""
    if connection.vendor == "postgresql":
        # ... and its filter set, for filters (migration search 0006 says why).
        listing_columns = ", revised_at, listed, filter_ids"
        listing_values = (
            f", w.revised_at, CASE WHEN w.is_hidden THEN {Listed.NOBODY:d}"
            f" WHEN w.is_restricted THEN {Listed.USERS:d} ELSE {Listed.EVERYONE:d} END"
            ", COALESCE((SELECT array_agg(f.filter_id ORDER BY f.filter_id)"
            " FROM tags_filtertagging f WHERE f.work_id = w.id), '{}')"
        )
    return f"""
        INSERT INTO {table} ({id_column}, title, creators, fandoms, tags, summary, notes, body
            {listing_columns})
        SELECT
            w.id,
            w.title,
            COALESCE((
                SELECT {_aggregate("p.name || ' ' || u.username")}
                FROM works_creatorship c
                JOIN accounts_pseud p ON p.id = c.pseud_id
                JOIN accounts_user u ON u.id = p.user_id
                WHERE c.work_id = w.id AND c.approved
            ), ''),
            COALESCE((
                SELECT {_aggregate("t.name")}
                FROM tags_filtertagging f JOIN tags_tag t ON t.id = f.filter_id
                WHERE f.work_id = w.id AND t.type = 'fandom'
            ), ''),
            COALESCE((
                SELECT {_aggregate("t.name")}
                FROM tags_filtertagging f JOIN tags_tag t ON t.id = f.filter_id
                WHERE f.work_id = w.id AND t.type <> 'fandom'
            ), ''),
            {_sql_plain("w.summary")},
            {_sql_plain("w.notes || ' ' || w.end_notes")},
            COALESCE((
                SELECT {substr}({body}, 1, {MAX_BODY_CHARS})
                FROM (
                    SELECT content FROM works_chapter
                    WHERE work_id = w.id AND is_posted ORDER BY position
                ) ch
            ), '')
            {listing_values}
        FROM works_work w
        WHERE w.is_posted AND {where}
    """


@transaction.atomic
def search_index_works(work_ids: Iterable[int]) -> None:
    """Bring these works' index entries up to date: posted works are (re)indexed, drafts and
    works that no longer exist are removed. Call after anything the index holds changed (the
    works services do, through work_changed; wrangling may call it for the works whose filter
    sets it rebuilt)."""
    ids = sorted({int(work_id) for work_id in work_ids})
    if not ids:
        return
    listings_changed()  # searches may find other works now
    table, id_column = _table()
    with connection.cursor() as cursor:
        _prepare(cursor)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {id_column} IN ({marks})", chunk)
            cursor.execute(_insert_sql(f"w.id IN ({marks})"), chunk)


@transaction.atomic
def search_index_remove(work_ids: Iterable[int]) -> None:
    """Drop these works from the index (a work about to be deleted)."""
    ids = sorted({int(work_id) for work_id in work_ids})
    if not ids:
        return
    table, id_column = _table()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {id_column} IN ({marks})", chunk)


def search_rebuild(*, progress: Callable[[str], None] | None = None) -> int:
    """Empty the index and fill it again from every posted work with set-based SQL, in chunks
    of REBUILD_CHUNK work ids (each its own transaction unless the caller holds one). Returns
    the number of works indexed. For after a bulk load (bench) or a restore; ordinary changes
    keep the index current by themselves."""
    table = _table()[0]
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("SELECT MIN(id), MAX(id) FROM works_work")
        low, high = cursor.fetchone()
        cursor.execute(
            f"DELETE FROM {table}" if connection.vendor == "sqlite" else f"TRUNCATE {table}"
        )
        if connection.vendor == "postgresql":
            # Filling the table and then building the GIN index is far faster than updating
            # the index row by row.
            cursor.execute("DROP INDEX IF EXISTS search_document_gin")
            cursor.execute("DROP INDEX IF EXISTS search_document_fields_gin")
            cursor.execute("DROP INDEX IF EXISTS search_document_pairs_gin")
            cursor.execute("DROP INDEX IF EXISTS search_document_filters_gin")
    if low is not None:
        for start in range(low, high + 1, REBUILD_CHUNK):
            with transaction.atomic(), connection.cursor() as cursor:
                _prepare(cursor)
                cursor.execute(
                    _insert_sql("w.id >= %s AND w.id < %s"), [start, start + REBUILD_CHUNK]
                )
            if progress:
                progress(f"indexed works up to id {min(start + REBUILD_CHUNK - 1, high)}")
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")
        else:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS search_document_gin "
                "ON search_document USING gin (document)"
            )
            cursor.execute(FIELDS_INDEX)
            cursor.execute(PAIRS_INDEX)
            cursor.execute(FILTERS_INDEX)
            cursor.execute(f"ANALYZE {table}")
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        count = cursor.fetchone()[0]
    if progress:
        progress(f"{count} works indexed in {time.monotonic() - started:.1f} s")
    return count


def search_work_changed(work, change) -> None:
    """works.changes.work_changed's call: keep this work's entry current, synchronously and in
    the same transaction (one INSERT ... SELECT), so a search never shows a stale or removed
    work and a rolled-back change leaves the index as it was."""
    from fanfold.works.changes import WorkChange

    if change == WorkChange.DELETED:
        search_index_remove([work.pk])
    else:
        search_index_works([work.pk])
