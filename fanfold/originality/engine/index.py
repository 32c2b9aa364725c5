"""The repost index on disk: compact numpy arrays, memory-mapped, never Python dicts.

An index is a directory of immutable segments plus manifest.json naming the live ones. Each
segment holds, for n works:

    ids.npy          int64[n]            the caller's id of each work
    lengths.npy      uint32[n]           tokens in the normalised text
    exact.npy        uint64[n]           first 8 bytes of the exact hash
    signatures.npy   uint32[n, 64]       MinHash signatures (256 bytes a work)
    band_keys.npy    uint32[BANDS, n]    LSH band keys, each band sorted ...
    band_rows.npy    uint32[BANDS, n]    ... with the row each key belongs to
    fp_keys.npy      uint32[m]           winnowing fingerprints of all n works, sorted ...
    fp_rows.npy      uint32[m]           ... with their rows

A lookup is a binary search (np.searchsorted) per band key and per fingerprint, on arrays the
operating system pages in as needed, so an index of millions of works opens in milliseconds and
costs memory only for the pages a query touches. Adding works writes a new segment (readers keep
using the old manifest until the new one is renamed into place); a work indexed again or removed
is shadowed by the newer segment or a tombstone. The newest segments are merged in tiers when
enough of them pile up (_merge_start), and `compact` rewrites everything into one segment.
Writers take an exclusive lock file, so web workers and task workers may share one index
directory; a RepostIndex object keeps its segments open and notices other writers' changes by
the manifest (refresh).
"""

import fcntl
import json
import os
import shutil
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np

from .fingerprint import BANDS, PERMUTATIONS, Fingerprint, band_keys

COMMON_FINGERPRINT = 200  # a fingerprint shared by more works than this is boilerplate
MERGE_FACTOR = 8  # segments of one tier that add() merges into one (see _merge_start)
MAX_SEGMENTS = 24  # more than this and add() merges them all
_REFRESH_ATTEMPTS = 5


def _exact64(exact: str) -> int:
    return int(exact[:16], 16)


@dataclass
class Candidate:
    """A work in the index that may be a copy: why it was picked, before alignment checks it."""

    id: int
    length: int
    exact: bool
    jaccard: float  # MinHash estimate over whole texts
    shared_fingerprints: int  # winnowing fingerprints in common
    containment: float  # shared fingerprints / fingerprints of the smaller text (estimated)


class _Segment:
    def __init__(self, path: Path):
        self.path = path
        load = lambda name: np.load(path / f"{name}.npy", mmap_mode="r")  # noqa: E731
        self.ids = load("ids")
        self.lengths = load("lengths")
        self.exact = load("exact")
        self.signatures = load("signatures")
        self.band_keys = load("band_keys")
        self.band_rows = load("band_rows")
        self.fp_keys = load("fp_keys")
        self.fp_rows = load("fp_rows")
        self.fp_counts = np.load(path / "fp_counts.npy", mmap_mode="r")

    def __len__(self) -> int:
        return len(self.ids)


def write_segment(
    path: Path,
    ids: np.ndarray,
    lengths: np.ndarray,
    exact: np.ndarray,
    signatures: np.ndarray,
    fingerprints: list[np.ndarray],
) -> None:
    """Write one segment from column arrays (fingerprints: one uint32 array per work)."""
    path.mkdir(parents=True)
    n = len(ids)
    keys = band_keys(signatures) if n else np.zeros((0, BANDS), dtype=np.uint32)
    order = np.argsort(keys, axis=0, kind="stable").T.astype(np.uint32)  # (BANDS, n)
    sorted_keys = np.take_along_axis(keys.T, order.astype(np.int64), axis=1)
    counts = np.fromiter((len(f) for f in fingerprints), dtype=np.uint32, count=n)
    fp_keys = np.concatenate(fingerprints) if n else np.zeros(0, dtype=np.uint32)
    fp_rows = np.repeat(np.arange(n, dtype=np.uint32), counts)
    fp_order = np.argsort(fp_keys, kind="stable")
    arrays = {
        "ids": np.asarray(ids, dtype=np.int64),
        "lengths": np.asarray(lengths, dtype=np.uint32),
        "exact": np.asarray(exact, dtype=np.uint64),
        "signatures": np.asarray(signatures, dtype=np.uint32).reshape(n, PERMUTATIONS),
        "band_keys": np.ascontiguousarray(sorted_keys, dtype=np.uint32),
        "band_rows": np.ascontiguousarray(order, dtype=np.uint32),
        "fp_keys": fp_keys[fp_order].astype(np.uint32),
        "fp_rows": fp_rows[fp_order],
        "fp_counts": counts,
    }
    for name, array in arrays.items():
        np.save(path / f"{name}.npy", array)


