"""Stored (sanitized) HTML made into XHTML that EPUB 3 readers and W3C epubcheck accept.

The sanitizer keeps AO3's allow-list, which includes elements HTML5 made obsolete (center, big,
strike, tt, acronym), attributes it dropped (align, ul type, col width, a name), images by URL
(an EPUB may not load images from the web) and nestings a browser forgives but the EPUB 3
content schema does not (a paragraph inside an emphasis, a list item outside a list). Each is
rewritten here into its valid equivalent; the reader sees the same text. lxml parses and
serializes (fast enough for a million-word work); the rules are Fanfold's own, because no
library knows both the sanitizer's allow-list and EPUB's schema. docs/downloads.md lists the
rewrites for people who read Fanfold's EPUBs.
"""

import re

from lxml import etree
from lxml import html as lxml_html

# Characters XML 1.0 forbids (a stored text might still hold a stray control character).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

RENAMED = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "strike": ("s", None),
    "tt": ("span", "tt"),
    "acronym": ("abbr", None),
}

# Elements that may only appear where flow content is allowed (never inside a paragraph,
# heading or inline element).
BLOCK = frozenset(
    {
        "address", "blockquote", "details", "div", "dl", "figure", "h1", "h2", "h3", "h4",
        "h5", "h6", "hr", "ol", "p", "pre", "table", "ul", "figcaption", "summary", "li",
        "dt", "dd", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "col",
        "colgroup",
    }
)  # fmt: skip
# Elements whose content must be phrasing (inline) content.
PHRASING_ONLY = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "span", "abbr", "b", "cite", "code",
        "dfn", "em", "i", "kbd", "q", "s", "samp", "small", "strong", "sub", "sup", "u",
        "var", "ruby", "rt", "rp", "summary", "dt",
    }
)  # fmt: skip
# The parents an element needs; elsewhere it becomes a div or span.
REQUIRED_PARENT = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "rt": {"ruby"},
    "rp": {"ruby"},
    "figcaption": {"figure"},
    "caption": {"table"},
    "summary": {"details"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "colgroup": {"table"},
    "col": {"colgroup", "table"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
}
# The only children some elements may have; other children are wrapped in the first.
ALLOWED_CHILDREN = {
    "ul": ("li",),
    "ol": ("li",),
    "dl": ("dd", "dt"),
    "tr": ("td", "th"),
    "thead": ("tr",),
    "tbody": ("tr",),
    "tfoot": ("tr",),
    "colgroup": ("col",),
}

_GLOBAL_ATTRIBUTES = frozenset({"title", "class", "dir", "lang"})
_ALIGN = frozenset({"left", "right", "center", "justify"})
_DIRECTIONS = frozenset({"ltr", "rtl", "auto"})
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_INTEGER = re.compile(r"^\s*-?\d{1,9}\s*$")
_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$"
)
_ABSOLUTE_URL = re.compile(r"^(https?://[^\s/?#<>\"]+[^\s<>\"]*|mailto:[^\s<>\"]+)$", re.IGNORECASE)


def _url(value: str) -> str | None:
    value = value.strip().replace(" ", "%20")
    return value if _ABSOLUTE_URL.match(value) else None


def _positive(value: str, *, zero: bool = False) -> str | None:
    if not _INTEGER.match(value):
        return None
    number = int(value)
    return str(number) if number > 0 or (zero and number == 0) else None


def _add_class(element, name: str) -> None:
    classes = element.get("class", "").split()
    if name not in classes:
        element.set("class", " ".join([*classes, name]))


def _clean_attributes(element, tag: str) -> None:
    attributes = dict(element.attrib)
    element.attrib.clear()
    for name, value in attributes.items():
        kept: str | None = None
        if name in ("title", "class"):
            kept = value
        elif name == "dir":
            kept = value.strip().lower() if value.strip().lower() in _DIRECTIONS else None
        elif name == "lang":
            kept = value.strip() if _LANGUAGE_TAG.match(value.strip()) else None
        elif name == "align":
            if value.strip().lower() in _ALIGN:
                _add_class(element, f"align-{value.strip().lower()}")
            continue
        elif tag == "a" and name == "href":
            kept = _url(value)
        elif tag == "a" and name == "rel":
            kept = value
        elif name == "cite" and tag in ("blockquote", "q", "del", "ins"):
            kept = _url(value)
        elif name == "datetime" and tag in ("del", "ins"):
            kept = value.strip() if _DATETIME.match(value.strip()) else None
        elif name == "colspan" and tag in ("td", "th"):
            kept = _positive(value)
        elif name == "rowspan" and tag in ("td", "th"):
            kept = _positive(value, zero=True)
        elif name == "scope" and tag == "th":
            kept = value if value in ("row", "col", "rowgroup", "colgroup") else None
        elif name == "span" and tag in ("col", "colgroup"):
            kept = _positive(value)
        elif name == "start" and tag == "ol":
            kept = value.strip() if _INTEGER.match(value) else None
        elif name == "type" and tag == "ol":
            kept = value if value in ("1", "a", "A", "i", "I") else None
        elif name == "reversed" and tag == "ol":
            kept = "reversed"
        if kept is not None:
            if name == "class" and element.get("class"):
                kept = " ".join(dict.fromkeys([*element.get("class").split(), *kept.split()]))
            element.set(name, kept)


