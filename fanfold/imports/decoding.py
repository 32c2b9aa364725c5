"""Bytes to text: find the character encoding of an uploaded text or HTML file and decode it.

Writers' files come from every word processor and decade: UTF-8 (with or without a byte order
mark), UTF-16 from Windows' Notepad, Windows-1252 with its curly quotes, Shift_JIS, GB18030.
Decoding one as another gives mojibake ("Itâ€™s"), so UTF-8 is only assumed when the bytes are
valid UTF-8, and anything else goes to charset-normalizer, which weighs the candidates by how
plausible the decoded text is. Pure functions, no Django."""

import codecs
import re

import charset_normalizer

from .errors import ImportRefused

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters no text needs (tab, newline and carriage return stay).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.:-]+)""")


def declared_encoding(data: bytes) -> str | None:
    """The encoding an HTML or XML file names for itself near its start, if any."""
    head = data[:2048]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_text(data: bytes, *, filename: str = "The file", html: bool = False) -> str:
    """The text of these bytes, with newlines normalised. ImportRefused when the file is empty,
    binary, or in no encoding that can be told."""
    if not data.strip():
        raise ImportRefused(f"{filename} is empty.")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _clean(_decode(data, encoding, filename))
    candidates = ["utf-8"]
    if html and (declared := declared_encoding(data)):
        # A declared single-byte Western encoding is often wrong (editors keep the template's
        # meta tag); valid UTF-8 is still tried first.
        candidates.append(declared)
    for encoding in candidates:
        try:
            return _clean(data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    if b"\x00" in data:
        raise ImportRefused(
            f"{filename} looks like a binary file, not text. Please upload plain text, HTML, "
            "Markdown or an EPUB."
        )
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ImportRefused(
            f"Fanfold can't tell which character encoding {filename} uses. Please save it as "
            "UTF-8 and upload it again."
        )
    return _clean(str(best))


def _decode(data: bytes, encoding: str, filename: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        raise ImportRefused(
            f"{filename} starts with a {encoding.upper()} byte order mark but is not valid "
            f"{encoding.upper()}. Please save it as UTF-8 and upload it again."
        ) from None


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL.sub("", text)
