"""`fanfold originality`: check and sources on files (no archive needed), load-library, scan."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanfold.originality.models import ReferenceSource, RepostReport
from fanfold.originality.storygen import StoryGenerator, swap_names

from .test_checks import QUOTE_SOURCE


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("originality", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def files(tmp_path, story):
    others = tmp_path / "others"
    others.mkdir()
    (others / "original.txt").write_text(story)
    for seed in (1, 2):
        (others / f"other{seed}.txt").write_text(StoryGenerator(seed).story(400))
    copy = tmp_path / "copy.txt"
    copy.write_text(swap_names(story, {"Keztrel": "Vorhal", "Idrith": "Emmerel"}))
    library = tmp_path / "library"
    library.mkdir()
    (library / "The Salt Keeper.txt").write_text(QUOTE_SOURCE)
    quoting = tmp_path / "quoting.html"
    quoting.write_text(
        "<p>The sea doesn't forgive a sleeping keeper, his father had told him once, and it "
        "remembered every lamp that failed.</p>"
    )
    return {"others": others, "copy": copy, "library": library, "quoting": quoting}


def test_check_reports_the_copy_and_the_names(files):
    out = run("check", str(files["copy"]), "--against", str(files["others"]))
    assert "original.txt: copy of the whole text" in out
    assert "Keztrel -> Vorhal" in out and "other1" not in out


def test_check_as_json(files):
    data = json.loads(run("check", str(files["copy"]), "--against", str(files["others"]), "--json"))
    [match] = data["matches"]
    assert match["other"].endswith("original.txt") and match["kind"] == "full"
    assert {"from": "Keztrel", "to": "Vorhal", "count": match["name_map"][0]["count"]} in (
        match["name_map"]
    )


def test_check_says_when_nothing_is_found(files, tmp_path):
    alone = tmp_path / "alone.txt"
    alone.write_text(StoryGenerator(8).story(300))
    assert "no copies found among 3 texts" in run(
        "check", str(alone), "--against", str(files["others"])
    )


def test_sources_finds_the_quotation(files):
    out = run("sources", str(files["quoting"]), "--library", str(files["library"]))
    assert "The Salt Keeper.txt" in out and "forgive a sleeping keeper" in out
    data = json.loads(
        run("sources", str(files["quoting"]), "--library", str(files["library"]), "--json")
    )
    assert data["passages"][0]["title"] == "The Salt Keeper"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"   \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary file"),
        ("caf\u00e9".encode("latin-1"), "not UTF-8"),
        (b"x" * 2000, "too large"),
    ],
)
def test_bad_input_files_get_clear_errors(files, tmp_path, content, message):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run("check", str(bad), "--against", str(files["others"]), "--max-bytes", "1000")
    with pytest.raises(CommandError, match=message):
        run("sources", str(bad), "--library", str(files["library"]), "--max-bytes", "1000")


def test_missing_files_and_directories_are_named(files, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("check", str(tmp_path / "nope.txt"), "--against", str(files["others"]))
    with pytest.raises(CommandError, match="no such directory"):
        run("check", str(files["copy"]), "--against", str(tmp_path / "nowhere"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="no text files"):
        run("sources", str(files["copy"]), "--library", str(tmp_path / "empty"))


def test_load_library(files, admin_user, alice):
    with pytest.raises(CommandError, match="no such archive admin"):
        run("load-library", str(files["library"]), "--admin", alice.username)
    assert "added The Salt Keeper" in run(
        "load-library", str(files["library"]), "--admin", admin_user.username
    )
    assert ReferenceSource.objects.get().title == "The Salt Keeper"


def test_scan_on_a_local_dask_cluster_finds_reposts(alice, bob, story):
    from fanfold.testing.factories import make_work

    from .conftest import as_html

    # Posted without running the on-commit checks: only the scan can find the pair.
    original = make_work(alice, content=as_html(story))
    copy = make_work(bob, content=as_html(swap_names(story, {"Keztrel": "Vorhal"})))
    make_work(bob, content=as_html(StoryGenerator(3).story(300)))
    out = run("scan", "--workers", "1", "--threads")
    assert "Scanned 3 works" in out and "1 reposts recorded" in out
    report = RepostReport.objects.get()
    assert (report.older_work, report.newer_work) == (original, copy)
    assert report.name_map[0][:2] == ["Keztrel", "Vorhal"]
