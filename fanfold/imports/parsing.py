"""What writers put in their files, recognised: a title line, author's notes, chapter headings,
scene breaks. Plain text, Markdown and HTML all become a list of blocks (paragraphs, headings,
rules), and one set of rules reads the structure from the blocks, so a Word document saved as
HTML and the same story saved as text import alike.

No library does this: the conventions ("A/N:", "Chapter Three: Title", "~*~") are fan
fiction's own, so the rules are written here. Parsing HTML is lxml's job, Markdown is
Python-Markdown's, sanitizing is the works app's (everything returned went through it).
Pure functions: no database, no settings."""

import html as html_lib
import itertools
import re
from dataclasses import asdict, dataclass, field

import lxml.etree
import lxml.html
import markdown as markdown_lib

from fanfold.works.text import count_words, sanitize_html

from .decoding import decode_text
from .errors import ImportRefused

# --- Results -----------------------------------------------------------------------------------


@dataclass
class ParsedChapter:
    title: str = ""
    content: str = ""  # sanitized HTML
    summary: str = ""
    notes: str = ""
    end_notes: str = ""

    @property
    def word_count(self) -> int:
        return count_words(self.content)


@dataclass
class ParsedWork:
    title: str = ""
    summary: str = ""  # sanitized HTML, as are the notes
    notes: str = ""
    end_notes: str = ""
    chapters: list[ParsedChapter] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    language: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    source_format: str = ""  # "text", "markdown", "html" or "epub"

    @property
    def word_count(self) -> int:
        return sum(chapter.word_count for chapter in self.chapters)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ParsedWork":
        data = dict(data)
        data["chapters"] = [ParsedChapter(**c) for c in data.get("chapters", ())]
        return cls(**data)


# --- Recognising lines -------------------------------------------------------------------------

_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    r"fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    r"eighty|ninety|hundred|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"last|final)"
)
_NUMBER = rf"(?:\d+|[ivxlcdm]+|{_NUMBER_WORD}(?:[\s-]+(?:and\s+)?{_NUMBER_WORD})*)"
_SEPARATOR = r"\s*(?:[:.,\-\u2013\u2014|]+\s*|\s+(?=\S))"
# "Chapter 3", "Chapter Three: Title", "Ch. 12 - Title": the title is what follows.
_NUMBERED_HEADING = re.compile(
    rf"^(?:chapter|chap\.?|ch\.?)\s*{_NUMBER}(?:{_SEPARATOR}(?P<title>.*\S))?\s*[:.]?$",
    re.IGNORECASE,
)
# "Part II", "Prologue", "Epilogue: After": the whole line is the chapter's title.
_NAMED_HEADING = re.compile(
    rf"^(?:(?:part|book)\s+{_NUMBER}|prologue|epilogue|interlude|afterword)"
    rf"(?:{_SEPARATOR}.*\S)?\s*[:.]?$",
    re.IGNORECASE,
)
_MAX_HEADING_LENGTH = 120

# A line of nothing but ornament: ***, * * *, ~*~, ----, ___, ###, o0o, oOo, xXx, -x-.
_SCENE_BREAK = re.compile(
    r"^\s*(?:(?:[*~\-_=#\u2022\u00b7+\u2013\u2014]\s*){3,}|[*~\-_=#+]*\s*"
    r"(?:o0o|oOo|0o0|xXx|XxX|xox|oxo)\s*[*~\-_=#+]*|[~*\-]+x[~*\-]+)\s*$"
)

# Author's notes: the marker is dropped (the notes field says what they are); a disclaimer
# keeps its word, which is part of what it says.
_NOTE = re.compile(
    r"^\s*[(\[]?\s*(?:(?P<marker>a\s*/\s*n|a\.n\.|an|author'?s?\s+notes?|"
    r"authors?\u2019s?\s+notes?|notes?)\s*[:.\-\u2013\u2014]+|(?P<keep>disclaimer\s*[:.\-]))",
    re.IGNORECASE,
)
_METADATA = re.compile(
    r"^\s*(?P<key>title|summary|fandoms?|rating|pairings?|relationships?|characters?|"
    r"tags|additional tags|warnings?|author|by|written by)\s*:\s*(?P<value>.+)$",
    re.IGNORECASE | re.DOTALL,
)
_BYLINE = re.compile(r"^\s*(?:by|written by)\s+(?P<value>\S.{0,80})$", re.IGNORECASE)

