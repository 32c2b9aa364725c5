"""Full-text search at query time: which works match, ordering by best match, and snippets.

The index (fanfold.search.index) has one table per backend; these functions hide which. They
take a queryset that already obeys visibility (works_posted_visible_to) and only narrow it, so
drafts, hidden works and (for guests) restricted works can never be found."""

import re
from collections.abc import Iterable

from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .query import (
    PAIRS_COLUMN,
    Condition,
    SearchQuery,
    phrase_pattern,
    phrase_tsquery,
    postgres_conditions,
    to_fts5,
    to_tsquery,
)

SNIPPET_WORDS = 24
# PostgreSQL: the snippet is cut around the first place (within this much of a work's summary
# and text) that holds the query's first word; see search_snippets.
SNIPPET_SEARCH_CHARS = 200_000
SNIPPET_BEFORE, SNIPPET_LENGTH = 100, 300


def _is_sqlite() -> bool:
    return connection.vendor == "sqlite"


def works_matching(works: QuerySet, query: SearchQuery) -> QuerySet:
    """The works among `works` that match the query (a semi-join on the full-text index)."""
    if _is_sqlite():
        sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s"
        return works.filter(pk__in=RawSQL(sql, [to_fts5(query)]))
    condition, params = _postgres_match(query)
    sql = f"SELECT work_id FROM search_document WHERE {condition}"
    return works.filter(pk__in=RawSQL(sql, params))


# The document's text in the document's order (migration search 0007), for checking phrases
# whose words lost positions in the document (_document_match).
_DOCUMENT_TEXT = "concat_ws(' ', {})".format(
    ", ".join(
        f"search_document.{column}"
        for column in ("title", "creators", "fandoms", "tags", "summary", "notes", "body")
    )
)


def _postgres_match(query: SearchQuery) -> tuple[str, list]:
    """The WHERE condition on search_document's columns that matches the query, and its
    parameters (query.postgres_conditions says how the terms are split)."""
    sql, params = [], []
    for condition in postgres_conditions(query):
        column = f"search_document.{condition.column}"
        if condition.column == PAIRS_COLUMN:
            # A pair lexeme holds a space, which to_tsquery would read as two words of a phrase.
            match, match_params = f"{column} @@ %s::tsquery", [condition.tsquery]
        elif condition.loose is None:
            match, match_params = f"{column} @@ to_tsquery('simple', %s)", [condition.tsquery]
        else:
            match, match_params = _document_match(condition)
        sql.append(f"NOT {match}" if condition.negated else match)
        params += match_params
    return " AND ".join(sql), params


def _document_match(condition: Condition) -> tuple[str, list]:
    """A document condition with phrases (query.Condition says why this shape). The index
    answers the loose query. Where the document kept every position, the positions decide.
    Elsewhere a phrase can be missing from them only if a word of it lies past the 16,383rd
    word or was used 255 times (positions_clamped, saturated_words: migration search 0007):
    - past the 16,383rd word every word sits at 16,383, so the 16,382nd word and any later one
      look adjacent: in such a document the text decides;
    - a word's uses past its 255th are not kept, but those kept are true: the positions are
      asked first (most works that hold a phrase hold it early), the text when they lack it.
    Reading the text is the costly part: only these documents, and only when the index found
    all the phrase's words (and pairs) in them."""
    text = _DOCUMENT_TEXT
    each: list[str] = []
    params: list = [condition.loose, condition.tsquery]
    for n, words in enumerate((*condition.phrases, *condition.unwanted)):
        # A word PostgreSQL might lowercase otherwise (İ) is taken as cut off: its text is read.
        cut = "search_document.saturated_words && %s::text[]" if _ascii(words) else "TRUE"
        found = (
            f"(CASE WHEN search_document.positions_clamped THEN {text} ~* %s"
            f" WHEN {cut} THEN search_document.document @@ to_tsquery('simple', %s)"
            f" OR {text} ~* %s"
            f" ELSE search_document.document @@ to_tsquery('simple', %s) END)"
        )
        each.append(found if n < len(condition.phrases) else f"NOT {found}")
        pattern, tsquery = phrase_pattern(words), phrase_tsquery(words)
        params += [pattern, *([list(words)] if _ascii(words) else []), tsquery, pattern, tsquery]
    sql = (
        "(search_document.document @@ to_tsquery('simple', %s) AND CASE"
        " WHEN NOT search_document.positions_clamped"
        " AND cardinality(search_document.saturated_words) = 0"
        " THEN search_document.document @@ to_tsquery('simple', %s)"
        f" ELSE {' AND '.join(each)} END)"
    )
    return sql, params


