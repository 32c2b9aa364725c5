"""Reading what writers put in text, Markdown and HTML files (fanfold/imports/parsing.py,
decoding.py): titles, notes, chapter headings, scene breaks, typography and encodings."""

import pytest

from fanfold.imports.decoding import decode_text
from fanfold.imports.errors import ImportRefused
from fanfold.imports.parsing import (
    chapter_heading_title,
    is_scene_break,
    parse_file,
    parse_html,
    parse_markdown,
    parse_plain_text,
    parse_text_as,
)

STORY = """The Lantern Keeper

by Harbour Writer

A/N: My first story here. Thanks to my beta!

Disclaimer: The lighthouse belongs to nobody.

Chapter 1: The Harbour

It was a dark night. \u201cHello,\u201d she said\u2026 and then \u2014 nothing.

***

The morning came, and the boats went out.

A/N: The next chapter is longer.

Chapter Two

The second chapter begins.

~*~

It ends, too.

Epilogue

The tide went out for the last time.

Author's Note: Thank you for reading!
"""


def test_text_title_notes_chapters_and_scene_breaks():
    work = parse_plain_text(STORY)
    assert work.title == "The Lantern Keeper"
    assert work.authors == ["Harbour Writer"]
    assert work.notes == (
        "<p>My first story here. Thanks to my beta!</p>\n<p>Disclaimer: The lighthouse belongs "
        "to nobody.</p>"
    )
    assert [c.title for c in work.chapters] == ["The Harbour", "", "Epilogue"]
    first, second, epilogue = work.chapters
    assert first.content == (
        "<p>It was a dark night. \u201cHello,\u201d she said\u2026 and then \u2014 nothing.</p>\n"
        "<hr>\n<p>The morning came, and the boats went out.</p>"
    )
    assert first.end_notes == "<p>The next chapter is longer.</p>"
    assert second.content == "<p>The second chapter begins.</p>\n<hr>\n<p>It ends, too.</p>"
    assert epilogue.content == "<p>The tide went out for the last time.</p>"
    assert epilogue.end_notes == "<p>Thank you for reading!</p>"
    assert work.word_count == sum(c.word_count for c in work.chapters) == 34


def test_a_story_without_headings_is_one_chapter_with_the_works_notes():
    work = parse_plain_text(
        "Small Hours\n\nAN: Written in one night.\n\nThe kettle boiled.\n\nShe waited.\n\n"
        "A/N: Comments welcome."
    )
    assert work.title == "Small Hours"
    assert work.notes == "<p>Written in one night.</p>"
    assert work.end_notes == "<p>Comments welcome.</p>"
    assert len(work.chapters) == 1
    assert work.chapters[0].content == "<p>The kettle boiled.</p>\n<p>She waited.</p>"


def test_one_paragraph_per_line_without_blank_lines():
    work = parse_plain_text("Title Here\nFirst line of text.\nSecond line of text.\n")
    assert work.title == "Title Here"
    assert work.chapters[0].content == "<p>First line of text.</p>\n<p>Second line of text.</p>"


def test_a_heading_without_blank_lines_around_it_still_starts_a_chapter():
    work = parse_plain_text("Chapter 1\nOne.\n\nMore one.\nChapter 2\nTwo.\n\nMore two.")
    assert len(work.chapters) == 2
    assert work.chapters[1].content == "<p>Two.</p>\n<p>More two.</p>"


@pytest.mark.parametrize(
    ("line", "title"),
    [
        ("Chapter 3", ""),
        ("CHAPTER 12", ""),
        ("Chapter Three: The Storm", "The Storm"),
        ("Chapter Twenty-One - Home", "Home"),
        ("Chapter IV. Lanterns", "Lanterns"),
        ("Ch. 5: Fog", "Fog"),
        ("Part II", "Part II"),
        ("Part Two: Ashore", "Part Two: Ashore"),
        ("Prologue", "Prologue"),
        ("Epilogue: Years Later", "Epilogue: Years Later"),
        ("Chapter 7:", ""),
    ],
)
def test_chapter_headings(line, title):
    assert chapter_heading_title(line) == title


