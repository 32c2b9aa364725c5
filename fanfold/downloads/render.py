"""The parts of a download every format shares: the title page with AO3's metadata block, one
chapter, the end notes, and the stylesheet, as XHTML fragments (valid HTML too, so the single
HTML file and the PDF reuse them). docs/downloads.md documents this markup for importers."""

from html import escape

from .book import TAG_GROUPS, Book, BookChapter
from .xhtml import to_xhtml

STYLESHEET = """\
body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1.title { text-align: center; margin-top: 2em; }
p.byline { text-align: center; font-size: 1.2em; }
dl.meta { border: 1px solid #999; padding: 0.5em 1em; }
dl.meta dt { font-weight: bold; margin-top: 0.3em; }
dl.meta dd { margin-left: 1.5em; }
ul.tags { display: inline; padding: 0; margin: 0; }
ul.tags li { display: inline; }
ul.tags li + li::before { content: ", "; }
.chapter-title { margin-top: 1.5em; }
.chapter-summary, .chapter-notes, .chapter-endnotes, .summary, .notes, .endnotes {
  border-left: 3px solid #bbb; padding-left: 0.8em; margin: 1em 0; }
.userstuff table { border-collapse: collapse; }
.userstuff td, .userstuff th { border: 1px solid #999; padding: 0.2em 0.4em; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
.tt { font-family: monospace; }
.was-p, .was-div, .was-blockquote, .was-li, .was-dd, .was-dt, .was-summary, .was-figcaption,
.was-h1, .was-h2, .was-h3, .was-h4, .was-h5, .was-h6, .was-pre, .was-ul, .was-ol, .was-dl,
.was-table, .was-tr, .was-address { display: block; }
nav ol { list-style: none; padding-left: 1em; }
"""


def _e(text: str) -> str:
    return escape(text, quote=True)


def _userstuff(html: str, extra_class: str = "") -> str:
    css = f"userstuff {extra_class}".strip()
    return f'<div class="{css}">{to_xhtml(html)}</div>'


def title_page(book: Book) -> str:
    creators = ", ".join(f'<span class="creator">{_e(name)}</span>' for name in book.creators)
    rows = []
    for tag_type, one, many in TAG_GROUPS:
        names = book.tags.get(tag_type, [])
        if not names and tag_type not in ("rating", "warning"):
            continue
        label = many if len(names) > 1 else one
        items = "".join(f'<li class="tag">{_e(name)}</li>' for name in names)
        if not names:
            items = '<li class="tag">Not Rated</li>' if tag_type == "rating" else ""
        body = f'<ul class="tags">{items}</ul>' if items else ""
        rows.append(f'<dt class="{tag_type}">{label}:</dt><dd class="{tag_type}">{body}</dd>')
    rows.append(
        f'<dt class="language">Language:</dt>'
        f'<dd class="language" data-code="{_e(book.language)}">{_e(book.language_name)}</dd>'
    )
    if book.series:
        series_title, position = book.series
        rows.append(
            '<dt class="series">Series:</dt><dd class="series">Part '
            f'<span class="series-position">{position}</span> of '
            f'<span class="series-title">{_e(series_title)}</span></dd>'
        )
    stats = []
    if book.published:
        stats.append(f'Published: <span class="published">{book.published.isoformat()}</span>')
    if book.updated:
        label = "Completed" if book.is_complete else "Updated"
        stats.append(f'{label}: <span class="updated">{book.updated.isoformat()}</span>')
    stats.append(f'Words: <span class="words">{book.words:,}</span>')
    stats.append(f'Chapters: <span class="chapters">{_e(book.chapters_display)}</span>')
    rows.append(f'<dt class="stats">Stats:</dt><dd class="stats">{" ".join(stats)}</dd>')

    parts = [
        '<section epub:type="titlepage" class="preface" id="preface">',
        f'<h1 class="title">{_e(book.title)}</h1>',
        f'<p class="byline">by {creators}</p>' if book.creators else "",
        f'<dl class="meta">{"".join(rows)}</dl>',
    ]
    if book.summary:
        parts.append(
            '<section class="summary" id="summary"><h2>Summary</h2>'
            f"{_userstuff(book.summary)}</section>"
        )
    if book.notes:
        parts.append(
            f'<section class="notes" id="notes"><h2>Notes</h2>{_userstuff(book.notes)}</section>'
        )
    parts.append("</section>")
    return "".join(parts)


def chapter_heading(chapter: BookChapter) -> str:
    if not chapter.title:
        return f"Chapter {chapter.number}"
    return (
        f'Chapter {chapter.number}<span class="chapter-name-separator">: </span>'
        f'<span class="chapter-name">{_e(chapter.title)}</span>'
    )


def chapter_section(chapter: BookChapter) -> str:
    parts = [
        f'<section epub:type="chapter" class="chapter" id="chapter-{chapter.number}">',
        f'<h2 class="chapter-title">{chapter_heading(chapter)}</h2>',
    ]
    if chapter.summary:
        parts.append(
            '<section class="chapter-summary"><h3>Summary</h3>'
            f"{_userstuff(chapter.summary)}</section>"
        )
    if chapter.notes:
        parts.append(
            f'<section class="chapter-notes"><h3>Notes</h3>{_userstuff(chapter.notes)}</section>'
        )
    parts.append(_userstuff(chapter.content, "chapter-text"))
    if chapter.end_notes:
        parts.append(
            '<section class="chapter-endnotes"><h3>End Notes</h3>'
            f"{_userstuff(chapter.end_notes)}</section>"
        )
    parts.append("</section>")
    return "".join(parts)


def end_notes_section(book: Book) -> str:
    return (
        '<section epub:type="afterword" class="endnotes" id="endnotes"><h2>End Notes</h2>'
        f"{_userstuff(book.end_notes)}</section>"
    )
