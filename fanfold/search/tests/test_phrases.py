"""Phrases of common words ("the harbour"): on PostgreSQL they are narrowed by the document's
common word pairs (migration search 0005, query.COMMON_WORDS), which must never lose a match
the phrase itself has; on SQLite FTS5 answers them from word positions. Readers must get the
same works either way."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanfold.search.query import COMMON_WORDS, PAIRS_COLUMN
from fanfold.testing.factories import make_work
from fanfold.testing.pages import blurb_titles
from fanfold.works.services import ChapterInput, chapter_create, chapter_update

pytestmark = pytest.mark.django_db


def found(client, q) -> list[str]:
    response = client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    return sorted(blurb_titles(response))


def test_common_words_are_plain_lowercase_words():
    # The migration writes them into SQL as they are; the query compares lowercase words.
    assert len(COMMON_WORDS) >= 100
    assert all(word.isascii() and word.isalpha() and word.islower() for word in COMMON_WORDS)


def test_a_phrase_of_common_words_finds_the_works_where_they_are_adjacent(client, alice):
    make_work(alice, title="Adjacent", content="<p>Lights over the harbour at dusk.</p>")
    make_work(alice, title="Apart", content="<p>The gulls left; a harbour waited.</p>")
    make_work(alice, title="Reversed", content="<p>Ships rest in harbour, the tide low.</p>")
    make_work(alice, title="Gap", content="<p>Past the old harbour wall.</p>")
    assert found(client, '"the harbour"') == ["Adjacent"]
    assert found(client, '"harbour the"') == ["Reversed"]
    assert found(client, '"the old harbour"') == ["Gap"]
    assert found(client, "the harbour") == ["Adjacent", "Apart", "Gap", "Reversed"]
    assert found(client, 'harbour -"the harbour"') == ["Apart", "Gap", "Reversed"]
    # With other words and exclusions (PostgreSQL answers a two-word phrase by its pair).
    assert found(client, '"the harbour" lights') == ["Adjacent"]
    assert found(client, '"the harbour" -dusk') == []
    assert found(client, '"in harbour" -dusk') == ["Reversed"]
    assert found(client, '"the harbour" title:adjacent') == ["Adjacent"]
    assert found(client, '"the harbour" "in harbour"') == []


def test_longer_phrases_need_every_word_in_its_place(client, alice):
    make_work(alice, title="Whole", content="<p>She followed the light of the harbour home.</p>")
    # Every pair of the phrase, but not the phrase: the pairs alone would find it.
    make_work(alice, title="Pieces", content="<p>The light of the tower; the harbour slept.</p>")
    make_work(alice, title="Near", content="<p>The light of a harbour.</p>")
    assert found(client, '"the light of the harbour"') == ["Whole"]
    assert found(client, '"light of the"') == ["Pieces", "Whole"]
    assert found(client, '"the light of"') == ["Near", "Pieces", "Whole"]


def test_phrases_mixing_common_and_rare_words(client, alice):
    make_work(alice, title="Keeper", content="<p>The keeper of the lantern slept.</p>")
    make_work(alice, title="Lantern", content="<p>A lantern keeper, of course.</p>")
    make_work(alice, title="Tide", content="<p>The keeper of the tide and a lantern.</p>")
    assert found(client, '"keeper of the lantern"') == ["Keeper"]
    assert found(client, '"keeper of the" lantern') == ["Keeper", "Tide"]
    assert found(client, '"lantern keeper"') == ["Lantern"]  # no common word: no pairs
    assert found(client, '"keeper of" -"the tide"') == ["Keeper", "Lantern"]
    assert found(client, '"keeper of" -title:keeper') == ["Lantern", "Tide"]


def test_a_phrase_across_fields_is_found_as_each_database_finds_phrases(client, alice):
    work = make_work(
        alice, title="Shoreline of the", summary="<p>Waiting by the</p>",
        content="<p>harbour wall all night, and then</p>",
    )  # fmt: skip
    chapter_create(work=work, user=alice, chapter=ChapterInput(content="<p>the tide.</p>"))
    # Chapters are one text on both databases.
    assert found(client, '"and then the tide"') == ["Shoreline of the"]
    # PostgreSQL reads a work's summary, notes and text as one run of words; FTS5 matches a
    # phrase within one column.
    across = [] if connection.vendor == "sqlite" else ["Shoreline of the"]
    assert found(client, '"by the harbour"') == across
    assert found(client, '"of the alice"') == across  # the title, then its creator


def test_a_works_pairs_follow_edits(client, alice):
    work = make_work(alice, title="Edited", content="<p>A boat in the harbour.</p>")
    assert found(client, '"in the harbour"') == ["Edited"]
    chapter_update(
        chapter=work.chapters.get(), user=alice,
        data=ChapterInput(content="<p>A boat by the lighthouse.</p>"),
    )  # fmt: skip
    assert found(client, '"in the harbour"') == []
    assert found(client, '"by the lighthouse"') == ["Edited"]


def test_a_common_phrase_is_read_through_its_pairs_on_postgresql(client, alice):
    """PostgreSQL keeps the document's common word pairs and reads a phrase through them;
    SQLite's FTS5 index keeps word positions and finds the same phrase without pairs."""
    work = make_work(
        alice, title="Harbour",
        content="<p>Lights over the harbour.</p><p>Of the sea</p><p>The sea-monster's mail"
        " to a@b.example at 3.5 past the İstanbul gate_of the x² tide.</p>",
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        assert found(client, '"the harbour"') == ["Harbour"]
    if connection.vendor != "postgresql":
        return
    assert any(f"{PAIRS_COLUMN} @@" in query["sql"] for query in queries.captured_queries)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT tsvector_to_array({PAIRS_COLUMN}),"
            f" {PAIRS_COLUMN} = fanfold_common_pairs(document)"
            " FROM search_document WHERE work_id = %s",
            [work.pk],
        )
        pairs, same_as_document = cursor.fetchone()
    # The pairs are read from the text (migration search 0007), and give the same pairs as the
    # document's positions where those are all there: the same parser, the same words in the
    # same order (hyphenated words and their parts, addresses, numbers, other alphabets).
    assert same_as_document
    # Across paragraphs too; no pair without a common word ("harbour alice" has none).
    assert {"over the", "the harbour", "harbour of", "of the", "the sea"} <= set(pairs)
    assert "lights over" in pairs and "harbour alice" not in pairs


