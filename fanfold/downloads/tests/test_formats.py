"""The files themselves: the EPUB passes W3C epubcheck with no errors and no warnings and holds
everything the issue lists; the HTML needs nothing else; the PDF has a header, page numbers and
a table of contents; calibre makes AZW3 and MOBI from the EPUB."""

import datetime
import re
import subprocess
import zipfile

import pytest
from lxml import etree

from fanfold.downloads.book import Book, BookChapter
from fanfold.downloads.epub import write_epub
from fanfold.downloads.formats import BuildFailed, Format, html_document, write_format
from fanfold.downloads.selectors import book_from_work, work_identifier
from fanfold.testing.factories import make_work

from .conftest import epub_files


def test_a_rich_work_makes_an_epub_that_epubcheck_passes_without_warnings(
    rich_work, tmp_path, epubcheck
):
    path = tmp_path / "work.epub"
    write_epub(book_from_work(rich_work), path)
    assert epubcheck(path) == []

    files = epub_files(path)
    with zipfile.ZipFile(path) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    opf = files["OEBPS/content.opf"]
    assert "<dc:title>Lanterns &amp; &lt;Tides&gt;</dc:title>" in opf
    assert re.findall(r"<dc:creator[^>]*>([^<]*)<", opf) == ["alice", "bob"]
    assert "<dc:language>en</dc:language>" in opf
    assert "<dc:description>Two keepers and a storm.</dc:description>" in opf
    subjects = re.findall(r"<dc:subject>([^<]*)<", opf)
    for tag in ["General Audiences", "No Archive Warnings Apply", "F/F", "Gen",
                "Harbour Stories", "Sea Tales", "Mira/Tova", "Mira", "Tova", "Fluff",
                "Found Family"]:  # fmt: skip
        assert tag in subjects
    assert f"<dc:date>{rich_work.published_on.isoformat()}</dc:date>" in opf
    assert re.search(r'property="dcterms:modified">\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<', opf)
    for accessibility in ["schema:accessMode", "schema:accessibilityFeature",
                          "schema:accessibilityHazard", "schema:accessibilitySummary",
                          "dcterms:conformsTo"]:  # fmt: skip
        assert f'property="{accessibility}"' in opf
    assert 'properties="cover-image"' in opf
    assert "belongs-to-collection" not in opf  # not in a series

    identifier = work_identifier(rich_work.pk)
    assert f'<dc:identifier id="bookid">{identifier}</dc:identifier>' in opf
    assert f'name="dtb:uid" content="{identifier}"' in files["OEBPS/toc.ncx"]
    assert "Lanterns &amp; &lt;Tides&gt;" in files["OEBPS/cover.svg"]

    title = files["OEBPS/title.xhtml"]
    for block in ['<dt class="rating">', '<dt class="warning">', '<dt class="category">',
                  '<dt class="fandom">', '<dt class="relationship">', '<dt class="character">',
                  '<dt class="freeform">', '<dt class="language">', '<dt class="stats">',
                  '<section class="summary"', '<section class="notes"']:  # fmt: skip
        assert block in title
    assert '<span class="chapters">3/3</span>' in title
    nav = files["OEBPS/nav.xhtml"]
    assert "Chapter 1: Everything" in nav and "Chapter 3: 低い潮" in nav
    assert nav.count('href="chapter-') == 4  # three in the contents, one landmark
    assert files["OEBPS/toc.ncx"].count("<navPoint") == 5  # title page, 3 chapters, end notes

    chapter = files["OEBPS/chapter-001.xhtml"]
    assert '<section class="chapter-notes">' in chapter
    assert '<section class="chapter-endnotes">' in chapter
    assert '<a href="https://example.org/cat.png" class="image-link">[Image: A cat asleep]</a>' in (
        chapter
    )
    assert "<s>strike</s>" in chapter and "<strike>" not in chapter
    assert '<div class="center">centred block</div>' in chapter
    assert "<ruby>漢<rp>(</rp><rt>kan</rt>" in chapter
    assert '<div dir="rtl" lang="ar">مرحبا بالعالم</div>' in chapter
    assert "The second chapter&#x27;s own words" in files["OEBPS/chapter-002.xhtml"] or (
        "The second chapter's own words" in files["OEBPS/chapter-002.xhtml"]
    )
    assert "Thanks for reading." in files["OEBPS/endnotes.xhtml"]

    # The same work downloaded again is the same book for a reader's library.
    again = tmp_path / "again.epub"
    write_epub(book_from_work(rich_work), again)
    assert identifier in epub_files(again)["OEBPS/content.opf"]