@pytest.mark.parametrize(
    "line",
    [
        "Chapter 3 was where it all went wrong, and everyone knew it by the time they arrived.",
        "The chapter closed.",
        "Partly cloudy",
        "Prologues are overrated, she thought, and said so out loud to the empty room.",
        "",
    ],
)
def test_sentences_are_not_chapter_headings(line):
    assert chapter_heading_title(line) is None


@pytest.mark.parametrize("line", ["***", "* * *", "~*~", "----", "— — —", "oOo", "xXx", "###"])
def test_scene_breaks(line):
    assert is_scene_break(line)


@pytest.mark.parametrize("line", ["Oh.", "...", "-- she said", "* Note", "~"])
def test_not_scene_breaks(line):
    assert not is_scene_break(line)


def test_an_is_only_a_note_with_its_colon():
    work = parse_plain_text("A Title\n\nAn old man walked in.\n\nHe sat down.")
    assert work.notes == ""
    assert work.chapters[0].content.startswith("<p>An old man walked in.</p>")


def test_metadata_lines_at_the_top():
    work = parse_plain_text(
        "Title: Salt and Stone\nAuthor: Quill\nFandom: Harbour Town, Lighthouses\n"
        "Rating: T\nPairing: Keeper/Ferryman\nSummary: A storm, a lamp, a rescue.\n\n"
        "The storm broke.\n\nThe lamp held."
    )
    assert work.title == "Salt and Stone"
    assert work.authors == ["Quill"]
    assert work.fandoms == ["Harbour Town", "Lighthouses"]
    assert work.rating == "Teen And Up Audiences"
    assert work.relationships == ["Keeper/Ferryman"]
    assert work.summary == "<p>A storm, a lamp, a rescue.</p>"
    assert work.chapters[0].content == "<p>The storm broke.</p>\n<p>The lamp held.</p>"


def test_a_short_paragraph_before_the_first_chapter_is_the_summary():
    work = parse_plain_text(
        "Driftwood\n\nTwo keepers, one lamp.\n\nChapter 1\n\nThe lamp.\n\nChapter 2\n\nThe sea."
    )
    assert work.summary == "<p>Two keepers, one lamp.</p>"
    assert len(work.chapters) == 2


def test_text_is_escaped_not_read_as_html():
    work = parse_plain_text("Title\n\n<script>alert(1)</script> & <b>bold</b>\n\nMore.")
    content = work.chapters[0].content
    assert "<script>" not in content and "<b>" not in content
    assert "&lt;script&gt;" in content and "&amp;" in content


def test_html_document_title_headings_and_rules():
    work = parse_html(
        "<!DOCTYPE html><html><head><title>Template</title><style>p{}</style></head><body>"
        "<h1>Sea Glass</h1><p>A/N: For my sister.</p>"
        "<h2>Chapter 1: Shore</h2><p>The <em>waves</em> came.</p><p>* * *</p><p>Night.</p>"
        "<h2>Chapter 2: Cliff</h2><div><p>Up high.</p><center>***</center><p>Down.</p></div>"
        "<script>alert(1)</script></body></html>"
    )
    assert work.title == "Sea Glass"
    assert work.notes == "<p>For my sister.</p>"
    assert [c.title for c in work.chapters] == ["Shore", "Cliff"]
    assert work.chapters[0].content == "<p>The <em>waves</em> came.</p>\n<hr>\n<p>Night.</p>"
    assert work.chapters[1].content == "<p>Up high.</p>\n<hr>\n<p>Down.</p>"


def test_html_headings_of_one_level_split_chapters_even_without_chapter_words():
    work = parse_html(
        "<h1>Anthology</h1><h2>The First</h2><p>One.</p><h2>The Second</h2><p>Two.</p>"
    )
    assert work.title == "Anthology"
    assert [c.title for c in work.chapters] == ["The First", "The Second"]


def test_html_is_sanitized():
    work = parse_html(
        '<p onclick="x()">Hi <a href="javascript:alert(1)">there</a></p>'
        '<iframe src="https://example.org"></iframe><p style="color:red">Two</p>'
    )
    content = work.chapters[0].content
    assert "onclick" not in content and "javascript" not in content
    assert "iframe" not in content and "style" not in content


