"""Token alignment: which words of one text line up with which words of another.

difflib.SequenceMatcher alone is quadratic on long, repetitive texts ("the", "said" occur
hundreds of times), so alignment is done in two steps, as patience diff does: 4-word runs that
occur exactly once in each text are anchors, the longest chain of anchors in order on both
sides is kept (longest increasing subsequence, O(n log n)), and difflib only aligns the short
gaps between consecutive anchors.
"""

import bisect
from collections import Counter
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from .text import NAME, Tokens

ANCHOR = 4
_GAP_LIMIT = 400  # gaps longer than this on either side are left unaligned (they differ)


@dataclass
class Alignment:
    """Matching blocks (i in a, j in b, size) in order, and what they add up to."""

    blocks: list[tuple[int, int, int]]
    len_a: int
    len_b: int
    name_map: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def matched(self) -> int:
        return sum(size for _, _, size in self.blocks)

    @property
    def share_a(self) -> float:
        return self.matched / self.len_a if self.len_a else 0.0

    @property
    def share_b(self) -> float:
        return self.matched / self.len_b if self.len_b else 0.0

    def opcodes(self) -> list[tuple[str, int, int, int, int]]:
        """difflib-style opcodes (tag, a1, a2, b1, b2) covering both texts completely."""
        ops: list[tuple[str, int, int, int, int]] = []
        i = j = 0
        for bi, bj, size in [*self.blocks, (self.len_a, self.len_b, 0)]:
            if bi > i and bj > j:
                ops.append(("replace", i, bi, j, bj))
            elif bi > i:
                ops.append(("delete", i, bi, j, j))
            elif bj > j:
                ops.append(("insert", i, i, j, bj))
            if size:
                ops.append(("equal", bi, bi + size, bj, bj + size))
            i, j = bi + size, bj + size
        return ops


