"""Full-text search at query time: which works match, ordering by best match, and snippets.

The index (fanfold.search.index) has one table per backend; these functions hide which. They
take a queryset that already obeys visibility (works_posted_visible_to) and only narrow it, so
drafts, hidden works and (for guests) restricted works can never be found."""

from collections.abc import Iterable

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import SearchQuery, fandom_terms, to_fts5, to_tsquery

SNIPPET_WORDS = 24
# PostgreSQL's ts_headline parses the text it highlights: only this much of each work is used.
HEADLINE_CHARS = 50_000


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def works_matching(works: QuerySet, query: SearchQuery) -> QuerySet:
    """The works among `works` that match the query (a semi-join on the full-text index)."""
    if _is_sqlite():
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        return works.filter(pk__in=RawSQL(sql, [to_fts5(query)]))
    sql = "SELECT work_id FROM search_document WHERE document @@ to_tsquery('simple', %s)"
    params = [to_tsquery(query)]
    positive, negative = fandom_terms(query)
    for text in positive:
        sql += " AND to_tsvector('simple', fandoms) @@ to_tsquery('simple', %s)"
        params.append(text)
    for text in negative:
        sql += " AND NOT to_tsvector('simple', fandoms) @@ to_tsquery('simple', %s)"
        params.append(text)
    return works.filter(pk__in=RawSQL(sql, params))


def works_by_relevance(query: SearchQuery):
    """A function ordering matched works best match first (ties: newest first). Title matches
    weigh most, then creators, tags, and the text."""

    def order(works: QuerySet) -> QuerySet:
        if _is_sqlite():
            # bm25 with column weights (title, creators, fandoms, tags, summary, notes, body);
            # lower is better.
            rank = RawSQL(
                "(SELECT bm25(search_fts, 10.0, 6.0, 4.0, 4.0, 2.0, 1.0, 1.0) FROM search_fts "
                "WHERE search_fts MATCH %s AND rowid = works_work.id)",
                [to_fts5(query)],
            )
            return works.annotate(relevance=rank).order_by("relevance", "-revised_at", "-pk")
        rank = RawSQL(
            "(SELECT ts_rank(document, to_tsquery('simple', %s)) FROM search_document "
            "WHERE work_id = works_work.id)",
            [to_tsquery(query)],
        )
        return works.annotate(relevance=rank).order_by("-relevance", "-revised_at", "-pk")

    return order


def _highlight(text: str) -> SafeString:
    """Escape the snippet, then turn the backend's \\x02 ... \\x03 markers into <mark>: the
    indexed text can hold no markers (index.plain_text strips them), so every <mark> is ours."""
    if text.count("\x02") != text.count("\x03"):
        text = text.replace("\x02", "").replace("\x03", "")
    return mark_safe(escape(text).replace("\x02", "<mark>").replace("\x03", "</mark>"))


def search_snippets(query: SearchQuery, work_ids: Iterable[int]) -> dict[int, SafeString]:
    """A short passage of each work around the words found, the words marked, HTML-escaped.
    One query for a page of results."""
    ids = [int(work_id) for work_id in work_ids]
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        if _is_sqlite():
            cursor.execute(
                f"SELECT rowid, snippet(search_fts, -1, char(2), char(3), '…', {SNIPPET_WORDS}) "
                f"FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({marks})",
                [to_fts5(query), *ids],
            )
        else:
            options = (
                f"StartSel=\x02, StopSel=\x03, MaxWords={SNIPPET_WORDS}, MinWords=10, "
                'MaxFragments=2, FragmentDelimiter=" … "'
            )
            cursor.execute(
                "SELECT work_id, ts_headline('simple', "
                f"left(summary || ' ' || body, {HEADLINE_CHARS}), "
                "to_tsquery('simple', %s), %s) "
                f"FROM search_document WHERE work_id IN ({marks})",
                [to_tsquery(query, weighted=False), options, *ids],
            )
        return {work_id: _highlight(text or "") for work_id, text in cursor.fetchall()}