def _rename(element, tag: str, phrasing: bool) -> None:
    _add_class(element, f"was-{element.tag}")
    element.tag = "span" if phrasing else "div"
    for name in ("colspan", "rowspan", "scope", "span", "start", "type", "reversed", "rel"):
        element.attrib.pop(name, None)


def _image_to_link(image, inside_link: bool) -> None:
    """An image becomes a link to it (or its alt text inside another link)."""
    alt = (image.get("alt") or "").strip()
    src = _url(image.get("src") or "")
    image.attrib.clear()
    image.text = f"[Image: {alt}]" if alt else "[Image]"
    if src and not inside_link:
        image.tag = "a"
        image.set("href", src)
        image.set("class", "image-link")
    else:
        image.tag = "span"
        image.set("class", "image")


def _fix(element, *, phrasing: bool, inside_link: bool) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):  # a comment or processing instruction
            _drop_keeping_tail(child)
            continue
        tag = child.tag.lower()
        child.tag = tag
        if tag == "img":
            _image_to_link(child, inside_link)
            continue
        if tag in RENAMED:
            new_tag, css_class = RENAMED[tag]
            child.tag = tag = new_tag
            if css_class:
                _add_class(child, css_class)
        _clean_attributes(child, tag)
        if tag == "br":
            child.text = None
            for grandchild in list(child):
                child.remove(grandchild)
            continue
        required = REQUIRED_PARENT.get(tag)
        if (phrasing and tag in BLOCK) or (required and element.tag not in required):
            _rename(child, tag, phrasing)
            tag = child.tag
        if tag == "a" and (inside_link or not child.get("href")):
            # EPUB's schema wants an href on every link; a link in a link is not allowed.
            _rename(child, tag, True)
            tag = child.tag
        if tag == "details":
            _ensure_summary(child)
        _fix(
            child,
            phrasing=phrasing or tag in PHRASING_ONLY,
            inside_link=inside_link or tag == "a",
        )
        if tag in ALLOWED_CHILDREN:
            _wrap_strays(child, ALLOWED_CHILDREN[tag])
        if tag == "colgroup" and len(child):
            child.attrib.pop("span", None)  # a group with columns takes its span from them
        if tag == "figure":
            _figcaption_at_an_end(child)
        if tag == "hr":
            child.text = None


def _drop_keeping_tail(node) -> None:
    parent = node.getparent()
    tail = node.tail or ""
    previous = node.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(node)


def _ensure_summary(details) -> None:
    children = [child for child in details if isinstance(child.tag, str)]
    if children and children[0].tag.lower() == "summary":
        # A summary that is not first: later ones are not summaries.
        for extra in children[1:]:
            if extra.tag.lower() == "summary":
                _rename(extra, "summary", False)
        return
    for child in children:
        if child.tag.lower() == "summary":
            _rename(child, "summary", False)
    summary = etree.Element("summary")
    summary.text = "Details"
    summary.tail = details.text
    details.text = None
    details.insert(0, summary)


def _wrap_strays(parent, allowed: tuple[str, ...]) -> None:
    """Children a list, table row or definition list may not hold go into a wrapper they may
    hold; stray text too (whitespace is left alone). A column group can hold nothing but
    columns, so whatever else it holds is dropped."""
    wrapper_tag = allowed[0]
    keeps_text = wrapper_tag != "col"
    if parent.text and parent.text.strip():
        if keeps_text:
            wrapper = etree.Element(wrapper_tag)
            wrapper.text = parent.text
            parent.insert(0, wrapper)
        parent.text = None
    for child in list(parent):
        tail, child.tail = child.tail, None
        current = child
        if child.tag not in allowed:
            current = etree.Element(wrapper_tag)
            child.addprevious(current)
            if keeps_text:
                current.append(child)
            else:
                parent.remove(child)
        if tail and tail.strip():
            if keeps_text:
                text_wrapper = etree.Element(wrapper_tag)
                text_wrapper.text = tail
                current.addnext(text_wrapper)
        else:
            current.tail = tail


def _figcaption_at_an_end(figure) -> None:
    children = [child for child in figure if isinstance(child.tag, str)]
    for index, child in enumerate(children):
        if child.tag == "figcaption" and 0 < index < len(children) - 1:
            _rename(child, "figcaption", False)
    captions = [child for child in figure if child.tag == "figcaption"]
    for extra in captions[1:]:
        _rename(extra, "figcaption", False)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def to_xhtml(html: str) -> str:
    """The HTML fragment as a well-formed, EPUB-valid XHTML fragment (no namespace
    declarations: it goes inside a document that declares XHTML as the default)."""
    html = _XML_INVALID.sub("", html or "").strip()
    if not html:
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    _fix(root, phrasing=False, inside_link=False)
    parts = [_escape(root.text or "")]
    parts.extend(etree.tostring(child, encoding="unicode", method="xml") for child in root)
    return "".join(parts)


def to_plain_text(html: str) -> str:
    """The text of an HTML fragment, paragraphs separated by a blank line (for dc:description)."""
    html = _XML_INVALID.sub("", html or "").strip()
    if not html:
        return ""
    root = lxml_html.fragment_fromstring(html, create_parent="div")
    for block in root.iter("p", "div", "br", "li", "blockquote", "h1", "h2", "h3", "h4"):
        block.tail = "\n" + (block.tail or "")
    return re.sub(r"\n\s*\n\s*", "\n\n", root.text_content()).strip()
