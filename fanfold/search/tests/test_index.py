"""The full-text index: kept current by work_changed, rebuilt in bulk by search_rebuild and its
command, holding posted text only."""

import io

import pytest
from django.core.management import call_command
from django.db import connection

from fanfold.search.index import plain_text, search_rebuild
from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_create, work_delete

pytestmark = pytest.mark.django_db


def indexed() -> dict[int, tuple[str, str, str, str]]:
    table, id_column = (
        ("search_fts", "rowid")
        if connection.vendor == "sqlite"
        else (
            "search_document",
            "work_id",
        )
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {id_column}, title, creators, tags, body FROM {table}")
        return {row[0]: row[1:] for row in cursor.fetchall()}


def test_posting_indexes_title_creators_tags_and_posted_text_only(alice):
    work = make_work(
        alice,
        title="Harbour Lights",
        content="<p>The <em>lantern</em> &amp; the tide</p>",
        freeforms=["Slow Burn"],
    )
    chapter_create(
        work=work, user=alice, chapter=ChapterInput(content="<p>secretdraftword</p>"), post=False
    )
    title, creators, tags, body = indexed()[work.pk]
    assert title == "Harbour Lights"
    assert "alice" in creators
    assert "Slow Burn" in tags and "General Audiences" in tags
    assert "lantern" in body and "&" in body and "<em>" not in body
    assert "secretdraftword" not in body


def test_drafts_are_not_indexed_and_deleted_works_leave(alice):
    draft = make_work(alice, post=False)
    work = make_work(alice)
    assert draft.pk not in indexed()
    work_delete(work=work, user=alice)
    assert work.pk not in indexed()


def test_rebuild_and_command_fill_the_index_from_scratch(alice, bob):
    works = [make_work(alice), make_work(bob, title="Second")]
    make_work(alice, post=False)
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM search_fts"
            if connection.vendor == "sqlite"
            else "DELETE FROM search_document"
        )
    assert indexed() == {}
    assert search_rebuild() == 2
    assert set(indexed()) == {work.pk for work in works}
    if connection.vendor == "postgresql":  # the indexes dropped for the refill are back
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'search_document'")
            assert {
                "search_document_gin",
                "search_document_fields_gin",
                "search_document_pairs_gin",
            } <= {row[0] for row in cursor.fetchall()}
    out = io.StringIO()
    call_command("search_rebuild", stdout=out)
    assert "Search index rebuilt: 2 works." in out.getvalue()
    assert indexed()[works[1].pk][0] == "Second"


def test_plain_text_drops_elements_and_snippet_markers():
    assert plain_text("<p>a&lt;b\x02</p>").split() == ["a<b"]


def test_rows_of_works_that_are_gone_are_dropped_after_a_flush_or_migrate(alice):
    """PostgreSQL reads search rows without works when listing by date: a row left behind by
    a flush (or a delete outside the works services) must not be counted."""
    from fanfold.search.apps import drop_rows_of_missing_works
    from fanfold.search.models import SearchDocument

    kept = make_work(alice, content="<p>lantern</p>")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_document (work_id, title, listed) VALUES (%s, 'ghost', 1)",
                [kept.pk + 1000],
            )
        drop_rows_of_missing_works(sender=None, using="default")
        assert list(SearchDocument.objects.values_list("work_id", flat=True)) == [kept.pk]
    else:  # SQLite's FTS5 index is always read joined to works: nothing to do there
        drop_rows_of_missing_works(sender=None, using="default")
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid FROM search_fts")
            assert [row[0] for row in cursor.fetchall()] == [kept.pk]
