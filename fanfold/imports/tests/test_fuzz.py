"""Fuzzing the importers with hypothesis: whatever the input, a parser returns a work or refuses
with ImportRefused, never crashes. Example counts are bounded so the suite stays fast."""

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from fanfold.imports.efiction.sqldump import parse_dump
from fanfold.imports.errors import ImportRefused
from fanfold.imports.parsing import parse_file, parse_text_as
from fanfold.imports.testing import make_epub, xhtml

FUZZ = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Text made of the pieces the parsers look for, so the examples reach the interesting paths.
PIECES = st.sampled_from(
    [
        "Chapter 1", "Chapter Two: Title", "Part II", "Prologue", "A/N:", "AN:",
        "Disclaimer:", "***", "~*~", "----", "Title: x", "by y", "Summary:", "\n", "\n\n",
        "<p>", "</p>", "<h2>", "</h2>", "<hr>", "<div>", "<br>", "<b>", "&amp;", "&", "<",
        "# ", "**", "\u201c", "\u2014", "\u2026", "\u5973", "\x00", "\ufeff", " ", "word",
    ]
)  # fmt: skip
STORYLIKE = st.lists(st.one_of(PIECES, st.text(max_size=12)), max_size=40).map("".join)


def _parses_or_refuses(call):
    try:
        work = call()
    except ImportRefused as exc:
        assert exc.message
        return
    assert work.chapters
    for chapter in work.chapters:
        assert "<script" not in chapter.content


@pytest.mark.parametrize("format", ["auto", "text", "markdown", "html"])
@FUZZ
@given(text=STORYLIKE)
def test_text_formats_never_crash(format, text):
    _parses_or_refuses(lambda: parse_text_as(text, format))


@FUZZ
@given(data=st.binary(max_size=400), name=st.sampled_from(["a.txt", "a.html", "a.md", "a.epub"]))
def test_any_bytes_never_crash(data, name):
    _parses_or_refuses(lambda: parse_file(name, data))


VALID_EPUB = make_epub(
    {
        "c1.xhtml": xhtml("<h2>Chapter 1</h2><p>One.</p>"),
        "c2.xhtml": xhtml("<h2>Chapter 2</h2><p>Two.</p>"),
    }
)


@FUZZ
@example(edits=[(VALID_EPUB.rindex(b"PK\x01\x02") + 6, b"\x40")], cut=None)  # zip version 6.4
@given(
    edits=st.lists(
        st.tuples(st.integers(0, len(VALID_EPUB) - 1), st.binary(min_size=1, max_size=8)),
        min_size=1,
        max_size=6,
    ),
    cut=st.one_of(st.none(), st.integers(0, len(VALID_EPUB))),
)
def test_damaged_epubs_never_crash(edits, cut):
    data = bytearray(VALID_EPUB)
    for position, replacement in edits:
        data[position : position + len(replacement)] = replacement
    if cut is not None:
        data = data[:cut]
    _parses_or_refuses(lambda: parse_file("story.epub", bytes(data)))


@FUZZ
@given(body=STORYLIKE)
def test_epub_chapter_documents_never_crash(body):
    _parses_or_refuses(lambda: parse_file("story.epub", make_epub({"c.xhtml": xhtml(body)})))


SQL_PIECES = st.sampled_from(
    [
        "INSERT INTO `fanfiction_stories` ", "CREATE TABLE `t` (", "`a` int,", ") ", "VALUES ",
        "(", ")", ",", ";", "'", "\\'", "\\", "NULL", "12", "-3.5", "'text'", "\n", " ",
    ]
)  # fmt: skip


@FUZZ
@given(text=st.lists(st.one_of(SQL_PIECES, st.text(max_size=6)), max_size=40).map("".join))
def test_the_dump_reader_never_crashes(text):
    try:
        parse_dump(text)
    except ImportRefused as exc:
        assert "near line" in exc.message
