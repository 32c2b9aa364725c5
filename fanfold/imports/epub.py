"""EPUB 2 and 3 in: Fanfold's own downloads (docs/downloads.md describes them), FanFicFare's,
and other archives' and tools'.

An EPUB is a ZIP archive of XML files from strangers, so every step is guarded:
- the ZIP: at most `limits.max_members` files, `limits.max_total_bytes` unpacked in all, and no
  file unpacking to more than `limits.max_ratio` times its packed size (a zip bomb does); sizes
  are counted while unpacking, not taken from the archive's own (forgeable) headers;
- the XML: container and package documents are read with defusedxml, which refuses entity
  declarations and external references; XHTML documents are refused when they declare
  entities, and parsed with lxml with entity resolution, DTD loading and network access off.
Each refusal names the problem for the writer (ImportRefused)."""

import html as html_lib
import posixpath
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from io import BytesIO
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as safe_etree
import lxml.etree
import lxml.html

from fanfold.works.text import plain_text_to_html, sanitize_html

from .errors import ImportRefused
from .parsing import (
    RATING_NAMES,
    Block,
    ParsedChapter,
    ParsedWork,
    _finish,
    _is_heading,
    chapter_heading_title,
    html_blocks,
    structure,
)

NS = {
    "container": "urn:oasis:names:tc:opendocument:xmlns:container",
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@dataclass(frozen=True)
class ArchiveLimits:
    max_members: int = 2000
    max_total_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 200
    # Files this small may compress as well as they like (a chapter of "..." does).
    ratio_exempt_bytes: int = 1024 * 1024


# --- The ZIP -----------------------------------------------------------------------------------

# What zipfile raises on damaged archives (zlib and struct errors come through unwrapped).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    OSError,
    EOFError,
    ValueError,
    zlib.error,
    struct.error,
    NotImplementedError,  # an unknown zip version or compression method
    RuntimeError,  # an encrypted member
)


class _Archive:
    def __init__(self, data: bytes, filename: str, limits: ArchiveLimits):
        self.filename = filename
        self.limits = limits
        self.unpacked = 0
        try:
            self.zip = zipfile.ZipFile(BytesIO(data))
            infos = self.zip.infolist()
        except _ZIP_ERRORS:
            raise ImportRefused(
                f"{filename} is damaged: it is not a readable ZIP archive, which every EPUB "
                "is. Please download or export it again."
            ) from None
        if len(infos) > limits.max_members:
            raise ImportRefused(
                f"{filename} contains {len(infos):,} files; an EPUB Fanfold imports may "
                f"contain at most {limits.max_members:,}."
            )
        self.names = {info.filename for info in infos}
        declared = sum(info.file_size for info in infos)
        if declared > limits.max_total_bytes:
            self._too_big()

    def _too_big(self):
        raise ImportRefused(
            f"{self.filename} unpacks to more than {self.limits.max_total_bytes // 2**20:,} MB, "
            "more than any story needs. It may be a zip bomb; Fanfold refuses it."
        )

    def read(self, name: str, *, what: str) -> bytes:
        if name not in self.names:
            raise ImportRefused(
                f"{self.filename} is incomplete: {what} ({name}) is missing from it."
            )
        info = self.zip.getinfo(name)
        if info.flag_bits & 0x1:
            raise ImportRefused(f"{self.filename} is encrypted (DRM); Fanfold can't read it.")
        chunks = []
        size = 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(64 * 1024):
                    size += len(chunk)
                    self.unpacked += len(chunk)
                    if self.unpacked > self.limits.max_total_bytes:
                        self._too_big()
                    if size > self.limits.ratio_exempt_bytes and size > self.limits.max_ratio * max(
                        info.compress_size, 1
                    ):
                        raise ImportRefused(
                            f"{self.filename} is a zip bomb: {name} unpacks to more than "
                            f"{self.limits.max_ratio} times its packed size. Fanfold refuses it."
                        )
                    chunks.append(chunk)
        except _ZIP_ERRORS as exc:
            raise ImportRefused(
                f"{self.filename} is damaged: {name} can't be unpacked ({exc})."
            ) from None
        return b"".join(chunks)


# --- XML ---------------------------------------------------------------------------------------

_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)


def _hostile(filename: str, name: str) -> ImportRefused:
    return ImportRefused(
        f"{filename} contains hostile XML in {name}: entity declarations or external "
        "references, which can be used to attack a server. Fanfold refuses it."
    )


def _safe_xml(data: bytes, archive: _Archive, name: str) -> Element:
    try:
        return safe_etree.fromstring(data)
    except defusedxml.DefusedXmlException:
        raise _hostile(archive.filename, name) from None
    except (ParseError, ValueError) as exc:
        raise ImportRefused(
            f"{archive.filename} is damaged: {name} is not well-formed XML ({exc})."
        ) from None


