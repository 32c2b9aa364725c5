"""The repost index kept open between checks: one RepostIndex object (a process's) sees works
that other objects and other processes indexed, stops reading segments that were merged or
removed, keeps the segments that did not change open, and merges piled-up segments in tiers.
No database, no Django."""

import os
import subprocess
import sys

import pytest

from fanfold.originality.engine import index as index_module
from fanfold.originality.engine.fingerprint import fingerprint
from fanfold.originality.engine.index import RepostIndex
from fanfold.originality.engine.text import tokenize
from fanfold.originality.storygen import StoryGenerator


@pytest.fixture(scope="module")
def prints():
    """Fingerprints of 40 unrelated generated stories of about 250 words."""
    generator = StoryGenerator(23)
    return [fingerprint(tokenize(generator.story(250)).words) for _ in range(40)]


def best(index: RepostIndex, fp) -> int | None:
    found = index.candidates(fp)
    return found[0].id if found and found[0].exact else None


def test_a_kept_open_index_finds_works_another_object_indexed(tmp_path, prints):
    checker = RepostIndex(tmp_path)
    writer = RepostIndex(tmp_path)
    writer.add([(1, prints[1])])
    assert best(checker, prints[1]) == 1
    first_segment = checker.segments[0]
    writer.add([(2, prints[2]), (3, prints[3])])
    assert best(checker, prints[3]) == 3
    assert len(checker) == 3 and 2 in checker
    # the segment that did not change stayed open: the same memory maps, not opened again
    assert checker.segments[0] is first_segment
    assert checker.refresh() is False  # nothing changed since: no work at all


def test_a_kept_open_index_finds_works_another_process_indexed(tmp_path, prints):
    checker = RepostIndex(tmp_path)
    assert best(checker, prints[5]) is None
    script = (
        "import sys\n"
        "from fanfold.originality.engine.index import RepostIndex\n"
        "from fanfold.originality.engine.fingerprint import fingerprint\n"
        "from fanfold.originality.engine.text import tokenize\n"
        "from fanfold.originality.storygen import StoryGenerator\n"
        "generator = StoryGenerator(23)\n"
        "texts = [generator.story(250) for _ in range(6)]\n"
        "RepostIndex(sys.argv[1]).add([(5, fingerprint(tokenize(texts[5]).words))])\n"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True)
    assert best(checker, prints[5]) == 5


def test_a_work_indexed_again_or_removed_elsewhere_is_seen_so(tmp_path, prints):
    checker = RepostIndex(tmp_path)
    writer = RepostIndex(tmp_path)
    writer.add([(1, prints[1]), (2, prints[2])])
    assert best(checker, prints[2]) == 2
    writer.add([(2, prints[20])])  # work 2 was rewritten
    assert best(checker, prints[2]) is None
    assert best(checker, prints[20]) == 2
    writer.remove([1])
    assert best(checker, prints[1]) is None and 1 not in checker
    assert len(checker) == 1


def test_segments_merged_elsewhere_are_no_longer_read(tmp_path, prints):
    checker = RepostIndex(tmp_path)
    writer = RepostIndex(tmp_path)
    for number in range(1, 5):
        writer.add([(number, prints[number])])
    writer.remove([3])
    assert len(checker.segments) == 4
    old_paths = {segment.path for segment in checker.segments}
    writer.compact()
    assert [segment.path for segment in checker.segments] == [writer.segments[0].path]
    assert not any(path.exists() for path in old_paths)  # their files are gone too
    assert best(checker, prints[4]) == 4 and best(checker, prints[1]) == 1
    assert best(checker, prints[3]) is None  # removed before the merge: stays removed
    assert len(checker) == 3


def test_an_old_version_is_not_found_once_its_segment_was_merged_away(tmp_path, prints):
    """The checker still has the merged segments mapped (their files are unlinked, not gone
    from its memory): it must read the new manifest rather than them."""
    checker = RepostIndex(tmp_path)
    writer = RepostIndex(tmp_path)
    writer.add([(7, prints[7])])
    assert best(checker, prints[7]) == 7
    writer.add([(7, prints[30])])  # work 7 rewritten, then everything merged
    writer.compact()
    assert best(checker, prints[7]) is None
    assert best(checker, prints[30]) == 7


def test_a_swapped_in_rebuilt_index_replaces_the_open_one(tmp_path, prints):
    """`fanfold originality scan` builds a new index beside the old one and renames it into
    place; its segments have the same names as the old index's but other works."""
    target = tmp_path / "index"
    checker = RepostIndex(target)
    RepostIndex(target).add([(1, prints[1])])
    assert best(checker, prints[1]) == 1
    building = tmp_path / "building"
    RepostIndex(building).add([(2, prints[2])])
    target.rename(tmp_path / "old")
    building.rename(target)
    assert best(checker, prints[2]) == 2
    assert best(checker, prints[1]) is None
    assert len(checker) == 1


def test_piled_up_segments_are_merged_in_tiers_not_all_at_once(tmp_path, prints, monkeypatch):
    monkeypatch.setattr(index_module, "MERGE_FACTOR", 3)
    index = RepostIndex(tmp_path)
    index.add([(number, prints[number]) for number in range(28)])  # one big segment (tier 3)
    big = index.segments[0].path
    for number in range(28, 40):
        index.add([(number, prints[number])])
        assert len(index.segments) <= 5  # at most MERGE_FACTOR - 1 a tier below the big one
    # the small segments were merged among themselves (1+1+1 -> 3, 3+3+3 -> 9); the big one
    # was never rewritten
    assert [len(segment) for segment in index.segments] == [28, 9, 3]
    assert index.segments[0].path == big
    assert len(index) == 40
    assert all(best(index, prints[number]) == number for number in range(40))


def test_a_tier_merge_keeps_removals_and_reindexing(tmp_path, prints, monkeypatch):
    monkeypatch.setattr(index_module, "MERGE_FACTOR", 3)
    index = RepostIndex(tmp_path)
    index.add([(number, prints[number]) for number in range(10)])
    index.add([(10, prints[10])])
    index.remove([4, 10])  # one in the big segment, one in a small one
    index.add([(5, prints[35])])  # work 5 rewritten
    index.add([(10, prints[10])])  # work 10 indexed again after its removal
    assert len(index.segments) == 2  # the three small ones were merged
    assert best(index, prints[4]) is None
    assert best(index, prints[10]) == 10
    assert best(index, prints[5]) is None and best(index, prints[35]) == 5
    assert len(RepostIndex(tmp_path)) == len(index) == 10


def test_too_many_segments_are_merged_into_one(tmp_path, prints, monkeypatch):
    monkeypatch.setattr(index_module, "MAX_SEGMENTS", 4)
    monkeypatch.setattr(index_module, "MERGE_FACTOR", 100)
    index = RepostIndex(tmp_path)
    for number in range(5):
        index.add([(number, prints[number])])
    assert len(index.segments) == 1 and len(index) == 5
    assert sorted(os.listdir(tmp_path)) == ["lock", "manifest.json", "segment-00000006"]
