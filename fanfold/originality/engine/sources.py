"""Source finding: passages of a work that quote or closely paraphrase a text in the reference
library (books, scripts, other works an admin loads).

Both sides are tokenised loosely (names masked, pronouns, "be"/"have" and verb endings folded,
contractions expanded), so a quotation with its names, person or tense changed still lines up.
Every 3-token run of the work is looked up in the library's sorted gram array; hits on the same
source at a steady offset (inserted or dropped words move it a little) chain into a passage,
which difflib then aligns word by word.

Short, common phrases must not flood the report, so every token is weighted by its rarity in the
library (inverse document frequency over 50-token chunks, function words near zero), a passage
must weigh at least MIN_WEIGHT, and it needs a rare anchor: an aligned 3-token run with two
content words that occurs at most ANCHOR_MAX_COUNT times in the whole library.
"""

import math
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from .align import Segment
from .fingerprint import gram_hashes, token_hashes
from .text import NAME, Tokens, tokenize

GRAM = 3
CHUNK = 50
BACKGROUND = 100
COMMON_GRAM = 40  # a gram found this often in the library starts no passage on its own
ANCHOR_MAX_COUNT = 3
MIN_WORDS = 6
MIN_WEIGHT = 14.0
MAX_GAP = 6  # work tokens between two hits of one passage
MAX_DRIFT = 6  # change of offset between two hits (words inserted or dropped)