def _ascii(words: tuple[str, ...]) -> bool:
    return all(word.isascii() for word in words)


def search_rows_listed(*, viewer) -> QuerySet | None:
    """PostgreSQL: the search index's rows (SearchDocument) of every posted work the viewer may
    see in listings, mutes as in works_posted_visible_to. None on SQLite, which has no such
    rows."""
    if _is_sqlite():
        return None
    from fanfold.blocking.selectors import work_by_muted_user
    from fanfold.works.selectors import listed_for

    from .models import SearchDocument

    rows = SearchDocument.objects.filter(listed__in=listed_for(viewer))
    if viewer is not None and viewer.is_authenticated:
        rows = rows.exclude(work_by_muted_user(viewer, work_ref="work_id"))
    return rows


def search_rows_matching(query: SearchQuery, *, viewer) -> QuerySet | None:
    """PostgreSQL: search_rows_listed of the works matching the query; a listing by date
    counts and pages these and loads only the page's works (models.py says why). None on
    SQLite, whose FTS5 index has no such columns: search there lists from works."""
    rows = search_rows_listed(viewer=viewer)
    if rows is None:
        return None
    condition, params = _postgres_match(query)
    return rows.filter(RawSQL(condition, params, output_field=BooleanField()))


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


def _word_pattern(words: set[str]) -> re.Pattern | None:
    """A case-insensitive regex for any of the words, as whole words (longest first)."""
    if not words:
        return None
    return re.compile(
        r"(?<![^\W_])("
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![^\W_])",
        re.IGNORECASE,
    )


def _mark_words(window: str, words: set[str], *, cut_start: bool) -> SafeString:
    """The window as escaped HTML with whole-word matches of `words` in <mark>, trimmed to
    whole words at the ends, with "…" where text was cut."""
    window = " ".join(window.split())
    if cut_start and " " in window:
        window = "… " + window.split(" ", 1)[1]
    if len(window) >= SNIPPET_LENGTH - SNIPPET_BEFORE and " " in window:
        window = window.rsplit(" ", 1)[0] + " …"
    pattern = _word_pattern(words)
    if pattern is None:
        return mark_safe(escape(window))
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(window):
        parts.append(escape(window[last : match.start()]))
        parts.append(f"<mark>{escape(match.group(0))}</mark>")
        last = match.end()
    parts.append(escape(window[last:]))
    return mark_safe("".join(parts))


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
            # Not ts_headline, which re-parses every result's whole text (hundreds of ms for a
            # page of long works), and not strpos(lower(...)) in SQL (lower() of 200 kB a work
            # took 250 ms a page): the text comes to Python, where one compiled regex finds the
            # first of the query's words.
            cursor.execute(
                f"SELECT work_id, left(summary || ' ' || body, {SNIPPET_SEARCH_CHARS}) "
                f"FROM search_document WHERE work_id IN ({marks})",
                ids,
            )
            words = {word for term in query.positive for word in term.words}
            finder = _word_pattern(words)
            snippets = {}
            for work_id, text in cursor.fetchall():
                text = text or ""
                found = finder.search(text) if finder else None
                start = max(0, found.start() - SNIPPET_BEFORE) if found else 0
                window = text[start : start + SNIPPET_LENGTH]
                snippets[work_id] = _mark_words(window, words, cut_start=start > 0)
            return snippets
        return {work_id: _highlight(text or "") for work_id, text in cursor.fetchall()}
