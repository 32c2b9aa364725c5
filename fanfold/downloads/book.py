"""A work as the download writers see it: plain data, no database, so the EPUB, HTML and PDF
writers are testable on their own and the benchmark can build a huge work without one.
`book_from_work` (selectors.py) fills it from a Work."""

import datetime
from dataclasses import dataclass, field

# The title page's metadata block, in AO3's order: (tag type, label for one, label for many).
TAG_GROUPS = [
    ("rating", "Rating", "Ratings"),
    ("warning", "Archive Warning", "Archive Warnings"),
    ("category", "Category", "Categories"),
    ("fandom", "Fandom", "Fandoms"),
    ("relationship", "Relationship", "Relationships"),
    ("character", "Character", "Characters"),
    ("freeform", "Additional Tags", "Additional Tags"),
]


@dataclass
class BookChapter:
    number: int  # 1-based reading order among the chapters in the book
    title: str  # the chapter's own title, may be ""
    content: str  # sanitized HTML
    summary: str = ""
    notes: str = ""
    end_notes: str = ""

    @property
    def heading(self) -> str:
        return f"Chapter {self.number}: {self.title}" if self.title else f"Chapter {self.number}"


@dataclass
class Book:
    identifier: str  # "urn:uuid:...", stable for the work
    title: str
    creators: list[str]
    language: str
    direction: str  # "ltr" or "rtl"
    language_name: str
    chapters: list[BookChapter]
    modified: datetime.datetime
    publisher: str = "Fanfold"
    summary: str = ""  # sanitized HTML, as are the notes
    notes: str = ""
    end_notes: str = ""
    tags: dict[str, list[str]] = field(default_factory=dict)  # by tag type, in typed order
    published: datetime.date | None = None
    updated: datetime.date | None = None
    is_complete: bool = False
    words: int = 0
    chapters_display: str = "1/1"
    source_url: str = ""
    series: tuple[str, int] | None = None  # (series title, this work's position)

    @property
    def byline(self) -> str:
        return ", ".join(self.creators)