RATING_NAMES = {
    "general audiences": "General Audiences",
    "g": "General Audiences",
    "k": "General Audiences",
    "teen and up audiences": "Teen And Up Audiences",
    "teen": "Teen And Up Audiences",
    "t": "Teen And Up Audiences",
    "k+": "Teen And Up Audiences",
    "pg": "Teen And Up Audiences",
    "pg-13": "Teen And Up Audiences",
    "mature": "Mature",
    "m": "Mature",
    "r": "Mature",
    "explicit": "Explicit",
    "e": "Explicit",
    "ma": "Explicit",
    "nc-17": "Explicit",
    "not rated": "Not Rated",
}


def chapter_heading_title(line: str) -> str | None:
    """The chapter title a heading line gives ("" for a bare "Chapter 3"), or None when the
    line is not a chapter heading."""
    line = " ".join(line.split())
    if not line or len(line) > _MAX_HEADING_LENGTH:
        return None
    if match := _NUMBERED_HEADING.match(line):
        title = (match.group("title") or "").strip()
        between = line[: match.start("title")] if match.group("title") else ""
        # "Chapter 3 The Storm" (no separator) is a heading; "Chapter 3 was long." is not.
        if (
            title
            and not re.search(r"[:.,\-\u2013\u2014|]\s*$", between)
            and (not title[0].isupper() or len(title) > 60 or re.search(r"[.,;!?]", title))
        ):
            return None
        return title
    if _NAMED_HEADING.match(line):
        return line.rstrip(":.").strip()
    return None


def is_scene_break(line: str) -> bool:
    return bool(line.strip()) and bool(_SCENE_BREAK.match(line))


def note_text(line: str) -> tuple[bool, int]:
    """Whether a paragraph is an author's note or disclaimer, and how many leading characters
    are its marker (to drop)."""
    match = _NOTE.match(line)
    if not match:
        return False, 0
    if match.group("keep"):
        return True, 0
    marker = match.group("marker").lower().replace(" ", "")
    # "Notes:" alone starts a note, but "an" must be "AN:" with its colon (not "An old...").
    if marker == "an" and not re.match(r"^\s*[(\[]?\s*an\s*[:\-]", line, re.IGNORECASE):
        return False, 0
    return True, match.end()


# --- Blocks ------------------------------------------------------------------------------------


@dataclass
class Block:
    html: str
    text: str  # visible text, whitespace collapsed
    kind: str = "p"  # "p", "heading", "hr" or "other" (lists, tables, quotes...)
    level: int = 0  # 1-6 for headings


HR = Block(html="<hr>", text="", kind="hr")


def _text_block(lines: list[str]) -> Block:
    escaped = [html_lib.escape(line.strip(), quote=False) for line in lines]
    text = " ".join(line.strip() for line in lines)
    return Block(html="<p>" + "<br>\n".join(escaped) + "</p>", text=" ".join(text.split()))


