"""Reading texts from files for the command line, with a clear error for what is not a text."""

from pathlib import Path

from .text import html_to_text

MAX_BYTES = 20 * 1024 * 1024  # 20 MB: longer than any novel; more is not a story file
TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm", ".text", ""}


class InputError(ValueError):
    """A file that cannot be checked, with a message for the person who gave it."""


def read_text(path: Path, *, max_bytes: int = MAX_BYTES) -> str:
    """The plain text of a UTF-8 text, Markdown or HTML file."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if not path.is_file():
        raise InputError(f"{path}: not a file.")
    size = path.stat().st_size
    if size > max_bytes:
        raise InputError(
            f"{path}: {size:,} bytes is too large to check (the limit is {max_bytes:,} bytes)."
        )
    raw = path.read_bytes()
    if b"\x00" in raw[:8192]:
        raise InputError(f"{path}: this is a binary file, not a text (give a .txt or .html file).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(
            f"{path}: not UTF-8 text (byte {error.start} cannot be read); save it as UTF-8."
        ) from None
    if path.suffix.lower() in {".html", ".htm"}:
        text = html_to_text(text)
    if not text.strip():
        raise InputError(f"{path}: the file is empty.")
    return text


def read_directory(directory: Path, *, max_bytes: int = MAX_BYTES) -> list[tuple[Path, str]]:
    """Every text file in a directory (recursively), sorted by path. Files that are not texts
    are an error: a library or comparison set should not silently miss a file."""
    if not directory.exists():
        raise InputError(f"{directory}: no such directory.")
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory.")
    files = sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in TEXT_SUFFIXES
    )
    if not files:
        raise InputError(f"{directory}: no text files (.txt, .md, .html) found.")
    return [(path, read_text(path, max_bytes=max_bytes)) for path in files]
