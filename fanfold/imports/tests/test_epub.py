"""Reading EPUBs (fanfold/imports/epub.py), and refusing broken and hostile ones with a message
that names the problem."""

import io
import zipfile

import pytest

from fanfold.imports.epub import ArchiveLimits, parse_epub
from fanfold.imports.errors import ImportRefused
from fanfold.imports.parsing import parse_file
from fanfold.imports.testing import CONTAINER, make_epub, opf, xhtml


def test_one_document_per_chapter_with_headings_and_metadata():
    data = make_epub(
        {
            "nav.xhtml": xhtml("<nav><ol><li>Chapter 1</li></ol></nav>"),
            "chapter1.xhtml": xhtml(
                "<h2>Chapter 1: Landfall</h2><p>A/N: Hello readers.</p><p>The ship landed.</p>"
                "<p>* * *</p><p>Night fell.</p>"
            ),
            "chapter2.xhtml": xhtml("<h2>Chapter 2</h2><p>Morning, \u201cfinally\u201d.</p>"),
        },
        title="Landfall &amp; After",
        creators=["Quill", "Ink"],
        subjects=["Found Family", "Last Update: 2020/01/01"],
        description="A crew comes home.\n\nAnd stays.",
        language="fr-FR",
    )
    work = parse_epub(data)
    assert work.title == "Landfall & After"
    assert work.authors == ["Quill", "Ink"]
    assert work.language == "fr"
    assert work.summary == "<p>A crew comes home.</p>\n<p>And stays.</p>"
    assert work.freeforms == ["Found Family"]
    assert [c.title for c in work.chapters] == ["Landfall", ""]
    assert work.chapters[0].notes == "<p>Hello readers.</p>"
    assert work.chapters[0].content == "<p>The ship landed.</p>\n<hr>\n<p>Night fell.</p>"
    assert work.chapters[1].content == "<p>Morning, \u201cfinally\u201d.</p>"


def test_a_single_document_is_split_at_its_chapter_headings():
    data = make_epub(
        {
            "cover.xhtml": xhtml("<p>Cover page</p>"),
            "text.xhtml": xhtml("<h2>Prologue</h2><p>Before.</p><h2>Chapter 1</h2><p>During.</p>"),
        }
    )
    work = parse_epub(data)
    assert [c.title for c in work.chapters] == ["Prologue", ""]
    assert "Cover page" not in work.chapters[0].content


def test_epub_2_and_malformed_xhtml_are_read_as_readers_apps_do():
    data = make_epub(
        {"c1.html": "<html><body><p>Unclosed <b>bold<p>Second &nbsp; para</body></html>"},
        version="2.0",
    )
    work = parse_epub(data)
    assert "Unclosed <b>bold</b>" in work.chapters[0].content
    assert "Second" in work.chapters[0].content


def test_detected_by_content_whatever_the_file_is_called():
    data = make_epub({"c.xhtml": xhtml("<p>Text here.</p>")})
    assert parse_file("download.bin", data).chapters[0].content == "<p>Text here.</p>"


# --- Bad files ---------------------------------------------------------------------------------


def refused(data: bytes, **kwargs) -> str:
    with pytest.raises(ImportRefused) as info:
        parse_epub(data, filename="story.epub", **kwargs)
    return info.value.message


def test_not_a_zip():
    assert "story.epub is damaged: it is not a readable ZIP archive" in refused(b"PK\x03\x04junk")


def test_a_truncated_zip():
    data = make_epub({"c.xhtml": xhtml("<p>" + "words " * 2000 + "</p>")})
    assert "damaged" in refused(data[: len(data) // 2])


def test_a_corrupted_member():
    data = bytearray(make_epub({"c.xhtml": xhtml("<p>" + "words and more " * 500 + "</p>")}))
    position = data.index(b"c.xhtml") + 40
    data[position : position + 20] = b"\x00" * 20
    message = refused(bytes(data))
    assert "damaged" in message


def test_a_zip_bomb_by_ratio():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("META-INF/container.xml", CONTAINER)
        archive.writestr("OEBPS/content.opf", opf(documents=["c.xhtml"]))
        archive.writestr(
            "OEBPS/c.xhtml", b"<p>" + b"\0" * (20 * 2**20) + b"</p>", zipfile.ZIP_DEFLATED
        )
    message = refused(buffer.getvalue())
    assert "zip bomb" in message and "c.xhtml" in message


def test_a_zip_bomb_by_total_size():
    data = make_epub({"c.xhtml": xhtml("<p>" + "x" * 5000 + "</p>")})
    message = refused(data, limits=ArchiveLimits(max_total_bytes=2000))
    assert "unpacks to more than" in message and "zip bomb" in message


def test_too_many_files():
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, extra={f"f{i}": b"" for i in range(10)})
    assert "at most 5" in refused(data, limits=ArchiveLimits(max_members=5))


def test_missing_container():
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, container=None)
    assert refused(data) == (
        "story.epub is incomplete: its table of contents (META-INF/container.xml) is missing "
        "from it."
    )


def test_missing_chapter_file():
    package = opf(documents=["c.xhtml", "gone.xhtml"])
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, package=package)
    assert refused(data) == (
        "story.epub is incomplete: a chapter (OEBPS/gone.xhtml) is missing from it."
    )


def test_spine_naming_an_unknown_item():
    package = opf(documents=["c.xhtml"]).replace('idref="d0"', 'idref="nowhere"')
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, package=package)
    assert "names 'nowhere'" in refused(data)


def test_package_document_that_is_not_xml():
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, package="<package><unclosed")
    assert "OEBPS/content.opf is not well-formed XML" in refused(data)


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


def test_entity_expansion_in_the_package_document():
    package = BILLION_LAUGHS + opf(documents=["c.xhtml"]).split("?>", 1)[1].replace(
        "Generated Title", "&lol3;"
    )
    data = make_epub({"c.xhtml": xhtml("<p>x</p>")}, package=package)
    assert "hostile XML in OEBPS/content.opf" in refused(data)


def test_entity_expansion_in_a_chapter():
    chapter = BILLION_LAUGHS + "<html><body><p>&lol3;</p></body></html>"
    assert "hostile XML in OEBPS/c.xhtml" in refused(make_epub({"c.xhtml": chapter}))


def test_external_entities_are_refused_and_never_read():
    chapter = (
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
        "<html><body><p>&secret;</p></body></html>"
    )
    assert "hostile XML" in refused(make_epub({"c.xhtml": chapter}))
    container = CONTAINER.replace(
        "<container", '<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><container'
    ).replace('<?xml version="1.0" encoding="UTF-8"?>', "")
    message = refused(make_epub({"c.xhtml": xhtml("<p>x</p>")}, container=container))
    assert "hostile XML in META-INF/container.xml" in message


def test_an_external_dtd_is_not_fetched():
    chapter = (
        '<?xml version="1.0"?><!DOCTYPE html SYSTEM "file:///etc/passwd">'
        "<html><body><p>Safe text.</p></body></html>"
    )
    work = parse_epub(make_epub({"c.xhtml": chapter}))
    assert work.chapters[0].content == "<p>Safe text.</p>"
    assert "root:" not in work.chapters[0].content


def test_an_epub_without_text():
    data = make_epub({"c.xhtml": xhtml("<p> </p>"), "nav.xhtml": xhtml("<p>Contents</p>")})
    assert "no story text" in refused(data)