def text_blocks(text: str) -> list[Block]:
    """Plain text as blocks: a blank line ends a paragraph; a file without blank lines (one
    paragraph per line, as many writers type) has a paragraph per line. A heading or scene
    break on a line of its own is a block of its own even without blank lines around it."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_blank = any(not line.strip() for line in lines) and len(text.strip().split("\n\n")) > 1
    blocks: list[Block] = []
    current: list[str] = []

    def flush():
        if len(current) > 1 and all(
            _METADATA.match(line) or _BYLINE.match(line) for line in current
        ):
            # A header of "Key: value" lines, one per line.
            blocks.extend(_text_block([line]) for line in current)
        elif current:
            blocks.append(_text_block(current))
        current.clear()

    for line in lines:
        stripped = line.strip()
        if not stripped:
            flush()
        elif is_scene_break(stripped):
            flush()
            blocks.append(HR)
        elif chapter_heading_title(stripped) is not None:
            flush()
            blocks.append(Block(html="", text=" ".join(stripped.split()), kind="heading"))
        else:
            current.append(line)
            if not has_blank:
                flush()
    flush()
    return blocks


_CONTAINERS = frozenset({"body", "div", "section", "article", "main", "span", "font", "center"})
_BLOCKS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "blockquote", "ul", "ol", "dl", "table",
        "pre", "figure", "address", "details", "div", "section", "article", "main", "center",
        "header", "footer", "aside",
    }
)  # fmt: skip
_SKIPPED = frozenset({"script", "style", "head", "title", "nav", "noscript", "template", "meta"})


def _tag(element) -> str:
    tag = element.tag
    if not isinstance(tag, str):
        return ""  # comments, processing instructions
    return lxml.etree.QName(tag).localname.lower() if "}" in tag else tag.lower()


def _serialize(element) -> str:
    return lxml.html.tostring(element, encoding="unicode", with_tail=False, method="html")


def _visible_text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def html_blocks(root) -> list[Block]:
    """The blocks of an HTML body: containers (div, section...) are opened up; loose inline
    content at container level becomes a paragraph."""
    blocks: list[Block] = []

    def walk(element):
        loose: list[str] = []
        if element.text and element.text.strip():
            loose.append(html_lib.escape(element.text, quote=False))

        def flush():
            html = "".join(loose).strip()
            if html:
                text = " ".join(lxml.html.fromstring(f"<p>{html}</p>").text_content().split())
                blocks.extend(_paragraph_blocks(f"<p>{html}</p>", text))
            loose.clear()

        for child in element:
            tag = _tag(child)
            if tag in _SKIPPED or not tag:
                pass
            elif tag in _CONTAINERS and any(_tag(c) in _BLOCKS for c in child):
                flush()
                walk(child)
            elif tag in _BLOCKS:
                flush()
                blocks.append(_element_block(child, tag))
            else:
                loose.append(_serialize(child))
            if child.tail and child.tail.strip():
                loose.append(html_lib.escape(child.tail, quote=False))
            elif child.tail:
                loose.append(" ")
        flush()

    walk(root)
    return blocks


def _paragraph_blocks(html: str, text: str) -> list[Block]:
    if is_scene_break(text) and "<img" not in html:
        return [HR]
    return [Block(html=html, text=text)]


def _element_block(element, tag: str) -> Block:
    text = _visible_text(element)
    if tag == "hr":
        return HR
    if tag[0] == "h" and tag[1:].isdigit():
        return Block(html=_serialize(element), text=text, kind="heading", level=int(tag[1:]))
    if tag in {"p", "div", "center"}:
        return _paragraph_blocks(_serialize(element), text)[0]
    return Block(html=_serialize(element), text=text, kind="other")


# --- Structure ---------------------------------------------------------------------------------


def _blocks_html(blocks: list[Block]) -> str:
    return sanitize_html("\n".join(b.html for b in blocks))


def _strip_note_marker(block: Block) -> Block:
    is_note, cut = note_text(block.text)
    if not is_note or not cut:
        return block
    marker = block.text[:cut]
    # Drop the marker from the block's HTML: the first occurrence of its words in the text.
    pattern = r"\s*".join(re.escape(part) for part in marker.split())
    html = re.sub(rf"(>|^)([^<]*?){pattern}\s*", r"\1\2", block.html, count=1)
    if html == block.html:
        html = f"<p>{html_lib.escape(block.text[cut:].strip(), quote=False)}</p>"
    return Block(html=html, text=block.text[cut:].strip(), kind=block.kind)


def _take_notes(blocks: list[Block], *, from_end: bool) -> tuple[list[Block], list[Block]]:
    """Note paragraphs at the start (or end) of these blocks, and the rest."""
    notes: list[Block] = []
    rest = list(blocks)
    while rest:
        block = rest[-1] if from_end else rest[0]
        if block.kind == "hr" and notes:
            # A rule between the notes and the text belongs to neither.
            rest.pop(-1 if from_end else 0)
            continue
        if block.kind not in {"p", "other"} or not note_text(block.text)[0]:
            break
        notes.append(_strip_note_marker(block))
        rest.pop(-1 if from_end else 0)
    if from_end:
        notes.reverse()
    # A scene break left at the edge of the text separated it from the notes.
    while rest and rest[-1 if from_end else 0].kind == "hr" and notes:
        rest.pop(-1 if from_end else 0)
    return notes, rest


def _is_heading(block: Block) -> bool:
    if block.kind == "heading":
        return chapter_heading_title(block.text) is not None
    # A paragraph that is a heading line on its own: "Chapter 2", "<p><b>Prologue</b></p>".
    return block.kind == "p" and chapter_heading_title(block.text) is not None


def _front_matter(
    blocks: list[Block], work: ParsedWork, title_hint: str, detect_title: bool = True
) -> list[Block]:
    """Take the title, byline and "Key: value" lines at the top into `work`; return the rest."""
    rest = [b for b in blocks if b.kind == "hr" or b.text or "<img" in b.html]
    while rest and rest[0].kind == "hr":
        rest.pop(0)
    if detect_title:
        rest = [*_metadata_lines(rest[:2]), *rest[2:]]
    if title_hint:
        work.title = title_hint
        if rest and rest[0].text.casefold() == title_hint.casefold():
            rest.pop(0)
    elif detect_title and rest and not _is_heading(rest[0]) and len(rest) > 1:
        first = rest[0]
        short_line = (
            first.kind in {"p", "heading"}
            and len(first.text) <= 150
            and "<br" not in first.html
            and not first.text.endswith((".", ",", ";", '"', "\u201d"))
            and not note_text(first.text)[0]
            and not _METADATA.match(first.text)
        )
        if short_line:
            work.title = first.text
            rest.pop(0)
    while detect_title and rest and rest[0].kind in {"p", "heading"}:
        text = rest[0].text
        if match := _BYLINE.match(text):
            work.authors.append(match.group("value").strip())
        elif match := _METADATA.match(text):
            _metadata(work, match.group("key").lower(), match.group("value").strip(), rest[0])
        else:
            break
        rest.pop(0)
    return rest


_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


def _metadata_lines(blocks: list[Block]) -> list[Block]:
    """A paragraph of "Key: value" lines (HTML or Markdown keeps them in one <p> with <br>s)
    as one block per line."""
    result: list[Block] = []
    for block in blocks:
        lines = [
            " ".join(html_lib.unescape(re.sub(r"<[^>]*>", " ", part)).split())
            for part in _BR.split(block.html)
        ]
        if len(lines) > 1 and all(_METADATA.match(x) or _BYLINE.match(x) for x in lines):
            result.extend(_text_block([line]) for line in lines)
        else:
            result.append(block)
    return result


def _names(value: str) -> list[str]:
    return [name.strip() for name in re.split(r"[,;]", value) if name.strip()]


def _metadata(work: ParsedWork, key: str, value: str, block: Block) -> None:
    if key == "title" and not work.title:
        work.title = value
    elif key in {"author", "by", "written by"}:
        work.authors.extend(_names(value))
    elif key == "summary":
        work.summary = sanitize_html(f"<p>{html_lib.escape(value, quote=False)}</p>")
    elif key.startswith("fandom"):
        work.fandoms.extend(_names(value))
    elif key.startswith(("pairing", "relationship")):
        work.relationships.extend(_names(value))
    elif key.startswith("character"):
        work.characters.extend(_names(value))
    elif key in {"tags", "additional tags"}:
        work.freeforms.extend(_names(value))
    elif key == "rating":
        work.rating = RATING_NAMES.get(value.strip().lower(), "")
    # Free-text warnings don't map onto AO3's fixed archive warnings; the writer chooses them.


def _chapter_from(title: str, blocks: list[Block]) -> ParsedChapter:
    notes, blocks = _take_notes(blocks, from_end=False)
    end_notes, blocks = _take_notes(blocks, from_end=True)
    while blocks and blocks[0].kind == "hr":
        blocks.pop(0)
    while blocks and blocks[-1].kind == "hr":
        blocks.pop()
    return ParsedChapter(
        title=title,
        content=_blocks_html(blocks),
        notes=_blocks_html(notes),
        end_notes=_blocks_html(end_notes),
    )


def _heading_title(block: Block) -> str:
    title = chapter_heading_title(block.text)
    return block.text if title is None else title


def structure(
    blocks: list[Block], *, title_hint: str = "", detect_title: bool = True, source_format: str
) -> ParsedWork:
    """A work from blocks: title and front matter, the work's notes, chapters split at chapter
    headings (or, in HTML without such headings, at headings of one level used more than once),
    each chapter's own notes at its start and end."""
    work = ParsedWork(source_format=source_format)
    rest = _front_matter(blocks, work, title_hint, detect_title)
    heading_at = [i for i, b in enumerate(rest) if _is_heading(b)]
    if not heading_at:
        levels = [b.level for b in rest if b.kind == "heading" and b.level]
        top = min(levels) if levels else 0
        if top and levels.count(top) > 1:
            heading_at = [i for i, b in enumerate(rest) if b.kind == "heading" and b.level == top]
    if not heading_at:
        notes, body = _take_notes(rest, from_end=False)
        end_notes, body = _take_notes(body, from_end=True)
        work.notes = _blocks_html(notes)
        work.end_notes = _blocks_html(end_notes)
        chapter = _chapter_from("", body)
        if chapter.content:
            work.chapters.append(chapter)
        return work

    front = rest[: heading_at[0]]
    notes, front = _take_notes(front, from_end=False)
    work.notes = _blocks_html(notes)
    front = [b for b in front if b.kind != "hr"]
    if front and not work.summary:
        words = count_words(" ".join(b.text for b in front))
        if len(front) <= 3 and words <= 250:
            # A short paragraph between the title and the first chapter is the summary.
            work.summary = _blocks_html(front)
            front = []
    chapters: list[ParsedChapter] = []
    if front:
        chapters.append(_chapter_from("", front))
    bounds = [*heading_at, len(rest)]
    for start, end in itertools.pairwise(bounds):
        chapter = _chapter_from(_heading_title(rest[start]), rest[start + 1 : end])
        if chapter.content:
            chapters.append(chapter)
        elif chapters and not chapter.title and (chapter.notes or chapter.end_notes):
            chapters[-1].end_notes = "\n".join(
                n for n in (chapters[-1].end_notes, chapter.notes, chapter.end_notes) if n
            )
    work.chapters = chapters
    return work