class _State(NamedTuple):
    """What one reading of the manifest opened: swapped in as a whole, so a check running in
    another thread meanwhile sees either the old segments and masks or the new ones."""

    names: tuple[str, ...]
    segments: list[_Segment]
    live: list[np.ndarray]  # per segment: which rows hold the live version of their work
    tombstones: dict[int, int]


_EMPTY = _State(names=(), segments=[], live=[], tombstones={})


def _live_masks(
    segments: list[_Segment], tombstones: dict[int, int], *, first: int = 0
) -> list[np.ndarray]:
    """For each segment from `first` on: its rows that are the newest version of their work
    (segments are in order, oldest first) and not hidden by a tombstone. Vectorised: an index
    of a million works is read in well under a second."""
    tail = segments[first:]
    if not tail:
        return []
    ids = np.concatenate([np.asarray(segment.ids) for segment in tail])
    numbers = np.concatenate(
        [np.full(len(segment), first + n, dtype=np.int64) for n, segment in enumerate(tail)]
    )
    # the last occurrence of each id
    _, last_reversed = np.unique(ids[::-1], return_index=True)
    newest = np.zeros(len(ids), dtype=bool)
    newest[len(ids) - 1 - last_reversed] = True
    if tombstones:
        dead_ids = np.fromiter(tombstones.keys(), dtype=np.int64)
        dead_until = np.fromiter(tombstones.values(), dtype=np.int64)
        order = np.argsort(dead_ids)
        dead_ids, dead_until = dead_ids[order], dead_until[order]
        position = np.clip(np.searchsorted(dead_ids, ids), 0, len(dead_ids) - 1)
        tombstoned = (dead_ids[position] == ids) & (numbers <= dead_until[position])
        newest &= ~tombstoned
    masks, start = [], 0
    for segment in tail:
        masks.append(newest[start : start + len(segment)])
        start += len(segment)
    return masks


