"""Every download format, written to a file: EPUB (epub.py), one self-contained HTML file, PDF
(WeasyPrint, from that HTML) and AZW3/MOBI (calibre's ebook-convert, from the EPUB)."""

import os
import re
import shutil
import subprocess
import tempfile
from enum import StrEnum
from html import escape
from pathlib import Path

from django.conf import settings

from .book import Book
from .epub import write_epub
from .render import STYLESHEET, chapter_section, end_notes_section, title_page


class Format(StrEnum):
    EPUB = "epub"
    AZW3 = "azw3"
    MOBI = "mobi"
    PDF = "pdf"
    HTML = "html"


LABELS = {
    Format.EPUB: "EPUB",
    Format.AZW3: "AZW3",
    Format.MOBI: "MOBI",
    Format.PDF: "PDF",
    Format.HTML: "HTML",
}
CONTENT_TYPES = {
    Format.EPUB: "application/epub+zip",
    Format.AZW3: "application/vnd.amazon.ebook",
    Format.MOBI: "application/x-mobipocket-ebook",
    Format.PDF: "application/pdf",
    Format.HTML: "text/html; charset=utf-8",
}
NEEDS_CALIBRE = frozenset({Format.AZW3, Format.MOBI})


class BuildFailed(Exception):
    """A format could not be made; the message says why, for the reader and the admin."""


def calibre_available() -> bool:
    return shutil.which(settings.FANFOLD_EBOOK_CONVERT) is not None


# --- HTML --------------------------------------------------------------------------------------

_EPUB_TYPE = re.compile(r' epub:type="[^"]*"')

PRINT_STYLESHEET = """\
@page { size: A5; margin: 2.2cm 1.6cm 2cm;
  @top-center { content: string(booktitle); font-size: 8pt; color: #555; }
  @bottom-center { content: counter(page); font-size: 9pt; } }
@page :first { @top-center { content: none; } }
body { margin: 0; font-size: 10.5pt; hyphens: auto; }
h1.title { string-set: booktitle content(); }
nav.toc { break-before: page; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader(".") target-counter(attr(href), page); }
section.chapter, section.endnotes { break-before: page; }
p { orphans: 2; widows: 2; }
a { color: inherit; }
"""


def html_document(book: Book, *, for_print: bool = False) -> str:
    """The whole work as one HTML file with its stylesheet inside: it needs nothing else."""
    toc = ['<li><a href="#preface">Title Page</a></li>']
    toc.extend(
        f'<li><a href="#chapter-{chapter.number}">{escape(chapter.heading)}</a></li>'
        for chapter in book.chapters
    )
    if book.end_notes:
        toc.append('<li><a href="#endnotes">End Notes</a></li>')
    body = [
        title_page(book),
        f'<nav class="toc" id="toc"><h2>Contents</h2><ol>{"".join(toc)}</ol></nav>',
    ]
    body.extend(chapter_section(chapter) for chapter in book.chapters)
    if book.end_notes:
        body.append(end_notes_section(book))
    style = STYLESHEET + (PRINT_STYLESHEET if for_print else "")
    lang = escape(book.language)
    creators = escape(book.byline)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(book.title)}</title>\n"
        f'<meta name="author" content="{creators}">\n'
        f'<meta name="generator" content="{escape(book.publisher)}">\n'
        f"<style>\n{style}</style>\n</head>\n"
        f'<body dir="{book.direction}">\n{_EPUB_TYPE.sub("", chr(10).join(body))}\n</body>\n'
        "</html>\n"
    )


def write_html(book: Book, path: Path) -> None:
    path.write_text(html_document(book), encoding="utf-8")


def write_pdf(book: Book, path: Path) -> None:
    # Imported here: WeasyPrint loads Pango when imported, which only PDF builds need.
    from weasyprint import HTML

    HTML(string=html_document(book, for_print=True)).write_pdf(path)


def convert_with_calibre(epub: Path, target: Path) -> None:
    """AZW3 or MOBI (by the target's suffix) from the EPUB, with calibre's ebook-convert."""
    program = shutil.which(settings.FANFOLD_EBOOK_CONVERT)
    if program is None:
        raise BuildFailed("This archive cannot make this format: calibre is not installed.")
    with tempfile.TemporaryDirectory(prefix="fanfold-calibre-") as home:
        # calibre writes its settings under HOME; each run gets its own, so runs never share.
        env = {**os.environ, "HOME": home, "CALIBRE_CONFIG_DIRECTORY": home}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        try:
            result = subprocess.run(
                [program, str(epub), str(target)],
                capture_output=True,
                text=True,
                timeout=settings.FANFOLD_DOWNLOAD_TIMEOUT,
                env=env,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise BuildFailed("Converting the work took too long.") from error
    if result.returncode != 0 or not target.exists():
        tail = (result.stderr or result.stdout or "").strip().splitlines()[-3:]
        raise BuildFailed("calibre could not convert the work: " + " ".join(tail))


def write_format(book: Book, fmt: Format, path: Path) -> None:
    """Write the book in this format at `path` (its parent directory exists)."""
    if fmt == Format.EPUB:
        write_epub(book, path)
    elif fmt == Format.HTML:
        write_html(book, path)
    elif fmt == Format.PDF:
        write_pdf(book, path)
    else:
        with tempfile.TemporaryDirectory(prefix="fanfold-epub-", dir=path.parent) as scratch:
            epub = Path(scratch) / "work.epub"
            write_epub(book, epub)
            convert_with_calibre(epub, path)