# A tsvector keeps 255 positions of a word and none past 16,383 (migration search 0007).
def _filler(words: int) -> str:
    return " ".join(f"the word{n % 40} stone" for n in range(words // 3))


def test_a_phrase_past_a_words_255th_use_is_found(client, alice):
    make_work(alice, title="Late", content=f"<p>{_filler(1200)}. Lights over the harbour.</p>")
    make_work(
        alice, title="Apart", content=f"<p>{_filler(1200)}. A harbour, and over it the lights.</p>"
    )
    assert found(client, '"the harbour"') == ["Late"]  # by its pair alone
    assert found(client, '"over the harbour"') == ["Late"]  # pairs, then the text
    assert found(client, '"lights over"') == ["Late"]
    assert found(client, '"harbour lights"') == []
    assert found(client, '"stone lights"') == ["Late"]  # "stone" is past its 255th use too
    assert found(client, '"stone a harbour"') == ["Apart"]
    assert found(client, 'harbour -"over the harbour"') == ["Apart"]
    assert found(client, 'lights -"lights over"') == ["Apart"]


def test_a_phrase_past_the_16383rd_word_is_found(client, alice):
    far = " ".join(f"w{n % 300}x" for n in range(17000))
    make_work(alice, title="Far", content=f"<p>{far} lantern keeper smiled</p>")
    make_work(alice, title="Near", content="<p>The lantern keeper frowned.</p>")
    make_work(alice, title="Split", content=f"<p>{far} keeper smiled at a lantern</p>")
    assert found(client, '"lantern keeper"') == ["Far", "Near"]
    assert found(client, '"keeper smiled"') == ["Far", "Split"]
    assert found(client, '"lantern keeper smiled"') == ["Far"]
    assert found(client, '"w199x lantern"') == ["Far"]
    assert found(client, 'keeper -"keeper smiled"') == ["Near"]
    assert found(client, '-"lantern keeper" title:split') == ["Split"]
    assert found(client, '"smiled lantern"') == []
    if connection.vendor == "postgresql":  # the text is read only where positions are missing
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT title, positions_clamped, saturated_words FROM search_document"
                " ORDER BY title"
            )
            assert cursor.fetchall() == [
                ("Far", True, []), ("Near", False, []), ("Split", True, [])
            ]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "is_found"),
    [
        ("the harbour", True),
        ("The HARBOUR", True),
        ("the -- harbour", True),
        ("the_harbour", True),
        ("the\nharbour", True),
        ("the harbours", False),
        ("bathe harbour", False),
        ("the2 harbour", False),
        ("theharbour", False),
    ],
)
def test_a_phrase_in_a_long_text_is_told_from_words_alike(client, alice, text, is_found):
    """In a long text PostgreSQL checks a phrase on the text itself: it must part words as
    where positions decide, and as SQLite does."""
    content = f"<p>{_filler(1200)} {text} {_filler(300)}. Later, the harbour.</p>"
    make_work(alice, title="Long", content=content)
    # Its pairs ("stone the", "the harbour") are in the text either way: the text decides.
    assert found(client, '"stone the harbour"') == (["Long"] if is_found else [])


def test_words_past_the_16383rd_do_not_look_adjacent(client, alice):
    # A tsvector keeps every word past the 16,383rd at 16,383: a "dark" at 16,382 and a "night"
    # far later would look adjacent there.
    words = ["w"] * 16370 + ["dark"] * 40 + ["w"] * 500 + ["night"]
    make_work(alice, title="Clamped", content=f"<p>{' '.join(words)}</p>")
    assert found(client, '"dark night"') == []
    assert found(client, '"dark dark"') == ["Clamped"]
    assert found(client, 'night -"dark night"') == ["Clamped"]