def test_loose_text_and_inline_elements_become_paragraphs():
    work = parse_html("<body>Some <b>loose</b> text.<p>A paragraph.</p>tail text</body>")
    assert work.chapters[0].content == (
        "<p>Some <b>loose</b> text.</p>\n<p>A paragraph.</p>\n<p>tail text</p>"
    )


def test_markdown():
    work = parse_markdown(
        "# River Song\n\n*A/N: short one.*\n\n## Chapter 1\n\nShe *sang*, \u201cloud.\u201d\n\n"
        "***\n\nThen quiet.\n\n## Chapter 2\n\n**Bold** move."
    )
    assert work.title == "River Song"
    assert work.notes == "<p><em>short one.</em></p>"
    assert work.chapters[0].content == (
        "<p>She <em>sang</em>, \u201cloud.\u201d</p>\n<hr>\n<p>Then quiet.</p>"
    )
    assert work.chapters[1].content == "<p><strong>Bold</strong> move.</p>"


def test_auto_format_recognises_html_and_markdown():
    assert parse_text_as("<p>Hello <i>there</i></p>", "auto").source_format == "html"
    markdown = "# T\n\n**a** b\n\n* one\n* two\n\n[link](https://example.org)"
    assert parse_text_as(markdown, "auto").source_format == "markdown"
    assert parse_text_as("Just words.\n\nMore words.", "auto").source_format == "text"


# --- Encodings ---------------------------------------------------------------------------------

SAMPLE = "\u201cIt\u2019s late,\u201d she said\u2026 \u2014 and the caf\u00e9 closed."


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings_are_detected_and_never_mojibake(encoding):
    data = ("Title\n\n" + SAMPLE + "\n\n" + SAMPLE + "\n").encode(encoding)
    work = parse_file("story.txt", data)
    assert SAMPLE in work.chapters[0].content.replace("&amp;", "&")
    assert "\u00e2\u20ac" not in work.chapters[0].content  # the classic mojibake of a quote


def test_latin1_and_east_asian_encodings():
    assert decode_text(
        "Gr\u00fc\u00dfe aus K\u00f6ln, sagte der Fu\u00dfg\u00e4nger.".encode("latin-1")
    ) == ("Gr\u00fc\u00dfe aus K\u00f6ln, sagte der Fu\u00dfg\u00e4nger.")
    japanese = (
        "\u6708\u304c\u7dba\u9e97\u3067\u3059\u306d\u3002\u6d77\u306e\u8fd1\u304f\u3067\u3001\u5f7c\u5973\u306f\u5f85\u3063\u3066\u3044\u305f\u3002"
        * 3
    )
    assert decode_text(japanese.encode("shift_jis")) == japanese
    chinese = (
        "\u706f\u5854\u5b88\u62a4\u8005\u5728\u591c\u91cc\u70b9\u4eae\u4e86\u706f\u3002\u6d77\u6d6a\u5f88\u5927\u3002"
        * 3
    )
    assert decode_text(chinese.encode("gb18030")) == chinese


def test_html_meta_charset_is_honoured():
    data = (
        '<html><head><meta charset="windows-1252"></head>'
        "<body><p>caf\u00e9 \u201cok\u201d</p></body></html>"
    )
    work = parse_file("story.html", data.encode("cp1252"))
    assert "caf\u00e9 \u201cok\u201d" in work.chapters[0].content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "story.txt is empty."),
        (b"   \n\n  ", "story.txt is empty."),
        (b"\x00\x01\x02\xff\xfe\x00\x80binary\x00" * 20, "looks like a binary file"),
    ],
)
def test_empty_and_binary_files_are_refused(data, message):
    with pytest.raises(ImportRefused, match=message):
        parse_file("story.txt", data)


def test_text_with_no_story_is_refused():
    with pytest.raises(ImportRefused, match="no story text"):
        parse_html("<html><body><script>x</script><p> </p></body></html>")