_XML_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def _xhtml_root(data: bytes, archive: _Archive, name: str):
    """A content document's <html> element, parsed safely, without namespaces. Malformed XHTML
    (common in tool-made EPUBs) is read with the HTML parser, as readers' apps do."""
    if _ENTITY_DECLARATION.search(data):
        raise _hostile(archive.filename, name)
    try:
        root = lxml.etree.fromstring(data, lxml.etree.XMLParser(**_XML_PARSER_OPTIONS))
        for element in root.iter():
            if isinstance(element.tag, str) and "}" in element.tag:
                element.tag = lxml.etree.QName(element.tag).localname
            for key in list(element.attrib):
                if "}" in key:
                    value = element.attrib.pop(key)
                    local = lxml.etree.QName(key).localname
                    if local not in element.attrib and local != "type":
                        element.attrib[local] = value
                    elif local == "type":
                        element.attrib["epub-type"] = value
        lxml.etree.cleanup_namespaces(root)
        # Re-read as HTML so that every element is an lxml.html one (text_content, classes).
        return lxml.html.document_fromstring(
            lxml.etree.tostring(root, encoding="unicode", method="html")
        )
    except lxml.etree.XMLSyntaxError:
        pass
    try:
        text = data.decode("utf-8", "replace")
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ImportRefused(
            f"{archive.filename} is damaged: {name} can't be read ({exc})."
        ) from None


# --- The package -------------------------------------------------------------------------------


@dataclass
class _Package:
    metadata: dict
    spine: list[tuple[str, str, set]]  # (path in the zip, item id, properties)


def _package(archive: _Archive) -> tuple[str, _Package]:
    container = _safe_xml(
        archive.read("META-INF/container.xml", what="its table of contents"),
        archive,
        "META-INF/container.xml",
    )
    rootfile = container.find(".//container:rootfile", NS)
    if rootfile is None or not rootfile.get("full-path"):
        raise ImportRefused(
            f"{archive.filename} is damaged: META-INF/container.xml names no package document."
        )
    opf_path = rootfile.get("full-path", "")
    opf = _safe_xml(archive.read(opf_path, what="its package document"), archive, opf_path)
    base = posixpath.dirname(opf_path)

    metadata: dict = {"creators": [], "subjects": []}
    meta = opf.find("opf:metadata", NS)
    if meta is not None:
        for element in meta:
            tag = element.tag.rsplit("}", 1)[-1]
            value = " ".join("".join(element.itertext()).split())
            if tag == "creator":
                metadata["creators"].append(value)
            elif tag == "subject":
                metadata["subjects"].append(value)
            elif tag in {"title", "description", "language"} and tag not in metadata:
                # The description keeps its line breaks (paragraphs of the summary).
                metadata[tag] = (
                    "".join(element.itertext()).strip() if tag == "description" else value
                )

    manifest = {}
    manifest_element = opf.find("opf:manifest", NS)
    for item in manifest_element if manifest_element is not None else ():
        href = item.get("href")
        if item.get("id") and href:
            path = posixpath.normpath(posixpath.join(base, unquote(href)))
            props = set((item.get("properties") or "").split())
            manifest[item.get("id")] = (path, item.get("media-type", ""), props)
    spine = []
    spine_element = opf.find("opf:spine", NS)
    for itemref in spine_element if spine_element is not None else ():
        idref = itemref.get("idref", "")
        if idref not in manifest:
            raise ImportRefused(
                f"{archive.filename} is damaged: its reading order names {idref!r}, which is "
                "not in its list of files."
            )
        path, media_type, props = manifest[idref]
        if "html" in media_type or path.endswith((".xhtml", ".html", ".htm")):
            spine.append((path, idref, props))
    if not spine:
        raise ImportRefused(f"{archive.filename} has no chapters: its reading order is empty.")
    return opf_path, _Package(metadata=metadata, spine=spine)


# Pages that are not the story: covers, tables of contents, title pages, logs.
_NOT_STORY = re.compile(
    r"(^|[/_-])(cover|toc|nav|titlepage|title_page|title-page|log_page|copyright|colophon|"
    r"information|info)([._-]|$)",
    re.IGNORECASE,
)


def parse_epub(data: bytes, *, filename: str = "The EPUB", limits=None) -> ParsedWork:
    archive = _Archive(data, filename, limits or ArchiveLimits())
    _opf_path, package = _package(archive)
    documents = []
    for path, _idref, props in package.spine:
        root = _xhtml_root(archive.read(path, what="a chapter"), archive, path)
        documents.append((path, props, root))

    if any(_fanfold_preface(root) is not None for _, _, root in documents):
        work = _parse_fanfold(documents)
    else:
        work = _parse_generic(documents, package)
    _apply_metadata(work, package.metadata)
    return _finish(work)


