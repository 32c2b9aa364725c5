"""The EPUB 3 writer.

Written by hand with zipfile and string templates: the Python EPUB libraries either write
EPUB 2 only, or (ebooklib) leave the XHTML of each document to the caller and still produce
packages that epubcheck warns about (no toc.ncx uid match, missing dcterms:modified format,
no accessibility metadata). The package here is small and fully specified by EPUB 3.3, and
W3C epubcheck checks it in the test suite. Structure: docs/downloads.md.
"""

import textwrap
import zipfile
from html import escape
from pathlib import Path

from .book import Book
from .render import STYLESHEET, chapter_section, end_notes_section, title_page

_CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""

ACCESSIBILITY_SUMMARY = (
    "This publication has a table of contents, headings for each chapter and section, and "
    "text in reading order. The cover image shows the title and creators, which also appear "
    "as text on the title page. Images in the original work are given as links with their "
    "text alternatives."
)


def _e(text: str) -> str:
    return escape(text, quote=True)


def _document(book: Book, title: str, body: str, *, body_class: str = "") -> str:
    lang = _e(book.language)
    css = f' class="{body_class}"' if body_class else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" '
        f'lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="UTF-8"/>\n'
        f"<title>{_e(title)}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f'<body dir="{book.direction}"{css}>\n{body}\n</body>\n</html>\n'
    )


def cover_svg(book: Book) -> str:
    """A plain generated cover: the title and the creators on a colour of the title's own."""
    hue = sum(ord(char) for char in book.title) % 360
    title_lines = textwrap.wrap(book.title, width=18)[:6] or [""]
    if len(textwrap.wrap(book.title, width=18)) > 6:
        title_lines[-1] = title_lines[-1][:15] + "…"
    creator_lines = textwrap.wrap(book.byline, width=28)[:3]
    lines = []
    y = 260
    for line in title_lines:
        lines.append(
            f'<text x="300" y="{y}" font-size="52" font-weight="bold" text-anchor="middle" '
            f'fill="#ffffff" font-family="serif">{_e(line)}</text>'
        )
        y += 66
    y = max(y + 60, 700)
    for line in creator_lines:
        lines.append(
            f'<text x="300" y="{y}" font-size="34" text-anchor="middle" fill="#ffffff" '
            f'font-family="serif">{_e(line)}</text>'
        )
        y += 44
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="600" height="900" '
        'viewBox="0 0 600 900">\n'
        f"<title>{_e(book.title)}</title>\n"
        f'<rect x="0" y="0" width="600" height="900" fill="hsl({hue}, 45%, 30%)"/>\n'
        '<rect x="30" y="30" width="540" height="840" fill="none" stroke="#ffffff" '
        'stroke-width="4"/>\n' + "\n".join(lines) + "\n</svg>\n"
    )


def _chapter_file(number: int) -> str:
    return f"chapter-{number:03d}.xhtml"


def _nav(book: Book) -> str:
    items = ['<li><a href="title.xhtml">Title Page</a></li>']
    items.extend(
        f'<li><a href="{_chapter_file(chapter.number)}">{_e(chapter.heading)}</a></li>'
        for chapter in book.chapters
    )
    if book.end_notes:
        items.append('<li><a href="endnotes.xhtml">End Notes</a></li>')
    first = _chapter_file(book.chapters[0].number) if book.chapters else "title.xhtml"
    body = (
        '<nav epub:type="toc" id="toc" role="doc-toc"><h1>Contents</h1>'
        f"<ol>{''.join(items)}</ol></nav>\n"
        '<nav epub:type="landmarks" id="landmarks" hidden="hidden"><h2>Landmarks</h2><ol>'
        '<li><a epub:type="cover" href="cover.xhtml">Cover</a></li>'
        '<li><a epub:type="titlepage" href="title.xhtml">Title Page</a></li>'
        '<li><a epub:type="toc" href="nav.xhtml">Contents</a></li>'
        f'<li><a epub:type="bodymatter" href="{first}">Start of Content</a></li>'
        "</ol></nav>"
    )
    return _document(book, "Contents", body)