class RepostIndex:
    """Open with RepostIndex(directory); the directory is created when missing.

    One object is meant to live as long as its process (services.repost_index() keeps one):
    its segments stay open (memory-mapped) between checks. Every read first calls refresh(),
    which costs a stat of the directory and a read of the small manifest; only when another
    writer (this process or another one) added, merged or removed segments are the new ones
    opened, the ones no longer named closed, and the live-row masks brought up to date.
    Before, every check opened every segment's nine files and recomputed the masks over every
    id, so a check slowed down as segments piled up."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._state = _EMPTY
        self._seen: tuple | None = None  # (directory's identity, manifest bytes) last applied
        self._index_id: str | None = None  # the manifest's "index" last applied
        self._refreshing = threading.Lock()
        self.refresh()

    @property
    def segments(self) -> list[_Segment]:
        self.refresh()
        return self._state.segments

    @property
    def _live(self) -> list[np.ndarray]:
        return self._state.live

    @property
    def tombstones(self) -> dict[int, int]:
        return self._state.tombstones

    # --- reading ------------------------------------------------------------------------------

    def _manifest(self) -> dict:
        path = self.directory / "manifest.json"
        if not path.exists():
            return _new_manifest()
        return _complete(json.loads(path.read_text()))

    def _read_manifest(self) -> tuple[tuple, dict]:
        """The manifest and what identifies it: the directory's device and inode (`fanfold
        originality scan` swaps in a whole new directory) and the manifest's bytes (every write
        raises its generation)."""
        try:
            identity = os.stat(self.directory)
        except FileNotFoundError:
            return (None, b""), _new_manifest()
        try:
            raw = (self.directory / "manifest.json").read_bytes()
        except FileNotFoundError:
            raw = b""
        manifest = _complete(json.loads(raw)) if raw else _new_manifest()
        return ((identity.st_dev, identity.st_ino), raw), manifest

    def refresh(self) -> bool:
        """Catch up with the manifest on disk; True when anything changed."""
        with self._refreshing:
            for attempt in range(_REFRESH_ATTEMPTS):
                seen, manifest = self._read_manifest()
                if seen[0] is None and attempt < _REFRESH_ATTEMPTS - 1:
                    # no directory: `scan` may be between renaming the old index away and
                    # the rebuilt one into place
                    time.sleep(0.01 * (attempt + 1))
                    continue
                if seen == self._seen:
                    return False
                try:
                    self._apply(
                        manifest,
                        same_directory=self._seen is not None
                        and seen[0] == self._seen[0]
                        and manifest["index"] == self._index_id,
                    )
                except FileNotFoundError:
                    # A writer merged segments (and removed their files) between our reading
                    # of the manifest and opening them: its new manifest names the merged one.
                    if attempt == _REFRESH_ATTEMPTS - 1:
                        raise
                    time.sleep(0.01 * (attempt + 1))
                    continue
                self._seen = seen
                self._index_id = manifest["index"]
                return True
        return False  # pragma: no cover (the loop returns or raises)

    def _apply(self, manifest: dict, *, same_directory: bool) -> None:
        old = self._state if same_directory else _EMPTY
        names = tuple(manifest["segments"])
        tombstones = {int(k): int(v) for k, v in manifest["tombstones"].items()}
        # Segments are immutable and their names never reused within one index, so a segment
        # still named is still the same files: keep its memory maps.
        kept = dict(zip(old.names, old.segments, strict=True))
        segments = [
            kept[name] if name in kept else _Segment(self.directory / name) for name in names
        ]
        prefix = len(old.names)
        if old.names and names[:prefix] == old.names and tombstones == old.tombstones:
            # Only new segments at the end (the common case: works were indexed). Their rows
            # shadow older versions of the same works; the rest of the old masks still hold.
            added = segments[prefix:]
            new_ids = np.concatenate([np.asarray(s.ids) for s in added]) if added else np.zeros(0)
            live = [
                alive & ~np.isin(np.asarray(segment.ids), new_ids) if len(new_ids) else alive
                for segment, alive in zip(old.segments, old.live, strict=True)
            ] + _live_masks(segments, tombstones, first=prefix)
        else:
            live = _live_masks(segments, tombstones)
        self._state = _State(names=names, segments=segments, live=live, tombstones=tombstones)

    def __len__(self) -> int:
        self.refresh()
        return int(sum(int(alive.sum()) for alive in self._state.live))

    def __contains__(self, work_id: int) -> bool:
        self.refresh()
        state = self._state
        return any(
            bool(alive[np.asarray(segment.ids) == work_id].any())
            for segment, alive in zip(state.segments, state.live, strict=True)
        )

    def disk_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.directory.rglob("*.npy"))

    def candidates(
        self,
        fp: Fingerprint,
        *,
        exclude: int | None = None,
        min_jaccard: float = 0.2,
        min_containment: float = 0.15,
        min_shared: int = 3,
        limit: int = 20,
    ) -> list[Candidate]:
        """Works that may be copies of (or contain, or be contained in) the fingerprinted text,
        best first: an exact hash match, a MinHash estimate of at least min_jaccard among the
        works sharing an LSH band, or at least min_shared winnowing fingerprints making up
        min_containment of the smaller text's."""
        self.refresh()
        state = self._state
        found: list[Candidate] = []
        keys = band_keys(fp.signature)[0]
        exact64 = np.uint64(_exact64(fp.exact))
        for segment, alive in zip(state.segments, state.live, strict=True):
            if not len(segment):
                continue
            rows = [np.flatnonzero(np.asarray(segment.exact) == exact64)]
            for band in range(BANDS):
                column = segment.band_keys[band]
                lo = np.searchsorted(column, keys[band], side="left")
                hi = np.searchsorted(column, keys[band], side="right")
                if hi > lo:
                    rows.append(np.asarray(segment.band_rows[band, lo:hi], dtype=np.int64))
            shared = np.zeros(0, dtype=np.int64)
            shared_counts = np.zeros(0, dtype=np.int64)
            if len(fp.winnowed):
                lo = np.searchsorted(segment.fp_keys, fp.winnowed, side="left")
                hi = np.searchsorted(segment.fp_keys, fp.winnowed, side="right")
                useful = (hi > lo) & (hi - lo <= COMMON_FINGERPRINT)
                if useful.any():
                    hit_rows = np.concatenate(
                        [segment.fp_rows[a:b] for a, b in zip(lo[useful], hi[useful], strict=True)]
                    ).astype(np.int64)
                    shared, shared_counts = np.unique(hit_rows, return_counts=True)
                    rows.append(shared)
            candidate_rows = np.unique(np.concatenate(rows)) if rows else np.zeros(0, np.int64)
            if not len(candidate_rows):
                continue
            candidate_rows = candidate_rows[alive[candidate_rows]]
            if exclude is not None:
                candidate_rows = candidate_rows[np.asarray(segment.ids)[candidate_rows] != exclude]
            if not len(candidate_rows):
                continue
            jaccard = (
                np.asarray(segment.signatures[candidate_rows]) == fp.signature[None, :]
            ).mean(axis=1)
            shared_by_row = dict(zip(shared.tolist(), shared_counts.tolist(), strict=True))
            for row, estimate in zip(candidate_rows.tolist(), jaccard.tolist(), strict=True):
                is_exact = int(segment.exact[row]) == int(exact64)
                common = shared_by_row.get(row, 0)
                smaller = max(1, min(int(segment.fp_counts[row]), len(fp.winnowed)))
                containment = common / smaller
                if (
                    is_exact
                    or estimate >= min_jaccard
                    or (common >= min_shared and containment >= min_containment)
                ):
                    found.append(
                        Candidate(
                            id=int(segment.ids[row]),
                            length=int(segment.lengths[row]),
                            exact=is_exact,
                            jaccard=float(estimate),
                            shared_fingerprints=common,
                            containment=containment,
                        )
                    )
        found.sort(key=lambda c: (not c.exact, -max(c.jaccard, c.containment), c.id))
        return found[:limit]

    # --- writing ------------------------------------------------------------------------------

    @contextmanager
    def _locked(self):
        with open(self.directory / "lock", "a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _write_manifest(self, manifest: dict) -> None:
        manifest["generation"] += 1  # readers in every process see the change by it
        # An index's own name: `scan` builds a new index beside this one and swaps it in, and
        # its segment names start again at 1, so a reader must not keep segments across.
        manifest["index"] = manifest["index"] or uuid.uuid4().hex
        temporary = self.directory / "manifest.json.tmp"
        temporary.write_text(json.dumps(manifest))
        os.replace(temporary, self.directory / "manifest.json")

    def add(self, items: list[tuple[int, Fingerprint]]) -> None:
        """Index (or index again) works: one new segment for all of them, then merge the
        newest segments if they have piled up (see _merge_start)."""
        if not items:
            return
        with self._locked():
            manifest = self._manifest()
            name = f"segment-{manifest['next']:08d}"
            write_segment(
                self.directory / name,
                ids=np.array([i for i, _ in items], dtype=np.int64),
                lengths=np.array([f.length for _, f in items], dtype=np.uint32),
                exact=np.array([_exact64(f.exact) for _, f in items], dtype=np.uint64),
                signatures=np.stack([f.signature for _, f in items]),
                fingerprints=[f.winnowed for _, f in items],
            )
            manifest["segments"].append(name)
            manifest["next"] += 1
            self._write_manifest(manifest)
            self.refresh()
            # a merge may complete a tier above it: merge on until nothing is due
            while (start := _merge_start([len(s) for s in self.segments])) is not None:
                self._merge(start)

    def remove(self, work_ids: list[int]) -> None:
        """Forget works (deleted ones): a tombstone hides every version indexed so far."""
        with self._locked():
            manifest = self._manifest()
            for work_id in work_ids:
                manifest["tombstones"][str(work_id)] = len(manifest["segments"]) - 1
            self._write_manifest(manifest)
        self.refresh()

    def compact(self) -> None:
        """Rewrite the live rows of every segment into one segment."""
        with self._locked():
            self.refresh()
            if self.segments:
                self._merge(0)

    def _merge(self, start: int) -> None:
        """Rewrite the live rows of the segments from `start` on into one segment in their
        place (the caller holds the lock and has refreshed). The merged segment is newer than
        every segment before it, so it shadows their versions of its works as the merged ones
        did; tombstones that reached into the merged segments now end just before it (what
        they hid there was left out)."""
        manifest = self._manifest()
        state = self._state
        assert list(state.names) == manifest["segments"], "refresh() first, under the lock"
        columns: dict[str, list] = {k: [] for k in ("ids", "lengths", "exact", "sigs", "fps")}
        for segment, alive in zip(state.segments[start:], state.live[start:], strict=True):
            rows = np.flatnonzero(alive)
            columns["ids"].append(np.asarray(segment.ids)[rows])
            columns["lengths"].append(np.asarray(segment.lengths)[rows])
            columns["exact"].append(np.asarray(segment.exact)[rows])
            columns["sigs"].append(np.asarray(segment.signatures)[rows])
            # fingerprints back per row: group the segment's (key, row) pairs by row
            order = np.argsort(segment.fp_rows, kind="stable")
            keys_by_row = np.asarray(segment.fp_keys)[order]
            bounds = np.concatenate(
                [np.zeros(1, np.int64), np.cumsum(segment.fp_counts, dtype=np.int64)]
            )
            columns["fps"].extend(keys_by_row[bounds[r] : bounds[r + 1]] for r in rows)
        name = f"segment-{manifest['next']:08d}"
        write_segment(
            self.directory / name,
            ids=np.concatenate(columns["ids"]),
            lengths=np.concatenate(columns["lengths"]),
            exact=np.concatenate(columns["exact"]),
            signatures=np.concatenate(columns["sigs"]).reshape(-1, PERMUTATIONS),
            fingerprints=columns["fps"],
        )
        merged = manifest["segments"][start:]
        tombstones = {}
        for work_id, until in manifest["tombstones"].items():
            until = min(until, start - 1)
            if until >= 0:
                tombstones[work_id] = until
        manifest.update(
            segments=[*manifest["segments"][:start], name],
            tombstones=tombstones,
            next=manifest["next"] + 1,
        )
        self._write_manifest(manifest)
        # Processes that still have the merged segments open keep reading them (an unlinked
        # file stays mapped) until their next refresh() reads the new manifest.
        for segment_name in merged:
            shutil.rmtree(self.directory / segment_name, ignore_errors=True)
        self.refresh()


def _new_manifest() -> dict:
    return _complete({})


def _complete(manifest: dict) -> dict:
    """Manifests written before generations (and by the benchmark) lack some keys."""
    manifest.setdefault("segments", [])
    manifest.setdefault("tombstones", {})
    manifest.setdefault("next", len(manifest["segments"]) + 1)
    manifest.setdefault("generation", 0)
    manifest.setdefault("index", None)
    return manifest


def _tier(size: int) -> int:
    """floor(log(size, MERGE_FACTOR)), in integers (math.log(9, 3) is not quite 2)."""
    tier = 0
    while size >= MERGE_FACTOR:
        size //= MERGE_FACTOR
        tier += 1
    return tier


def _merge_start(sizes: list[int]) -> int | None:
    """Where to start merging the newest segments, or None to leave them.

    Every check reads every segment (a binary search per band and per fingerprint in each), so
    segments must not pile up; but merging everything into one, as add() did after 24
    segments, rewrote the whole index (hundreds of megabytes at a million works) every few
    dozen works posted. So segments are merged in tiers, as log-structured stores do: a
    segment's tier is its size in powers of MERGE_FACTOR, and when the newest MERGE_FACTOR
    segments are all in the tier of the newest or below, they are merged into one of the next
    tier. Each work is then rewritten about log(works)/log(MERGE_FACTOR) times in all, and an
    index holds at most MERGE_FACTOR - 1 segments a tier. MAX_SEGMENTS bounds the count anyway
    (a full merge, rare: after thousands of additions)."""
    if len(sizes) > MAX_SEGMENTS:
        return 0
    tiers = [_tier(size) for size in sizes]
    start = len(sizes) - 1
    while start > 0 and tiers[start - 1] <= tiers[-1]:
        start -= 1
    if len(sizes) - start >= MERGE_FACTOR:
        return start
    return None