# --- Formats -----------------------------------------------------------------------------------


def parse_plain_text(text: str) -> ParsedWork:
    return _finish(structure(text_blocks(text), source_format="text"))


def parse_markdown(text: str) -> ParsedWork:
    rendered = markdown_lib.markdown(text, extensions=["sane_lists", "tables", "nl2br"])
    return _finish(parse_html(rendered, source_format="markdown", finish=False))


def html_root(text: str):
    """The body of an HTML document or fragment, parsed as browsers do (lxml's HTML parser
    neither loads DTDs nor expands declared entities)."""
    text = text.strip()
    if not text:
        raise ImportRefused("The HTML is empty.")
    try:
        document = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise ImportRefused(f"Fanfold could not read this HTML ({exc}).") from None
    return document


def parse_html(text: str, *, source_format: str = "html", finish: bool = True) -> ParsedWork:
    document = html_root(text)
    title = ""
    title_element = document.find(".//title")
    if title_element is not None:
        title = " ".join((title_element.text_content() or "").split())
    body = document.find("body")
    blocks = html_blocks(body if body is not None else document)
    if blocks and blocks[0].kind == "heading" and not _is_heading(blocks[0]):
        # The first heading names the document better than a <title> left from a template.
        title = blocks[0].text
    work = structure(blocks, title_hint=title, source_format=source_format)
    return _finish(work) if finish else work


