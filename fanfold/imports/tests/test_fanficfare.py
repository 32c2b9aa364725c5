"""EPUBs written by a tool this project did not write: FanFicFare's offline test site
(test1.com) generates stories, in EPUB 3 and EPUB 2, into a temporary directory during the test
run (none are committed). Importing them gives the story's title, author, chapters and tags."""

import subprocess
import sys
from pathlib import Path

import pytest

from fanfold.imports.parsing import parse_file


@pytest.fixture(scope="module")
def fanficfare_epubs(tmp_path_factory) -> dict[str, Path]:
    directory = tmp_path_factory.mktemp("fanficfare")
    fanficfare = Path(sys.executable).parent / "fanficfare"
    made = {}
    for name, sid, options in (
        ("epub3", 1000, ["-o", "epub_version=3.0"]),
        ("epub2", 1000, ["-o", "epub_version=2.0"]),
    ):
        out = directory / name
        out.mkdir()
        subprocess.run(
            [str(fanficfare), "--non-interactive", "-f", "epub", *options,
             f"http://test1.com?sid={sid}"],
            cwd=out, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        (made[name],) = out.glob("*.epub")
    return made


@pytest.mark.parametrize("version", ["epub3", "epub2"])
def test_fanficfare_epubs_import_with_their_chapters_and_tags(fanficfare_epubs, version):
    path = fanficfare_epubs[version]
    work = parse_file(path.name, path.read_bytes())
    assert work.title == "Testing New Feature 1000"
    assert work.authors == ["Bob Smith"]
    assert work.language == "en"
    assert [c.title for c in work.chapters] == [
        "Prologue",
        "Xenos on Cinnabar",
        "Sinmay on Kintikin",
        "3. Chapter 3",
    ]
    assert "Harry Potter" in work.fandoms
    assert work.characters == ["Bob Smith", "Fred Smythe", "George Johnson"]
    assert work.freeforms == ["Comedy", "Fantasy", "Noir", "Sci-Fi"]
    text = work.chapters[1].content
    # Its typography test line survives: strikethrough, CJK, the pound sign, escaped markup.
    assert "<s>Strike through</s>" in text
    assert "Onna(\u5973)" in text and "L(\u00a3)" in text and "lt(&lt;)" in text
    assert "<hr>" in text
    assert "fff_chapter_title" not in text and "Timestamp" in text
    assert work.word_count > 1000