def _apply_metadata(work: ParsedWork, metadata: dict) -> None:
    if metadata.get("title"):
        work.title = metadata["title"]
    if not work.authors:
        work.authors = list(metadata["creators"])
    if not work.language and metadata.get("language"):
        work.language = metadata["language"].split("-")[0].lower()
    if not work.summary and metadata.get("description"):
        description = metadata["description"]
        work.summary = (
            sanitize_html(description)
            if re.search(r"<[a-z][^>]*>", description)
            else plain_text_to_html(description)
        )
    if work.source_format == "epub" and not work.freeforms:
        # Subjects are other tools' tags; some put dates and status there ("Last Update: ...").
        known = {*work.fandoms, *work.relationships, *work.characters, *work.authors}
        work.freeforms = [s for s in metadata["subjects"] if s and s not in known and ":" not in s]


# --- Fanfold's own EPUB (structure documented in docs/downloads.md) -----------------------------

_TAG_CLASSES = {
    "rating": "rating",
    "warning": "warnings",
    "category": "categories",
    "fandom": "fandoms",
    "relationship": "relationships",
    "character": "characters",
    "freeform": "freeforms",
}


def _fanfold_preface(root):
    found = root.xpath('//section[contains(concat(" ", @class, " "), " preface ")]')
    return found[0] if found else None


def _userstuff(section) -> str:
    if section is None:
        return ""
    found = section.xpath('.//div[contains(concat(" ", @class, " "), " userstuff ")]')
    if not found:
        return ""
    return _restore_stored_html(found[0])


def _restore_stored_html(element) -> str:
    """The stored HTML back from the EPUB's XHTML: the download writer's replacements
    (docs/downloads.md, "How stored HTML becomes EPUB XHTML") undone where they can be."""
    for el in element.iter():
        if not isinstance(el.tag, str):
            continue
        classes = (el.get("class") or "").split()
        replaced = {"center": ("div", "center"), "big": ("span", "big"), "tt": ("span", "tt")}
        for original, (tag, cls) in replaced.items():
            if el.tag == tag and cls in classes:
                el.tag = original
                classes.remove(cls)
        for cls in list(classes):
            if cls.startswith("align-"):
                el.set("align", cls[len("align-") :])
                classes.remove(cls)
            elif cls.startswith("was-"):
                el.tag = cls[len("was-") :]
                classes.remove(cls)
        if el.tag == "a" and "image-link" in classes:
            alt = (el.text_content() or "").strip()
            alt = (
                alt[len("[Image: ") : -1]
                if alt.startswith("[Image: ") and alt.endswith("]")
                else alt
            )
            src = el.get("href", "")
            for child in list(el):
                el.remove(child)
            el.attrib.clear()
            el.tag = "img"
            el.text = None
            el.set("src", src)
            if alt:
                el.set("alt", alt)
            continue
        if "class" in el.attrib:
            if classes:
                el.set("class", " ".join(classes))
            else:
                del el.attrib["class"]
    parts = [lxml.html.tostring(child, encoding="unicode", method="html") for child in element]
    text = (element.text or "").strip()
    html = ("<p>" + html_lib.escape(text, quote=False) + "</p>" if text else "") + "".join(parts)
    return sanitize_html(html)


def _child_section(root, cls: str):
    found = root.xpath(f'.//section[contains(concat(" ", @class, " "), " {cls} ")]')
    return found[0] if found else None


def _parse_fanfold(documents) -> ParsedWork:
    work = ParsedWork(source_format="fanfold-epub")
    for _path, _props, root in documents:
        preface = _fanfold_preface(root)
        if preface is not None:
            title = preface.xpath('.//h1[contains(@class, "title")]')
            if title:
                work.title = " ".join(title[0].text_content().split())
            work.authors = [
                " ".join(el.text_content().split())
                for el in preface.xpath('.//*[@class="creator"]')
            ]
            for dd in preface.xpath('.//dl[contains(@class, "meta")]/dd'):
                key = _TAG_CLASSES.get(
                    (dd.get("class") or "").split()[0] if dd.get("class") else ""
                )
                if key == "rating":
                    names = [" ".join(li.text_content().split()) for li in dd.xpath(".//li")]
                    work.rating = names[0] if names else ""
                elif key:
                    names = [" ".join(li.text_content().split()) for li in dd.xpath(".//li")]
                    getattr(work, key).extend(names)
                elif dd.get("class") == "language" and dd.get("data-code"):
                    work.language = dd.get("data-code")
            work.summary = _userstuff(_child_section(preface, "summary"))
            work.notes = _userstuff(_child_section(preface, "notes"))
            continue
        for chapter in root.xpath('//section[contains(concat(" ", @class, " "), " chapter ")]'):
            names = chapter.xpath('.//*[@class="chapter-name"]')
            text = chapter.xpath('.//div[contains(concat(" ", @class, " "), " chapter-text ")]')
            work.chapters.append(
                ParsedChapter(
                    title=" ".join(names[0].text_content().split()) if names else "",
                    content=_restore_stored_html(text[0]) if text else "",
                    summary=_userstuff(_child_section(chapter, "chapter-summary")),
                    notes=_userstuff(_child_section(chapter, "chapter-notes")),
                    end_notes=_userstuff(_child_section(chapter, "chapter-endnotes")),
                )
            )
        endnotes = _child_section(root, "endnotes")
        if endnotes is not None:
            work.end_notes = _userstuff(endnotes)
    return work


