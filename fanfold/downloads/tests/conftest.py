"""Fixtures for download tests: W3C epubcheck (the real one, a Java program) and a work that
uses everything writers can put in a work."""

import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from fanfold.testing.factories import make_work
from fanfold.works.services import ChapterInput, chapter_update

EPUBCHECK_JAR = Path("/usr/bin/epubcheck")

# Every element the sanitizer allows (fanfold/works/text.py), with its allowed attributes, in
# the ways writers use them and a few ways they misuse them.
EVERY_TAG_HTML = """
<h1>Heading one</h1><h2>Heading two</h2><h3>Three</h3><h4>Four</h4><h5>Five</h5><h6>Six</h6>
<p align="center" title="a title" class="note">Centred <b>bold</b> <i>italic</i> <u>under</u>
<s>struck</s> <strike>strike</strike> <del cite="https://example.org/why" datetime="2024-01-02">
deleted</del> <ins datetime="not a date">inserted</ins> <big>big</big> <small>small</small>
<sub>sub</sub> <sup>sup</sup> <tt>teletype</tt> <code>code</code> <kbd>kbd</kbd> <samp>samp</samp>
<var>var</var> <abbr title="abbreviation">abbr</abbr> <acronym title="acronym">acr</acronym>
<dfn>dfn</dfn> <cite>cite</cite> <q cite="https://example.org/q">quoted</q> <em>em</em>
<strong>strong</strong> <span lang="fr" dir="ltr">français</span><br>
<a href="https://example.org/page">a link</a> <a href="/works/1">a relative link</a>
<a name="anchor">a named anchor</a> <a href="mailto:writer@example.org">mail</a>
<ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp>字<rt>ji</rt></ruby>
<img src="https://example.org/cat.png" alt="A cat asleep" width="40" height="30"></p>
<center>centred block</center><address>An address</address>
<blockquote cite="https://example.org/source"><p>A quotation.</p></blockquote>
<div dir="rtl" lang="ar">مرحبا بالعالم</div><p lang="ja">日本語の文章です。中文字符。한국어</p>
<dl><dt>term</dt><dd>definition</dd></dl>
<ol start="3" type="i" reversed><li>one</li><li>two</li></ol><ul type="disc"><li>item</li></ul>
<table align="center"><caption>A table</caption>
<colgroup span="2" width="50"><col span="1" width="20"></colgroup>
<thead><tr><th scope="col" colspan="2">Head</th></tr></thead>
<tbody><tr><td rowspan="1" scope="row">a</td><td>b</td></tr></tbody>
<tfoot><tr><td colspan="2">foot</td></tr></tfoot></table>
<details><summary>Spoiler</summary><p>Hidden text.</p></details>
<details><p>A details without a summary.</p></details>
<figure><img src="https://example.org/fig.png" alt="figure"><figcaption>A figure</figcaption>
</figure><pre>pre   formatted</pre><hr><p>x &nbsp; y &amp; z &lt; w</p>
<em><p>a paragraph inside emphasis</p></em><li>a stray list item</li>
<summary>a stray summary</summary><figcaption>a stray caption</figcaption>
<span><div>a block inside a span</div></span>
<a href="https://example.org/"><img src="https://example.org/in-link.png" alt="in a link"></a>
"""


def run_epubcheck(path: Path, tmp_path: Path) -> list[dict]:
    """epubcheck's messages about this EPUB that are errors, fatal errors or warnings."""
    if not EPUBCHECK_JAR.exists() or shutil.which("java") is None:
        pytest.fail("W3C epubcheck is needed (Debian packages epubcheck and a Java runtime)")
    report = tmp_path / "epubcheck.json"
    subprocess.run(
        # C1-only JIT and the serial collector: a short run needs a quarter of the CPU time.
        [
            "java",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-jar",
            str(EPUBCHECK_JAR),
            str(path),
            "--json",
            str(report),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    messages = json.loads(report.read_text())["messages"]
    return [m for m in messages if m["severity"] in ("FATAL", "ERROR", "WARNING")]


@pytest.fixture
def epubcheck(tmp_path):
    return lambda path: run_epubcheck(path, tmp_path)


def epub_files(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml", ".svg", ".css", "mimetype"))
        }


@pytest.fixture
def rich_work(alice, bob):
    """Three chapters with notes and titles, every tag type, two creators, summary, notes and
    end notes, and a chapter using every element the sanitizer allows."""
    work = make_work(
        alice,
        title="Lanterns & <Tides>",
        chapters=3,
        pseuds=[alice.pseuds.get(), bob.pseuds.get()],
        categories=["F/F", "Gen"],
        fandoms=["Harbour Stories", "Sea Tales"],
        relationships=["Mira/Tova"],
        characters=["Mira", "Tova"],
        freeforms=["Fluff", "Found Family"],
        summary="<p>Two keepers and a <em>storm</em>.</p>",
        notes="<p>Written for the tests.</p>",
        end_notes="<p>Thanks for reading.</p>",
    )
    first, second, third = work.chapters.order_by("position")
    chapter_update(
        chapter=first,
        user=alice,
        data=ChapterInput(
            title="Everything",
            content=EVERY_TAG_HTML,
            summary="<p>The chapter with every tag.</p>",
            notes="<p>Chapter notes.</p>",
            end_notes="<p>Chapter end notes.</p>",
        ),
    )
    chapter_update(
        chapter=second,
        user=alice,
        data=ChapterInput(title="", content="<p>The second chapter's own words.</p>"),
    )
    chapter_update(
        chapter=third,
        user=alice,
        data=ChapterInput(title="低い潮", content="<p>潮が引いた。The tide went out.</p>"),
    )
    work.refresh_from_db()
    return work
