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
is shadowed by the newer segment or a tombstone, and `compact` rewrites everything into one
segment. Writers take an exclusive lock file, so web workers and task workers may share one
index directory.
"""

import fcntl
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .fingerprint import BANDS, PERMUTATIONS, Fingerprint, band_keys

COMMON_FINGERPRINT = 200  # a fingerprint shared by more works than this is boilerplate
_AUTO_COMPACT = 24  # segments before an add() compacts


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


class RepostIndex:
    """Open with RepostIndex(directory); the directory is created when missing."""

    def __init__(self, directory: Path | str):
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._load()

    # --- reading ------------------------------------------------------------------------------

    def _manifest(self) -> dict:
        path = self.directory / "manifest.json"
        if not path.exists():
            return {"segments": [], "tombstones": {}, "next": 1}
        return json.loads(path.read_text())

    def _load(self) -> None:
        manifest = self._manifest()
        self.segments = [_Segment(self.directory / name) for name in manifest["segments"]]
        self.tombstones: dict[int, int] = {int(k): v for k, v in manifest["tombstones"].items()}
        # For each id, the segment that holds its live version: the newest one. Vectorised:
        # an index of a million works opens in well under a second.
        self._live: list[np.ndarray] = []
        if not self.segments:
            return
        ids = np.concatenate([np.asarray(segment.ids) for segment in self.segments])
        numbers = np.concatenate(
            [np.full(len(segment), n, dtype=np.int64) for n, segment in enumerate(self.segments)]
        )
        # the last occurrence of each id (segments are in order, oldest first)
        _, last_reversed = np.unique(ids[::-1], return_index=True)
        newest = np.zeros(len(ids), dtype=bool)
        newest[len(ids) - 1 - last_reversed] = True
        if self.tombstones:
            dead_ids = np.fromiter(self.tombstones.keys(), dtype=np.int64)
            dead_until = np.fromiter(self.tombstones.values(), dtype=np.int64)
            order = np.argsort(dead_ids)
            dead_ids, dead_until = dead_ids[order], dead_until[order]
            position = np.clip(np.searchsorted(dead_ids, ids), 0, len(dead_ids) - 1)
            tombstoned = (dead_ids[position] == ids) & (numbers <= dead_until[position])
            newest &= ~tombstoned
        start = 0
        for segment in self.segments:
            self._live.append(newest[start : start + len(segment)])
            start += len(segment)

    def __len__(self) -> int:
        return int(sum(int(alive.sum()) for alive in self._live))

    def __contains__(self, work_id: int) -> bool:
        return any(
            bool(alive[np.asarray(segment.ids) == work_id].any())
            for segment, alive in zip(self.segments, self._live, strict=True)
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
        found: list[Candidate] = []
        keys = band_keys(fp.signature)[0]
        exact64 = np.uint64(_exact64(fp.exact))
        for segment, alive in zip(self.segments, self._live, strict=True):
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
        temporary = self.directory / "manifest.json.tmp"
        temporary.write_text(json.dumps(manifest))
        os.replace(temporary, self.directory / "manifest.json")

    def add(self, items: list[tuple[int, Fingerprint]]) -> None:
        """Index (or index again) works: one new segment for all of them."""
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
            compact = len(manifest["segments"]) > _AUTO_COMPACT
        if compact:
            self.compact()
        else:
            self._load()

    def remove(self, work_ids: list[int]) -> None:
        """Forget works (deleted ones): a tombstone hides every version indexed so far."""
        with self._locked():
            manifest = self._manifest()
            for work_id in work_ids:
                manifest["tombstones"][str(work_id)] = len(manifest["segments"]) - 1
            self._write_manifest(manifest)
        self._load()

    def compact(self) -> None:
        """Rewrite the live rows of every segment into one segment."""
        with self._locked():
            self._load()
            manifest = self._manifest()
            columns: dict[str, list] = {k: [] for k in ("ids", "lengths", "exact", "sigs", "fps")}
            for segment, alive in zip(self.segments, self._live, strict=True):
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
                ids=np.concatenate(columns["ids"]) if columns["ids"] else np.zeros(0),
                lengths=np.concatenate(columns["lengths"]) if columns["lengths"] else np.zeros(0),
                exact=np.concatenate(columns["exact"]) if columns["exact"] else np.zeros(0),
                signatures=(
                    np.concatenate(columns["sigs"])
                    if columns["sigs"]
                    else np.zeros((0, PERMUTATIONS))
                ),
                fingerprints=columns["fps"],
            )
            old = manifest["segments"]
            manifest.update(segments=[name], tombstones={}, next=manifest["next"] + 1)
            self._write_manifest(manifest)
            for segment_name in old:
                shutil.rmtree(self.directory / segment_name, ignore_errors=True)
        self._load()