def _unique_grams(words: list[str], k: int) -> dict[tuple[str, ...], int]:
    counts: Counter[tuple[str, ...]] = Counter()
    first: dict[tuple[str, ...], int] = {}
    for i in range(len(words) - k + 1):
        gram = tuple(words[i : i + k])
        counts[gram] += 1
        first.setdefault(gram, i)
    return {gram: first[gram] for gram, count in counts.items() if count == 1}


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest subsequence of (i, j) pairs (sorted by i) whose j also increase."""
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, j) in enumerate(pairs):
        position = bisect.bisect_left(tails, j)
        if position == len(tails):
            tails.append(j)
            tail_index.append(index)
        else:
            tails[position] = j
            tail_index[position] = index
        previous[index] = tail_index[position - 1] if position else -1
    chain = []
    index = tail_index[-1] if tail_index else -1
    while index >= 0:
        chain.append(pairs[index])
        index = previous[index]
    return chain[::-1]


def _gap_blocks(a: list[str], b: list[str], a0: int, a1: int, b0: int, b1: int):
    if a1 <= a0 or b1 <= b0 or a1 - a0 > _GAP_LIMIT or b1 - b0 > _GAP_LIMIT:
        return []
    matcher = SequenceMatcher(None, a[a0:a1], b[b0:b1], autojunk=False)
    return [(a0 + i, b0 + j, n) for i, j, n in matcher.get_matching_blocks() if n]


def align_words(a: list[str], b: list[str]) -> list[tuple[int, int, int]]:
    """Matching blocks between two token lists (see the module docstring)."""
    if len(a) <= _GAP_LIMIT and len(b) <= _GAP_LIMIT:
        return _gap_blocks(a, b, 0, len(a), 0, len(b))
    grams_a = _unique_grams(a, ANCHOR)
    grams_b = _unique_grams(b, ANCHOR)
    pairs = sorted((i, grams_b[g]) for g, i in grams_a.items() if g in grams_b)
    chain = _longest_chain(pairs)
    # grow each anchor into a maximal run of equal words, then align what lies between runs
    runs: list[tuple[int, int, int]] = []
    for i, j in chain:
        if runs and i < runs[-1][0] + runs[-1][2]:
            continue  # inside the previous run already
        if runs and j < runs[-1][1] + runs[-1][2]:
            continue
        start_i, start_j = i, j
        floor_i = runs[-1][0] + runs[-1][2] if runs else 0
        floor_j = runs[-1][1] + runs[-1][2] if runs else 0
        while start_i > floor_i and start_j > floor_j and a[start_i - 1] == b[start_j - 1]:
            start_i -= 1
            start_j -= 1
        end_i, end_j = i + ANCHOR, j + ANCHOR
        while end_i < len(a) and end_j < len(b) and a[end_i] == b[end_j]:
            end_i += 1
            end_j += 1
        runs.append((start_i, start_j, end_i - start_i))
    blocks: list[tuple[int, int, int]] = []
    i = j = 0
    for ri, rj, size in [*runs, (len(a), len(b), 0)]:
        blocks.extend(_gap_blocks(a, b, i, ri, j, rj))
        if size:
            blocks.append((ri, rj, size))
        i, j = ri + size, rj + size
    return blocks


def align(a: Tokens, b: Tokens) -> Alignment:
    """Align two normalised texts and report the name mapping their aligned names imply."""
    blocks = align_words(a.words, b.words)
    pairs: Counter[tuple[str, str]] = Counter()
    for i, j, size in blocks:
        for offset in range(size):
            if a.words[i + offset] == NAME:
                pairs[(_bare(a.surface[i + offset]), _bare(b.surface[j + offset]))] += 1
    return Alignment(blocks=blocks, len_a=len(a), len_b=len(b), name_map=name_mapping(pairs))


def _bare(name: str) -> str:
    return name[:-2] if name.endswith("'s") else name


def name_mapping(pairs: Counter[tuple[str, str]]) -> list[tuple[str, str, int]]:
    """For each name of the first text, the name it most often lines up with and how often,
    most frequent first: the consistent find-and-replace behind a name-swapped copy."""
    best: dict[str, tuple[str, int]] = {}
    for (left, right), count in pairs.most_common():
        if left not in best:
            best[left] = (right, count)
    # A name left as it was is no part of a find-and-replace.
    return sorted(
        ((left, right, count) for left, (right, count) in best.items() if left != right),
        key=lambda item: (-item[2], item[0]),
    )


@dataclass(frozen=True)
class Segment:
    """One stretch of a side-by-side view: `kind` is equal, replace, delete or insert."""

    kind: str
    left: str
    right: str


def side_by_side(
    a: Tokens, b: Tokens, alignment: Alignment, *, context: int | None = None
) -> list[Segment]:
    """The two texts as aligned stretches, differences marked by their kind. With `context`,
    long equal stretches are shortened to that many words at each end."""
    segments = []
    for kind, a1, a2, b1, b2 in _split_names(a, b, alignment.opcodes()):
        left, right = a.text(a1, a2), b.text(b1, b2)
        if kind == "equal" and context is not None and a2 - a1 > 2 * context + 5:
            left = f"{a.text(a1, a1 + context)} … {a.text(a2 - context, a2)}"
            right = f"{b.text(b1, b1 + context)} … {b.text(b2 - context, b2)}"
        segments.append(Segment(kind, left, right))
    return segments


def _split_names(a: Tokens, b: Tokens, opcodes):
    """Equal stretches split where a masked name differs, so a swapped name shows as a
    change although it did not change the fingerprints."""
    for kind, a1, a2, b1, b2 in opcodes:
        if kind != "equal":
            yield kind, a1, a2, b1, b2
            continue
        start = a1
        for offset in range(a2 - a1):
            i, j = a1 + offset, b1 + offset
            if a.words[i] == NAME and _bare(a.surface[i]) != _bare(b.surface[j]):
                if i > start:
                    yield "equal", start, i, b1 + (start - a1), j
                yield "replace", i, i + 1, j, j + 1
                start = i + 1
        if start < a2:
            yield "equal", start, a2, b1 + (start - a1), b2