def test_a_right_to_left_work_in_a_series_passes_epubcheck(tmp_path, epubcheck):
    book = Book(
        identifier=work_identifier(12345),
        title="حكاية البحر",
        creators=["كاتب"],
        language="ar",
        direction="rtl",
        language_name="العربية",
        chapters=[
            BookChapter(1, "الفصل الأول", "<p>كان البحر هادئًا.</p><p>中文 and 日本語 too.</p>"),
            BookChapter(2, "", "<p>ثم جاءت العاصفة.</p>", notes="<p>ملاحظة</p>"),
        ],
        modified=datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
        tags={"rating": ["Not Rated"], "fandom": ["البحر"]},
        series=("سلسلة البحر", 2),
        chapters_display="2/?",
    )
    path = tmp_path / "rtl.epub"
    write_epub(book, path)
    assert epubcheck(path) == []
    files = epub_files(path)
    opf = files["OEBPS/content.opf"]
    assert '<meta property="belongs-to-collection" id="series">سلسلة البحر</meta>' in opf
    assert '<meta refines="#series" property="group-position">2</meta>' in opf
    assert 'page-progression-direction="rtl"' in opf
    assert '<body dir="rtl">' in files["OEBPS/chapter-001.xhtml"]
    assert '<span class="series-position">2</span>' in files["OEBPS/title.xhtml"]


def test_every_epub_document_is_well_formed_xml(rich_work, tmp_path):
    path = tmp_path / "work.epub"
    write_epub(book_from_work(rich_work), path)
    for name, text in epub_files(path).items():
        if name.endswith((".xhtml", ".opf", ".ncx", ".svg", ".xml")):
            etree.fromstring(text.encode("utf-8"))  # raises on malformed XML


def test_only_posted_chapters_are_in_the_download(alice, tmp_path):
    from fanfold.works.services import ChapterInput, chapter_create

    work = make_work(alice, chapters=1, content="<p>Posted words.</p>")
    chapter_create(
        work=work, user=alice, chapter=ChapterInput(content="<p>Secret.</p>"), post=False
    )
    work.refresh_from_db()
    html = html_document(book_from_work(work))
    assert "Posted words." in html and "Secret." not in html


def test_the_html_file_needs_nothing_else(rich_work):
    html = html_document(book_from_work(rich_work))
    assert "<style>" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert " src=" not in html and "epub:type" not in html
    assert html.count('<section class="chapter"') == 3
    assert '<nav class="toc"' in html and 'href="#chapter-3"' in html


def test_the_pdf_has_a_contents_page_a_running_title_and_page_numbers(rich_work, tmp_path):
    path = tmp_path / "work.pdf"
    write_format(book_from_work(rich_work), Format.PDF, path)
    assert path.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) >= 5  # title, contents, 3 chapters
    assert "Contents" in text
    # The contents list chapters with the page they start on.
    assert re.search(r"Chapter 2\s*\.*\s*\d+", text)
    # Page numbers at the foot of pages, the title at the head of all but the first.
    assert pages[2].strip().endswith("3")
    assert "Lanterns & <Tides>" in pages[2].strip().splitlines()[0]
    assert "潮が引いた" in text  # CJK text is set, not dropped


def test_calibre_makes_azw3_and_mobi_from_the_epub(rich_work, tmp_path):
    book = book_from_work(rich_work)
    for fmt in (Format.AZW3, Format.MOBI):
        path = tmp_path / f"work.{fmt}"
        write_format(book, fmt, path)
        data = path.read_bytes()
        assert data[60:68] == b"BOOKMOBI", fmt  # the Mobipocket header both formats use
        meta = subprocess.run(
            ["ebook-meta", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "Lanterns & <Tides>" in meta


def test_a_broken_calibre_is_reported_not_hidden(rich_work, tmp_path, settings):
    settings.FANFOLD_EBOOK_CONVERT = "false"  # a program that always fails
    with pytest.raises(BuildFailed, match="calibre could not convert"):
        write_format(book_from_work(rich_work), Format.AZW3, tmp_path / "work.azw3")