def _ncx(book: Book) -> str:
    points = [("Title Page", "title.xhtml")]
    points.extend((chapter.heading, _chapter_file(chapter.number)) for chapter in book.chapters)
    if book.end_notes:
        points.append(("End Notes", "endnotes.xhtml"))
    nav_points = "".join(
        f'<navPoint id="np-{order}" playOrder="{order}"><navLabel><text>{_e(label)}</text>'
        f'</navLabel><content src="{src}"/></navPoint>\n'
        for order, (label, src) in enumerate(points, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1" '
        f'xml:lang="{_e(book.language)}">\n<head>\n'
        f'<meta name="dtb:uid" content="{_e(book.identifier)}"/>\n'
        '<meta name="dtb:depth" content="1"/>\n'
        '<meta name="dtb:totalPageCount" content="0"/>\n'
        '<meta name="dtb:maxPageNumber" content="0"/>\n</head>\n'
        f"<docTitle><text>{_e(book.title)}</text></docTitle>\n"
        f"<navMap>\n{nav_points}</navMap>\n</ncx>\n"
    )


def _package(book: Book, chapter_files: list[str]) -> str:
    metadata = [
        f'<dc:identifier id="bookid">{_e(book.identifier)}</dc:identifier>',
        f"<dc:title>{_e(book.title)}</dc:title>",
        f"<dc:language>{_e(book.language)}</dc:language>",
    ]
    for index, creator in enumerate(book.creators, start=1):
        metadata.append(f'<dc:creator id="creator{index}">{_e(creator)}</dc:creator>')
        metadata.append(
            f'<meta refines="#creator{index}" property="role" scheme="marc:relators">aut</meta>'
        )
    if book.summary:
        from .xhtml import to_plain_text

        metadata.append(f"<dc:description>{_e(to_plain_text(book.summary))}</dc:description>")
    for names in book.tags.values():
        metadata.extend(f"<dc:subject>{_e(name)}</dc:subject>" for name in names)
    if book.published:
        metadata.append(f"<dc:date>{book.published.isoformat()}</dc:date>")
    metadata.append(f"<dc:publisher>{_e(book.publisher)}</dc:publisher>")
    if book.source_url:
        metadata.append(f"<dc:source>{_e(book.source_url)}</dc:source>")
    metadata.append(
        f'<meta property="dcterms:modified">{book.modified.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>'
    )
    if book.series:
        series_title, position = book.series
        metadata.extend(
            [
                f'<meta property="belongs-to-collection" id="series">{_e(series_title)}</meta>',
                '<meta refines="#series" property="collection-type">series</meta>',
                f'<meta refines="#series" property="group-position">{int(position)}</meta>',
            ]
        )
    metadata.extend(
        [
            '<meta property="schema:accessMode">textual</meta>',
            '<meta property="schema:accessMode">visual</meta>',
            '<meta property="schema:accessModeSufficient">textual</meta>',
            '<meta property="schema:accessibilityFeature">structuralNavigation</meta>',
            '<meta property="schema:accessibilityFeature">tableOfContents</meta>',
            '<meta property="schema:accessibilityFeature">readingOrder</meta>',
            '<meta property="schema:accessibilityFeature">alternativeText</meta>',
            '<meta property="schema:accessibilityHazard">none</meta>',
            f'<meta property="schema:accessibilitySummary">{ACCESSIBILITY_SUMMARY}</meta>',
            '<meta property="dcterms:conformsTo">EPUB Accessibility 1.1 - WCAG 2.1 Level A</meta>',
            '<link rel="dcterms:conformsTo" '
            'href="http://www.idpf.org/epub/a11y/accessibility-20170105.html#wcag-a"/>',
            '<meta name="cover" content="cover-image"/>',
        ]
    )
    manifest = [
        '<item id="cover-image" href="cover.svg" media-type="image/svg+xml" '
        'properties="cover-image"/>',
        '<item id="cover" href="cover.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="style" href="style.css" media-type="text/css"/>',
        '<item id="title" href="title.xhtml" media-type="application/xhtml+xml"/>',
        '<item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>',
        '<item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>',
    ]
    spine = ['<itemref idref="cover"/>', '<itemref idref="title"/>', '<itemref idref="nav"/>']
    for index, name in enumerate(chapter_files, start=1):
        manifest.append(
            f'<item id="chapter{index}" href="{name}" media-type="application/xhtml+xml"/>'
        )
        spine.append(f'<itemref idref="chapter{index}"/>')
    if book.end_notes:
        manifest.append(
            '<item id="endnotes" href="endnotes.xhtml" media-type="application/xhtml+xml"/>'
        )
        spine.append('<itemref idref="endnotes"/>')
    direction = ' page-progression-direction="rtl"' if book.direction == "rtl" else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
        f'unique-identifier="bookid" xml:lang="{_e(book.language)}">\n'
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        + "\n".join(metadata)
        + "\n</metadata>\n<manifest>\n"
        + "\n".join(manifest)
        + f'\n</manifest>\n<spine toc="ncx"{direction}>\n'
        + "\n".join(spine)
        + "\n</spine>\n</package>\n"
    )


def write_epub(book: Book, path: Path) -> None:
    """Write the book as an EPUB 3 file at `path`."""
    with zipfile.ZipFile(path, "w") as archive:
        # The mimetype entry comes first and uncompressed, as the OCF container requires.
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/epub+zip", compress_type=zipfile.ZIP_STORED
        )

        def add(name: str, text: str) -> None:
            archive.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)

        add("META-INF/container.xml", _CONTAINER)
        add("OEBPS/style.css", STYLESHEET)
        add("OEBPS/cover.svg", cover_svg(book))
        cover = (
            '<div class="cover"><img src="cover.svg" '
            f'alt="{_e(book.title)}, by {_e(book.byline)}"/></div>'
        )
        add("OEBPS/cover.xhtml", _document(book, book.title, cover, body_class="cover"))
        add("OEBPS/title.xhtml", _document(book, book.title, title_page(book)))
        add("OEBPS/nav.xhtml", _nav(book))
        chapter_files = []
        for chapter in book.chapters:
            name = _chapter_file(chapter.number)
            chapter_files.append(name)
            add(f"OEBPS/{name}", _document(book, chapter.heading, chapter_section(chapter)))
        if book.end_notes:
            add("OEBPS/endnotes.xhtml", _document(book, "End Notes", end_notes_section(book)))
        add("OEBPS/toc.ncx", _ncx(book))
        add("OEBPS/content.opf", _package(book, chapter_files))
