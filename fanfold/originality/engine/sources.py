"""Source finding: passages of a work that quote or closely paraphrase a text in the reference
library (books, scripts, other works an admin loads).

Both sides are tokenised loosely (names masked, pronouns, "be"/"have" and verb endings folded,
contractions expanded), so a quotation with its names, person or tense changed still lines up.
Names are masked on both sides when seen once (a quoted passage names each character once) and
every name the library knows is masked in the work too. Every 3-token run of the work is looked
up in the library's sorted gram array (where a 3-token run is too common to start a passage, its
6-token run is looked up instead); hits on the same source at a steady offset (inserted or
dropped words move it a little) chain into a passage, which difflib then aligns word by word.

Short, common phrases must not flood the report, so every token is weighted by its rarity in the
library (inverse document frequency over 50-token chunks, function words near zero) and a
passage must hold a run of aligned words that is rare in the library *as a whole* (see
`Library._is_rare`): a run with two content words found at most ANCHOR_MAX_COUNT times in a
passage that weighs MIN_WEIGHT, or, in a lighter passage, a run of RARE_RUN_WORDS words that is
unique in the library. Counting whole runs (`Library.pattern_count`: the places of the run's
rarest gram, kept where every other gram follows at its distance) rather than requiring one rare
3-word gram finds quotations made of the library's own formulae.
"""

import math
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from .align import Segment
from .fingerprint import gram_hashes, token_hashes
from .text import NAME, Tokens, find_names, fold, loose_word, tokenize