def _finish(work: ParsedWork) -> ParsedWork:
    work.title = " ".join(work.title.split())[:255]
    work.authors = list(dict.fromkeys(a for a in work.authors if a))
    for key in ("fandoms", "relationships", "characters", "freeforms"):
        setattr(work, key, list(dict.fromkeys(getattr(work, key))))
    if not work.chapters:
        raise ImportRefused("There is no story text in it: every chapter would be empty.")
    return work


# --- Entry point -------------------------------------------------------------------------------

FORMATS = ("auto", "text", "markdown", "html", "epub")
_HTML_START = re.compile(r"^\s*(?:<!doctype\s+html|<html|<\?xml|<head|<body|<p[\s>]|<div)", re.I)
_MARKDOWN_HINT = re.compile(
    r"^(?:#{1,6}\s|\*\*\*$|---$|> |\* |\d+\. )|\*\*\S|__\S|\[[^]]+\]\(", re.M
)


def guess_format(filename: str, data: bytes) -> str:
    name = filename.lower()
    if name.endswith(".epub") or data[:4] == b"PK\x03\x04":
        return "epub"
    if name.endswith((".html", ".htm", ".xhtml")):
        return "html"
    if name.endswith((".md", ".markdown")):
        return "markdown"
    if name.endswith(".txt"):
        return "text"
    head = data[:1024].decode("utf-8", "ignore")
    return "html" if _HTML_START.match(head) else "text"


def parse_text_as(text: str, format: str) -> ParsedWork:
    """Text the writer pasted or a decoded file, in the given format ("auto" guesses HTML
    from its start and Markdown from its marks)."""
    if not text.strip():
        raise ImportRefused("There is nothing to import: the text is empty.")
    if format == "auto":
        if _HTML_START.match(text):
            format = "html"
        elif len(_MARKDOWN_HINT.findall(text)) >= 3:
            format = "markdown"
        else:
            format = "text"
    if format == "html":
        return parse_html(text)
    if format == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)


def parse_file(filename: str, data: bytes, *, format: str = "auto", limits=None) -> ParsedWork:
    """A work from an uploaded file's bytes. ImportRefused says what is wrong with it."""
    from . import epub

    if not data:
        raise ImportRefused(f"{filename} is empty.")
    if format == "auto":
        format = guess_format(filename, data)
    if format == "epub":
        return epub.parse_epub(data, filename=filename, limits=limits)
    text = decode_text(data, filename=filename, html=format == "html")
    return parse_text_as(text, format)