# --- Any other EPUB ----------------------------------------------------------------------------


def _is_story_document(path: str, props: set, blocks: list[Block]) -> bool:
    if "nav" in props:
        return False
    if _NOT_STORY.search(posixpath.basename(path).rsplit(".", 1)[0]):
        return False
    return any(b.text for b in blocks)


_FFF_KEYS = {
    "category": "fandoms",
    "fandom": "fandoms",
    "genre": "freeforms",
    "characters": "characters",
    "relationships": "relationships",
    "pairing": "relationships",
    "ships": "relationships",
}


def _fanficfare_title_page(root, work: ParsedWork) -> bool:
    """FanFicFare's title page (body class "fff_titlepage"): "Label: value" lines. Returns
    whether the document was one."""
    body = root.find("body")
    if body is None or "fff_titlepage" not in (body.get("class") or ""):
        return False
    html = lxml.html.tostring(body, encoding="unicode", method="html")
    html = re.sub(r"<br\s*/?>|</(?:p|div|h\d)>", "\n", html, flags=re.IGNORECASE)
    text = lxml.html.fromstring(f"<div>{html}</div>").text_content()
    for line in text.split("\n"):
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if not value:
            continue
        if key in _FFF_KEYS:
            getattr(work, _FFF_KEYS[key]).extend(
                name.strip() for name in value.split(",") if name.strip()
            )
        elif key == "rating":
            work.rating = RATING_NAMES.get(value.lower(), "")
        elif key == "summary" and not work.summary:
            work.summary = plain_text_to_html(value)
    work.source_format = "fanficfare-epub"
    return True


def _parse_generic(documents, package: _Package) -> ParsedWork:
    story = []
    fanficfare = ParsedWork()
    for path, props, root in documents:
        if _fanficfare_title_page(root, fanficfare):
            continue
        body = root.find("body")
        blocks = html_blocks(body if body is not None else root)
        if _is_story_document(path, props, blocks):
            story.append(blocks)
    if not story:
        raise ImportRefused("There is no story text in it: every chapter would be empty.")
    title = package.metadata.get("title", "")
    if len(story) == 1:
        # One document holding the whole story: read its headings like an HTML file's.
        work = structure(story[0], title_hint=title, source_format="epub")
    else:
        work = _chapter_documents(story, title)
    if fanficfare.source_format:
        for key in ("fandoms", "freeforms", "characters", "relationships", "rating", "summary"):
            setattr(work, key, getattr(work, key) or getattr(fanficfare, key))
        work.source_format = fanficfare.source_format
    return work


def _chapter_documents(story: list[list[Block]], title: str) -> ParsedWork:
    """A work from one document per chapter, each perhaps starting with its heading."""
    work = ParsedWork(source_format="epub", title=title)
    for blocks in story:
        chapter_title = ""
        first = next((i for i, b in enumerate(blocks) if b.text or b.kind == "hr"), None)
        if (first is not None and blocks[first].kind == "heading") or (
            first is not None and _is_heading(blocks[first])
        ):
            heading = blocks[first].text
            named = chapter_heading_title(heading)
            chapter_title = heading if named is None else named
            if title and heading.casefold() == title.casefold():
                chapter_title = ""
            blocks = blocks[first + 1 :]
        chapter = structure(blocks, detect_title=False, source_format="epub")
        if len(chapter.chapters) == 1 and not chapter.notes and not chapter.end_notes:
            part = chapter.chapters[0]
            part.title = chapter_title or part.title
            work.chapters.append(part)
        elif chapter.chapters:
            first_part = chapter.chapters[0]
            first_part.title = chapter_title or first_part.title
            first_part.notes = first_part.notes or chapter.notes
            chapter.chapters[-1].end_notes = chapter.chapters[-1].end_notes or chapter.end_notes
            work.chapters.extend(chapter.chapters)
    return work