GRAM = 3
LONG_GRAM = 6  # where a 3-token run is too common to start a passage, its 6-token run may not be
CHUNK = 50
BACKGROUND = 100
COMMON_GRAM = 40  # a gram found this often in the library starts no passage on its own
ANCHOR_MAX_COUNT = 3
MIN_WORDS = 6
MIN_WEIGHT = 14.0
MIN_RARE_WEIGHT = 7.0  # ... or this much, when RARE_RUN_WORDS aligned words occur together rarely
RARE_RUN_WORDS = 8
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
# as written and as loose tokens ("every" -> "everi"), since both sides are tokenised loosely
STOP_WORDS = frozenset(_STOP_WORDS.split()) | frozenset(map(loose_word, _STOP_WORDS.split()))


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
        self.names: frozenset[str] = frozenset().union(*(s.tokens.names for s in sources))
        sequences, long_sequences, owners = [], [], []
        chunk_df: Counter[str] = Counter()
        chunks = 0
        for number, source in enumerate(sources):
            words = source.tokens.words
            hashes = token_hashes(words)
            sequences.append(gram_hashes(hashes, GRAM))
            long_sequences.append(gram_hashes(hashes, LONG_GRAM))
            owners.append(np.full(len(sequences[-1]), number, dtype=np.int32))
            for start in range(0, max(1, len(words)), CHUNK):
                chunk_df.update(set(words[start : start + CHUNK]))
                chunks += 1
        # Every source's grams in text order, one after the other (`starts`: where each begins),
        # for counting how often a whole aligned run occurs in the library.
        self.starts = np.cumsum([0] + [len(g) for g in sequences]).astype(np.int64)
        self.sequence = np.concatenate(sequences) if sequences else np.zeros(0, np.uint64)
        self.owners = np.concatenate(owners) if owners else np.zeros(0, np.int32)
        # ... and sorted, for lookups: `order` maps a sorted gram back to its place.
        # int32 places: 4 bytes a library word (a library of 2 billion words is out of scope)
        self.order = np.argsort(self.sequence, kind="stable").astype(np.int32)
        self.grams = self.sequence[self.order]
        long_all = np.concatenate(long_sequences) if long_sequences else np.zeros(0, np.uint64)
        long_place = np.concatenate(
            [self.starts[n] + np.arange(len(g)) for n, g in enumerate(long_sequences)]
            or [np.zeros(0, np.int64)]
        )
        long_order = np.argsort(long_all, kind="stable")
        self.long_grams = long_all[long_order]
        self.long_places = long_place[long_order].astype(np.int32)
        self.chunks = max(1, chunks)
        # BACKGROUND chunks in which no word occurs smooth the rarity of a small library's
        # words: with one short source every word would otherwise be "common".
        total = 1 + self.chunks + BACKGROUND
        self.idf = {word: math.log(total / (1 + df)) + 1.0 for word, df in chunk_df.items()}
        self._unseen = math.log(total) + 1.0

    @classmethod
    def build(cls, texts: list[tuple[str, str, str]]) -> "Library":
        """A library from (id, title, text) triples. A name found in any source (seen once
        is enough) is masked in every source, so that a character named once in one book and
        often in another is the same placeholder in both."""
        folded = [(i, title, fold(text)) for i, title, text in texts]
        names: set[str] = set().union(*(find_names(text, min_count=1) for _, _, text in folded))
        return cls(
            [Source(i, title, tokenize(text, loose=True, names=names)) for i, title, text in folded]
        )

    def weight(self, word: str) -> float:
        if word in STOP_WORDS or word == NAME:
            return 0.1
        return self.idf.get(word, self._unseen)

    def gram_count(self, gram_hash: int) -> int:
        lo = np.searchsorted(self.grams, np.uint64(gram_hash), side="left")
        hi = np.searchsorted(self.grams, np.uint64(gram_hash), side="right")
        return int(hi - lo)

    def find(self, text: str, *, min_score: float = 0.5) -> list[SourceMatch]:
        """Passages of `text` that quote or paraphrase a library source, best first.
        Names are what the work names (seen once is enough: a quotation names each character
        once) and every name the library knows."""
        folded = fold(text)
        names = find_names(folded, min_count=1) | self.names
        return self.find_tokens(tokenize(folded, loose=True, names=names), min_score=min_score)

    def find_tokens(self, work: Tokens, *, min_score: float = 0.5) -> list[SourceMatch]:
        if not len(self.grams) or len(work) < GRAM:
            return []
        hashes = token_hashes(work.words)
        work_grams = gram_hashes(hashes, GRAM)
        lo = np.searchsorted(self.grams, work_grams, side="left")
        hi = np.searchsorted(self.grams, work_grams, side="right")
        seeds = [
            (p, self.order[lo[p] : hi[p]])
            for p in np.flatnonzero((hi > lo) & (hi - lo <= COMMON_GRAM)).tolist()
        ]
        # a 3-token run too common to start a passage ("and it came to") may still sit in a
        # 6-token run that is rare enough
        common = np.flatnonzero(hi - lo > COMMON_GRAM)
        long_grams = gram_hashes(hashes, LONG_GRAM)
        common = common[common < len(long_grams)]
        if len(common):
            lo6 = np.searchsorted(self.long_grams, long_grams[common], side="left")
            hi6 = np.searchsorted(self.long_grams, long_grams[common], side="right")
            for p, a, b in zip(common.tolist(), lo6.tolist(), hi6.tolist(), strict=True):
                if 0 < b - a <= COMMON_GRAM:
                    seeds.append((p, self.long_places[a:b]))
        hits: list[tuple[int, int, int]] = []  # (source, work position, source position)
        for position, places in seeds:
            for place in places.tolist():
                owner = int(self.owners[place])
                hits.append((owner, position, place - int(self.starts[owner])))
        hits.sort()
        matches = []
        for chain in self._chains(hits):
            match = self._passage(work, work_grams, chain)
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

    def _passage(
        self, work: Tokens, work_grams: np.ndarray, chain: list[tuple[int, int, int]]
    ) -> SourceMatch | None:
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
        if not self._is_rare(a, work_grams[w1:], blocks, weight):
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

    def _is_rare(self, words: list[str], grams: np.ndarray, blocks, weight: float) -> bool:
        """Whether the passage holds a run of aligned words that is rare in the library as a
        whole, so that it is a quotation rather than a common phrase. A run is judged whole, not
        gram by gram: a quotation made of the library's own formulae ("and the king was very
        old", "in the city of David his father") is rare once it is long enough, although each
        of its 3-word grams is common. A passage that weighs MIN_WEIGHT needs a run with two
        content words that occurs at most ANCHOR_MAX_COUNT times; a lighter one (at least
        MIN_RARE_WEIGHT) needs a run of RARE_RUN_WORDS words that is unique in the library even
        without its first and last words (a formula the library repeats, followed by a word
        that happens to come next in the source, is not unique then). Short common phrases are
        neither: they are too short, and common."""
        heavy = weight >= MIN_WEIGHT
        if not heavy and weight < MIN_RARE_WEIGHT:
            return False
        for blk in sorted(blocks, key=lambda blk: -blk.size):
            if blk.size < GRAM:
                break
            run = words[blk.a : blk.a + blk.size]
            if sum(1 for w in run if w not in STOP_WORDS and w != NAME) < 2:
                continue
            run_grams = grams[blk.a : blk.a + blk.size - GRAM + 1]
            if heavy and self.run_count(run_grams) <= ANCHOR_MAX_COUNT:
                return True
            if blk.size >= RARE_RUN_WORDS and self.run_count(run_grams[1:-1]) <= 1:
                return True
        return False

    def pattern_count(self, offsets: np.ndarray, grams: np.ndarray, *, limit: int = 5000) -> int:
        """How often grams occur together in one library source, each `offsets[i]` tokens
        after the first (a run of tokens: offsets 0, 1, 2 ...; runs with words changed between
        them: gaps): the places of the rarest gram, kept where every other gram is at its
        distance. When the rarest gram occurs more than `limit` times the pattern counts as
        common (`limit + 1`)."""
        if not len(grams):
            return limit + 1
        lo = np.searchsorted(self.grams, grams, side="left")
        hi = np.searchsorted(self.grams, grams, side="right")
        rarest = int(np.argmin(hi - lo))
        if hi[rarest] - lo[rarest] > limit:
            return limit + 1
        places = self.order[lo[rarest] : hi[rarest]].astype(np.int64)
        begin = places - offsets[rarest]
        owners = self.owners[places]
        inside = (begin >= self.starts[owners]) & (
            begin + int(offsets.max()) < self.starts[owners + 1]
        )
        begin = begin[inside]
        if not len(begin):
            return 0
        window = self.sequence[begin[:, None] + offsets[None, :]]
        return int((window == grams[None, :]).all(axis=1).sum())

    def run_count(self, grams: np.ndarray) -> int:
        """How often a run of tokens (its consecutive GRAM-token hashes) occurs in the library."""
        return self.pattern_count(np.arange(len(grams), dtype=np.int64), grams)

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