_STOP_WORDS = """a about after again all also an and any as at be because before but by can do
for from go have if in into it its just like more no not of on one only or other out over so
some such than that the then there these they this those to too up upon very what when which
while who will with would yet unto thereof thee thou ye oh well now here how let us get make say
come see take give know why where ask tell look back down off through never still even
again away around each every much many most own same than both few could might must shall
should think want way back first last long little good new old great right thing things time
yes something nothing anything everything someone nobody everyone always often once ever
behind under between against toward towards across along among beside without within"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


@dataclass
class Source:
    id: str
    title: str
    tokens: Tokens


@dataclass
class SourceMatch:
    source_id: str
    source_title: str
    work_start: int
    work_end: int
    source_start: int
    source_end: int
    matched_words: int
    score: float  # rarity-weighted share of the passage that lines up, 0..1
    weight: float  # rarity-weighted aligned words
    work_text: str
    source_text: str
    segments: list[Segment]

    def as_dict(self) -> dict:
        return {
            "source": self.source_id,
            "title": self.source_title,
            "score": round(self.score, 3),
            "weight": round(self.weight, 1),
            "matched_words": self.matched_words,
            "work_words": [self.work_start, self.work_end],
            "source_words": [self.source_start, self.source_end],
            "work_text": self.work_text,
            "source_text": self.source_text,
            "aligned": [{"kind": s.kind, "work": s.left, "source": s.right} for s in self.segments],
        }


class Library:
    """Reference texts, indexed for source finding. Build with Library.build([(id, title,
    text), ...]); the arrays it keeps are plain numpy, so a library of a few hundred books
    takes seconds to build and tens of megabytes to hold."""

    def __init__(self, sources: list[Source]):
        self.sources = sources
        grams, owners, positions = [], [], []
        chunk_df: Counter[str] = Counter()
        chunks = 0
        for number, source in enumerate(sources):
            words = source.tokens.words
            hashes = gram_hashes(token_hashes(words), GRAM)
            grams.append(hashes)
            owners.append(np.full(len(hashes), number, dtype=np.int32))
            positions.append(np.arange(len(hashes), dtype=np.int32))
            for start in range(0, max(1, len(words)), CHUNK):
                chunk_df.update(set(words[start : start + CHUNK]))
                chunks += 1
        all_grams = np.concatenate(grams) if grams else np.zeros(0, dtype=np.uint64)
        order = np.argsort(all_grams, kind="stable")
        self.grams = all_grams[order]
        self.owners = (np.concatenate(owners) if owners else np.zeros(0, np.int32))[order]
        self.positions = (np.concatenate(positions) if positions else np.zeros(0, np.int32))[order]
        self.chunks = max(1, chunks)
        # BACKGROUND chunks in which no word occurs smooth the rarity of a small library's
        # words: with one short source every word would otherwise be "common".
        total = 1 + self.chunks + BACKGROUND
        self.idf = {word: math.log(total / (1 + df)) + 1.0 for word, df in chunk_df.items()}
        self._unseen = math.log(total) + 1.0

    @classmethod
    def build(cls, texts: list[tuple[str, str, str]]) -> "Library":
        return cls([Source(i, title, tokenize(text, loose=True)) for i, title, text in texts])

    def weight(self, word: str) -> float:
        if word in STOP_WORDS or word == NAME:
            return 0.1
        return self.idf.get(word, self._unseen)

    def gram_count(self, gram_hash: int) -> int:
        lo = np.searchsorted(self.grams, np.uint64(gram_hash), side="left")
        hi = np.searchsorted(self.grams, np.uint64(gram_hash), side="right")
        return int(hi - lo)

    def find(self, text: str, *, min_score: float = 0.5) -> list[SourceMatch]:
        """Passages of `text` that quote or paraphrase a library source, best first."""
        return self.find_tokens(tokenize(text, loose=True), min_score=min_score)

    def find_tokens(self, work: Tokens, *, min_score: float = 0.5) -> list[SourceMatch]:
        if not len(self.grams) or len(work) < GRAM:
            return []
        work_grams = gram_hashes(token_hashes(work.words), GRAM)
        lo = np.searchsorted(self.grams, work_grams, side="left")
        hi = np.searchsorted(self.grams, work_grams, side="right")
        hits: list[tuple[int, int, int]] = []  # (source, work position, source position)
        for position in np.flatnonzero((hi > lo) & (hi - lo <= COMMON_GRAM)).tolist():
            for k in range(int(lo[position]), int(hi[position])):
                hits.append((int(self.owners[k]), position, int(self.positions[k])))
        hits.sort()
        matches = []
        for chain in self._chains(hits):
            match = self._passage(work, chain)
            if match is not None and match.score >= min_score:
                matches.append(match)
        return self._best_per_span(matches)

    def _chains(self, hits: list[tuple[int, int, int]]):
        """Group hits into runs on one source at a roughly steady offset."""
        open_chains: list[list[tuple[int, int, int]]] = []
        current_source = None
        for hit in hits:
            source, position, source_position = hit
            if source != current_source:
                yield from open_chains
                open_chains, current_source = [], source
            offset = source_position - position
            for chain in open_chains:
                _, last_position, last_source_position = chain[-1]
                if (
                    0 < position - last_position <= MAX_GAP + 1
                    and abs(offset - (last_source_position - last_position)) <= MAX_DRIFT
                ):
                    chain.append(hit)
                    break
            else:
                open_chains.append([hit])
            # chains that can no longer grow
            still_open = []
            for chain in open_chains:
                if position - chain[-1][1] > MAX_GAP + 1:
                    yield chain
                else:
                    still_open.append(chain)
            open_chains = still_open
        yield from open_chains

    def _passage(self, work: Tokens, chain: list[tuple[int, int, int]]) -> SourceMatch | None:
        source = self.sources[chain[0][0]]
        w1 = chain[0][1]
        w2 = chain[-1][1] + GRAM
        s1 = min(h[2] for h in chain)
        s2 = max(h[2] for h in chain) + GRAM
        if w2 - w1 < MIN_WORDS:
            return None
        a, b = work.words[w1:w2], source.tokens.words[s1:s2]
        matcher = SequenceMatcher(None, a, b, autojunk=False)
        blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
        matched = sum(blk.size for blk in blocks)
        if matched < MIN_WORDS:
            return None
        weight = sum(self.weight(a[blk.a + k]) for blk in blocks for k in range(blk.size))
        if weight < MIN_WEIGHT or not self._has_anchor(a, blocks):
            return None
        span = max(
            sum(self.weight(word) for word in a),
            sum(self.weight(word) for word in b),
        )
        segments = [
            Segment(
                tag,
                work.text(w1 + i1, w1 + i2),
                source.tokens.text(s1 + j1, s1 + j2),
            )
            for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        ]
        return SourceMatch(
            source_id=source.id,
            source_title=source.title,
            work_start=w1,
            work_end=w2,
            source_start=s1,
            source_end=s2,
            matched_words=matched,
            score=weight / span if span else 0.0,
            weight=weight,
            work_text=work.text(w1, w2),
            source_text=source.tokens.text(s1, s2),
            segments=segments,
        )

    def _has_anchor(self, words: list[str], blocks) -> bool:
        for blk in blocks:
            for k in range(blk.size - GRAM + 1):
                gram = words[blk.a + k : blk.a + k + GRAM]
                content = sum(1 for w in gram if w not in STOP_WORDS and w != NAME)
                if content < 2:
                    continue
                gram_hash = int(gram_hashes(token_hashes(gram), GRAM)[0])
                if self.gram_count(gram_hash) <= ANCHOR_MAX_COUNT:
                    return True
        return False

    @staticmethod
    def _best_per_span(matches: list[SourceMatch]) -> list[SourceMatch]:
        """Overlapping passages of the work: keep the heaviest."""
        kept: list[SourceMatch] = []
        for match in sorted(matches, key=lambda m: -m.weight):
            if all(
                match.work_end <= other.work_start or match.work_start >= other.work_end
                for other in kept
            ):
                kept.append(match)
        return sorted(kept, key=lambda m: m.work_start)
