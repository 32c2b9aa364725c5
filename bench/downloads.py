"""Downloads: building the EPUB of a 1,000,000-word, 200-chapter work with Fanfold's writer,
against calibre's ebook-convert turning the same work's HTML into EPUB (the way AO3 makes its
EPUBs), side by side in one run.

The work is generated (seeded, so every run builds the same text) straight into the writer's
Book; reading it from the database is not part of either side. Both sides start from the same
text: Fanfold from the stored chapter HTML, calibre from the single HTML file Fanfold's HTML
download writes (written to disk before calibre's clock starts)."""

import datetime
import platform
import random
import resource
import shutil
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

from fanfold.downloads.book import Book, BookChapter
from fanfold.downloads.epub import write_epub
from fanfold.downloads.formats import html_document
from fanfold.works.text import count_words

DESCRIPTION = "EPUB of a 1,000,000-word, 200-chapter work: Fanfold's writer vs calibre"

_WORDS = (
    "the", "tide", "harbour", "lantern", "keeper", "rope", "salt", "wind", "storm", "quiet",
    "night", "morning", "boat", "shore", "light", "stone", "gull", "wave", "deck", "sail",
    "anchor", "map", "island", "river", "mist", "bell", "tower", "road", "village", "she",
    "he", "they", "said", "asked", "turned", "smiled", "waited", "walked", "looked",
    "remembered", "carried", "opened", "and", "but", "so", "then", "because", "while",
    "after", "before", "under", "over", "through", "across", "toward", "again", "old", "new",
    "small", "bright", "dark", "long", "cold", "warm", "slow", "soft", "heavy", "empty",
)  # fmt: skip


def generate_book(*, chapters: int, words_per_chapter: int, seed: int = 6) -> Book:
    rng = random.Random(seed)
    book_chapters = []
    for number in range(1, chapters + 1):
        paragraphs = []
        written = 0
        while written < words_per_chapter:
            length = min(rng.randint(40, 120), words_per_chapter - written)
            words = [rng.choice(_WORDS) for _ in range(length)]
            words[0] = words[0].capitalize()
            if length > 10:  # some inline markup, as writers use it
                words[3] = f"<em>{words[3]}</em>"
                words[7] = f"<strong>{words[7]}</strong>"
            paragraphs.append(f"<p>{' '.join(words)}.</p>")
            written += length
            if rng.random() < 0.02:
                paragraphs.append("<hr>")
        book_chapters.append(
            BookChapter(
                number=number,
                title=f"The {rng.choice(_WORDS)} {rng.choice(_WORDS)}",
                content="\n".join(paragraphs),
                notes="<p>A note before the chapter.</p>" if number % 10 == 0 else "",
            )
        )
    return Book(
        identifier="urn:uuid:00000000-0000-5000-8000-000000000006",
        title="A Very Long Voyage",
        creators=["bench_writer"],
        language="en",
        direction="ltr",
        language_name="English",
        chapters=book_chapters,
        modified=datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC),
        summary="<p>A generated work for the download benchmark.</p>",
        tags={"rating": ["General Audiences"], "fandom": ["Benchmarks"]},
        words=chapters * words_per_chapter,
        chapters_display=f"{chapters}/{chapters}",
    )


def _cpu_seconds() -> float:
    """CPU time of this process and of the programs it ran (calibre) so far."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed(label: str, action) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) the action took. The reference machine is shared, so
    wall-clock time depends on what else runs; CPU time much less."""
    print(f"  {label} ...", flush=True)
    started, cpu_started = time.perf_counter(), _cpu_seconds()
    action()
    elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
    print(f"  {label}: {elapsed:.2f} s ({cpu:.2f} s of CPU)", flush=True)
    return elapsed, cpu


def _calibre_version() -> str:
    result = subprocess.run(
        ["ebook-convert", "--version"], capture_output=True, text=True, check=False
    )
    return (result.stdout.splitlines() or ["calibre (unknown version)"])[0].strip()


def run(*, quick: bool) -> str:
    if shutil.which("ebook-convert") is None:
        raise SystemExit("calibre's ebook-convert is needed (Debian package calibre)")
    chapters, per_chapter = (20, 500) if quick else (200, 5000)
    print(f"  generating {chapters} chapters of {per_chapter} words ...", flush=True)
    book = generate_book(chapters=chapters, words_per_chapter=per_chapter)
    words = sum(count_words(chapter.content) for chapter in book.chapters)
    print(f"  {words:,} words", flush=True)
    with tempfile.TemporaryDirectory(prefix="fanfold-bench-downloads-") as scratch:
        root = Path(scratch)
        fanfold_epub = root / "fanfold.epub"
        fanfold_seconds, fanfold_cpu = _timed(
            "Fanfold: write_epub", lambda: write_epub(book, fanfold_epub)
        )

        html = root / "work.html"
        html.write_text(html_document(book), encoding="utf-8")
        calibre_epub = root / "calibre.epub"

        def convert() -> None:
            subprocess.run(
                ["ebook-convert", str(html), str(calibre_epub)],
                capture_output=True,
                check=True,
                env={"HOME": scratch, "CALIBRE_CONFIG_DIRECTORY": scratch, "PATH": "/usr/bin"},
            )

        calibre_seconds, calibre_cpu = _timed("calibre: ebook-convert work.html work.epub", convert)
        with zipfile.ZipFile(fanfold_epub) as archive:
            documents = len([n for n in archive.namelist() if n.endswith(".xhtml")])
        fanfold_size = fanfold_epub.stat().st_size
        calibre_size = calibre_epub.stat().st_size
        html_size = html.stat().st_size
    ratio = calibre_seconds / fanfold_seconds
    cpu_ratio = calibre_cpu / fanfold_cpu
    verdict = "meets" if min(ratio, cpu_ratio) >= 10 else "misses"
    print(
        f"  Fanfold is {ratio:.1f}x faster than calibre ({cpu_ratio:.1f}x in CPU time; "
        f"{verdict} the 10x target)",
        flush=True,
    )
    fanfold_row = (
        "| Fanfold's EPUB writer (`write_epub`: XHTML for every chapter, nav, toc.ncx, cover, "
        f"zip) | {fanfold_seconds:.2f} s | {fanfold_cpu:.2f} s | {fanfold_size / 1e6:.1f} MB |"
    )
    calibre_row = (
        "| calibre `ebook-convert work.html work.epub` (AO3's way) "
        f"| {calibre_seconds:.2f} s | {calibre_cpu:.2f} s | {calibre_size / 1e6:.1f} MB |"
    )
    return f"""## Downloads: EPUB of a 1,000,000-word work

`make bench BENCH=downloads` (bench/downloads.py), {datetime.date.today().isoformat()}, Python
{platform.python_version()}, {_calibre_version()}. A generated work of {chapters} chapters and
{words:,} words ({html_size / 1e6:.1f} MB of HTML) made into EPUB, one after the other in one run:

| what | time | CPU time | EPUB size |
| --- | --- | --- | --- |
{fanfold_row}
{calibre_row}

Fanfold's writer is **{ratio:.1f} times** as fast as calibre in elapsed time and
**{cpu_ratio:.1f} times** in CPU time: it {verdict} the target of at least 10 times.
Fanfold's EPUB has {documents} XHTML documents (cover, title page, contents and one per
chapter); the test suite checks the writer's output with W3C epubcheck. The reference machine
is shared (2 cores, often busy with other work): elapsed times vary from run to run with its
load; CPU times (this process and calibre's, from getrusage) much less.
"""
