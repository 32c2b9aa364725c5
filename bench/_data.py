"""Synthetic archives for the benchmarks, generated and loaded in bulk.

`generate(spec)` yields the rows of every table (users, pseuds, tags with wrangling, works,
creatorships, chapters, taggings, filter taggings) from a seeded random generator, so the same
spec always gives the same archive. `load(connection, spec)` writes them with the fastest path
each database has: PostgreSQL's COPY (foreign-key triggers off and secondary indexes dropped
while loading, rebuilt afterwards) and, on SQLite, executemany in one transaction with the
journal and syncing off and the indexes built after the load. Never the ORM row by row: a
million works would take hours.

The shape follows what an archive looks like: tag popularity follows a Zipf law, works carry
5-15 tags (rating, warnings, categories, fandoms, relationships, characters, additional tags),
characters and relationships belong to fandoms, some tags are synonyms of canonical tags and
some canonical tags have meta tags; works have 1-30 chapters and a log-normal length (median
3,000 words, capped at 100,000). Only `spec.text_works` works get chapter text (generated
sentences from a word list); the others' chapters are stubs with their word counts, enough for
listings and work pages.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from ._words import COMMON, FREEFORMS, MEDIA, invented

TITLE_WORDS = COMMON[100:]

START = datetime(2009, 1, 1, tzinfo=UTC)
END = datetime(2026, 11, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    works: int
    text_works: int
    seed: int = 4

    @property
    def users(self) -> int:
        return max(20, self.works // 8)

    @property
    def fandoms(self) -> int:
        return max(10, self.works // 60)

    @property
    def characters(self) -> int:
        return max(20, self.works // 15)

    @property
    def relationships(self) -> int:
        return max(20, self.works // 12)

    @property
    def freeforms(self) -> int:
        return max(len(FREEFORMS), self.works // 6)


def step(label: str) -> Callable[[], float]:
    """Print a step as it starts; the returned function prints and returns its duration."""
    print(f"   {label} ...", flush=True)
    started = time.perf_counter()

    def done() -> float:
        took = time.perf_counter() - started
        print(f"   {label}: {took:.1f} s", flush=True)
        return took

    return done


def zipf_weights(n: int, s: float = 1.0) -> list[float]:
    """Cumulative weights of ranks 1..n under a Zipf law with exponent s."""
    return list(itertools.accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class Zipf:
    """Draws indexes 0..n-1, index 0 the most popular. Draws are made in bulk (random.choices
    runs its loop in one comprehension), which matters at a million works."""

    def __init__(self, rng: random.Random, n: int, s: float = 1.0, bulk: int = 4096) -> None:
        self.rng = rng
        self.cum = zipf_weights(n, s)
        self.n = n
        self.bulk = min(bulk, max(16, n * 4))
        self.pool: list[int] = []

    def __call__(self) -> int:
        if not self.pool:
            self.pool = self.rng.choices(range(self.n), cum_weights=self.cum, k=self.bulk)
        return self.pool.pop()

    def many(self, k: int) -> list[int]:
        return self.rng.choices(range(self.n), cum_weights=self.cum, k=k)


# --- Tags ---------------------------------------------------------------------------------


@dataclass
class TagSet:
    rows: list[tuple]  # (id, name, type, canonical, unwrangleable, merger_id)
    by_type: dict[str, list[int]]  # ids in popularity order
    merger: dict[int, int]
    metas: dict[int, list[int]]  # sub id -> meta ids
    parents: list[tuple[int, int]]  # (fandom id, child id)
    children_of: dict[str, dict[int, list[int]]]  # type -> fandom id -> child ids by popularity


def make_tags(rng: random.Random, spec: Spec, first_id: int) -> TagSet:
    ids = itertools.count(first_id)
    rows: list[tuple] = []
    by_type: dict[str, list[int]] = {}
    names: dict[int, str] = {}
    merger: dict[int, int] = {}
    metas: dict[int, list[int]] = {}
    parents: list[tuple[int, int]] = []

    def name_for(kind: str, number: int) -> str:
        if kind == "fandom":
            return f"{invented(number)} {rng.choice(['Chronicles', 'Saga', 'Academy', 'Tales', 'Quest', 'Legends'])} ({MEDIA[number % len(MEDIA)]})"  # noqa: E501
        if kind == "character":
            return f"{invented(number)} {invented(number * 7 + 3, 3)}"
        if kind == "relationship":
            other = rng.randrange(spec.characters)
            return f"{invented(number)} {invented(number * 7 + 3, 3)}/{invented(other)}"
        if number < len(FREEFORMS):
            return FREEFORMS[number]
        return f"{rng.choice(COMMON[150:]).capitalize()} {invented(number)}"

    sizes = {
        "fandom": spec.fandoms,
        "character": spec.characters,
        "relationship": spec.relationships,
        "freeform": spec.freeforms,
    }
    for kind, size in sizes.items():
        kind_ids = []
        for number in range(size):
            tag_id = next(ids)
            kind_ids.append(tag_id)
            names[tag_id] = name_for(kind, number)
        by_type[kind] = kind_ids
        # The top 60% (by popularity) are canonical; 8% of the others (and of the canonical
        # ones below the top ten) are synonyms of a more popular canonical tag; the rest are
        # unwrangled. A few canonical tags have a meta tag, always a more popular one, so the
        # meta graph has no cycles and can be several levels deep.
        canonical_cut = max(1, int(size * 0.6))
        rank_of = Zipf(rng, canonical_cut, 1.1)
        for rank, tag_id in enumerate(kind_ids):
            if rank > 10 and rng.random() < 0.08:
                target = kind_ids[rank_of()]
                if target != tag_id and target not in merger:
                    merger[tag_id] = target
                    names[tag_id] = f"{names[target]} - {invented(rank, 1)}{rank}"
            if tag_id in merger or rank >= canonical_cut:
                continue
            if kind != "fandom" and rank > 5 and rng.random() < 0.02:
                meta = kind_ids[rng.randrange(0, rank)]
                if meta not in merger:
                    metas.setdefault(tag_id, []).append(meta)
    lowered = {name.lower() for name in names.values()}
    assert len(lowered) == len(names), "generated tag names must be unique, ignoring case"
    canonical = {t for ids_ in by_type.values() for t in ids_[: max(1, int(len(ids_) * 0.6))]}
    # Fix up: a synonym is never canonical; a meta tag is canonical (it is, by rank).
    for kind, kind_ids in by_type.items():
        for tag_id in kind_ids:
            is_canonical = tag_id in canonical and tag_id not in merger
            rows.append((tag_id, names[tag_id], kind, is_canonical, False, merger.get(tag_id)))

    # Characters, relationships and some additional tags belong to fandoms (Zipf-chosen, so
    # popular fandoms have many); works pick them from their fandom's list.
    fandom_pick = Zipf(rng, spec.fandoms)
    children_of: dict[str, dict[int, list[int]]] = {}
    for kind in ("character", "relationship", "freeform"):
        table: dict[int, list[int]] = {}
        for rank, tag_id in enumerate(by_type[kind]):
            if kind == "freeform" and (rank < 50 or rng.random() < 0.7):
                continue  # genre tags belong to no fandom
            fandoms = {by_type["fandom"][fandom_pick()]}
            if rng.random() < 0.05:
                fandoms.add(by_type["fandom"][fandom_pick()])
            for fandom_id in fandoms:
                parents.append((fandom_id, tag_id))
                table.setdefault(fandom_id, []).append(tag_id)
        children_of[kind] = table
    return TagSet(rows, by_type, merger, metas, parents, children_of)


def filter_set(tags: TagSet, tag_id: int, memo: dict[int, dict[int, bool]]) -> dict[int, bool]:
    """The tags a work tagged with tag_id is found by ({filter id: inherited}), as
    fanfold.tags.filters computes them: the tag, its canonical tag, every meta tag above."""
    if tag_id in memo:
        return memo[tag_id]
    direct = {tag_id}
    if tag_id in tags.merger:
        direct.add(tags.merger[tag_id])
    seen: set[int] = set()
    stack = list(direct)
    while stack:
        for meta in tags.metas.get(stack.pop(), ()):
            if meta not in seen:
                seen.add(meta)
                stack.append(meta)
    result = dict.fromkeys(seen - direct, True)
    result.update(dict.fromkeys(direct, False))
    memo[tag_id] = result
    return result


# --- Text ---------------------------------------------------------------------------------


class TextMaker:
    """Chapter text: paragraphs of sentences drawn from a pool of generated sentences (words
    Zipf-distributed over the vocabulary, plus invented names), with exact word counts."""

    def __init__(self, rng: random.Random, pool: int = 20_000) -> None:
        vocabulary = COMMON + [invented(n).lower() for n in range(3000)]
        pick = Zipf(rng, len(vocabulary), 1.05)
        self.rng = rng
        self.sentences: list[str] = []
        self.lengths: list[int] = []
        for _ in range(pool):
            length = rng.randint(5, 22)
            words = [vocabulary[i] for i in pick.many(length)]
            if rng.random() < 0.3:
                words[rng.randrange(length)] = invented(rng.randrange(400))
            sentence = " ".join(words)
            self.sentences.append(sentence[0].upper() + sentence[1:] + ".")
            self.lengths.append(length)
        self.average = sum(self.lengths) / pool
        self.indexes = range(pool)

    def chapter(self, words: int) -> tuple[str, int]:
        # Draw enough sentences in one go, keep the ones that reach the word count, and cut
        # them into paragraphs of five.
        chosen = self.rng.choices(self.indexes, k=int(words / self.average * 1.3) + 5)
        lengths = list(itertools.accumulate(self.lengths[i] for i in chosen))
        while lengths[-1] < words:
            more = self.rng.choices(self.indexes, k=len(chosen))
            chosen += more
            lengths = list(itertools.accumulate(self.lengths[i] for i in chosen))
        keep = bisect.bisect_left(lengths, words) + 1
        sentences = [self.sentences[i] for i in chosen[:keep]]
        paragraphs = ["<p>" + " ".join(sentences[at : at + 5]) + "</p>" for at in range(0, keep, 5)]
        return "\n".join(paragraphs), lengths[keep - 1]

    def title(self) -> str:
        return " ".join(self.rng.choices(TITLE_WORDS, k=1 + int(self.rng.random() * 4))).title()

    def summary(self) -> str:
        return "<p>" + " ".join(self.rng.choices(self.sentences, k=2)) + "</p>"


# --- Rows ---------------------------------------------------------------------------------

USER_COLUMNS = (
    "id", "password", "last_login", "is_superuser", "username", "first_name", "last_name",
    "email", "is_staff", "is_active", "date_joined", "is_moderator", "is_tag_wrangler",
    "terms_accepted_at",
)  # fmt: skip
PSEUD_COLUMNS = ("id", "user_id", "name", "description", "is_default", "created_at")
TAG_COLUMNS = ("id", "name", "type", "canonical", "unwrangleable", "merger_id", "created_at")
WORK_COLUMNS = (
    "id", "title", "summary", "notes", "end_notes", "language", "expected_chapters",
    "is_complete", "is_restricted", "comment_permission", "is_posted", "is_hidden",
    "hidden_reason", "hidden_at", "published_on", "revised_at", "created_at", "updated_at",
    "word_count", "chapter_count", "hit_count", "kudos_count", "comment_count", "bookmark_count",
)  # fmt: skip
CHAPTER_COLUMNS = (
    "id", "work_id", "position", "title", "summary", "notes", "end_notes", "content",
    "is_posted", "published_on", "word_count", "created_at", "updated_at",
)  # fmt: skip
CREATORSHIP_COLUMNS = ("id", "work_id", "pseud_id", "position", "approved", "invited_by_id")
TAGGING_COLUMNS = ("id", "work_id", "tag_id", "position")
FILTER_COLUMNS = ("id", "work_id", "filter_id", "inherited", "revised_at", "listed")

# Works generated (and loaded) per batch.
BATCH = 20_000
WORK_TABLES = (
    "works_work", "works_creatorship", "works_chapter", "works_tagging", "tags_filtertagging",
)  # fmt: skip

TABLES = {
    "accounts_user": USER_COLUMNS,
    "accounts_pseud": PSEUD_COLUMNS,
    "tags_tag": TAG_COLUMNS,
    "tags_metatagging": ("id", "meta_id", "sub_id"),
    "tags_parenttagging": ("id", "parent_id", "child_id"),
    "works_work": WORK_COLUMNS,
    "works_creatorship": CREATORSHIP_COLUMNS,
    "works_chapter": CHAPTER_COLUMNS,
    "works_tagging": TAGGING_COLUMNS,
    "tags_filtertagging": FILTER_COLUMNS,
}


def lognormal_words(rng: random.Random) -> int:
    # Median 3,000 words (mu = ln 3000), a wide spread, capped at 100,000 as the issue says.
    return max(100, min(100_000, int(rng.lognormvariate(math.log(3000), 1.2))))


def chapter_total(rng: random.Random) -> int:
    # Most works are one-shots; the rest spread out to 30 chapters.
    if rng.random() < 0.55:
        return 1
    return min(30, 2 + int(rng.expovariate(1 / 5)))


@dataclass
class Archive:
    """What the benchmark needs to know about the archive it built (for its queries)."""

    tags: TagSet
    fixed: dict[str, int]  # fixed tag name -> id
    text_work_ids: list[int]  # those with text that guests may read
    works_of_tag: dict[int, int]  # filter id -> number of posted works (for picking)
    usernames: list[str]


def generate(
    spec: Spec, fixed: dict[str, tuple[int, str]], first_tag_id: int
) -> tuple[Archive, Iterator[dict[str, list[tuple]]]]:
    """Plan the archive; returns it and the rows to load in batches ({table: rows}, tables in
    TABLES order): users, pseuds and tags first, then BATCH works at a time with their
    creatorships, chapters, taggings and filter taggings, so memory stays bounded. The
    Archive's lists fill in as the batches are consumed."""
    rng = random.Random(spec.seed)
    tags = make_tags(rng, spec, first_tag_id)
    fixed_by_type: dict[str, list[int]] = {}
    for tag_id, type_ in fixed.values():
        fixed_by_type.setdefault(type_, []).append(tag_id)
    archive = Archive(
        tags=tags,
        fixed={name: tag_id for name, (tag_id, _) in fixed.items()},
        text_work_ids=[],
        works_of_tag={},
        usernames=[],
    )
    span = (END - START).total_seconds()

    def when(rng_: random.Random) -> datetime:
        # More works recently: the square root skews towards the end of the span.
        return START + timedelta(seconds=span * math.sqrt(rng_.random()))

    def users() -> Iterator[tuple]:
        for user_id in range(1, spec.users + 1):
            name = f"{invented(user_id)}{user_id}"
            archive.usernames.append(name)
            joined = when(rng)
            yield (
                user_id, "!", None, False, name, "", "", "", False, True, joined, False,
                False, joined,
            )  # fmt: skip

    second_pseud: dict[int, int] = {}

    def pseuds() -> Iterator[tuple]:
        pseud_id = itertools.count(1)
        for user_id in range(1, spec.users + 1):
            yield (next(pseud_id), user_id, archive.usernames[user_id - 1], "", True, START)
            if rng.random() < 0.1:
                second_pseud[user_id] = next(pseud_id)
                yield (
                    second_pseud[user_id],
                    user_id,
                    f"{invented(user_id * 3)}_pen",
                    "",
                    False,
                    START,
                )

    def tag_rows() -> Iterator[tuple]:
        for row in tags.rows:
            yield (*row, START)

    def meta_rows() -> Iterator[tuple]:
        number = itertools.count(1)
        for sub, metas in tags.metas.items():
            for meta in metas:
                yield (next(number), meta, sub)

    def parent_rows() -> Iterator[tuple]:
        for number, (parent, child) in enumerate(tags.parents, 1):
            yield (number, parent, child)

    def work_batches() -> Iterator[dict[str, list[tuple]]]:
        text = TextMaker(random.Random(spec.seed + 1))
        author = Zipf(rng, spec.users, 0.8)
        fandom = Zipf(rng, spec.fandoms)
        pickers = {
            kind: Zipf(rng, len(tags.by_type[kind]))
            for kind in ("character", "relationship", "freeform")
        }
        sub_pickers: dict[tuple[str, int], Zipf] = {}
        memo: dict[int, dict[int, bool]] = {}
        # Text goes to every n-th work so the works with text spread over all dates and tags.
        text_every = max(1, spec.works // max(1, spec.text_works))
        ids = {name: itertools.count(1) for name in ("creatorship", "chapter", "tagging", "filter")}
        ratings, warnings, categories = (
            fixed_by_type["rating"],
            fixed_by_type["warning"],
            fixed_by_type["category"],
        )
        # Default pseud ids: pseud ids are dense in user order; rebuild that map cheaply.
        pseud_of_user: dict[int, int] = {}
        next_pseud = 1
        for user_id in range(1, spec.users + 1):
            pseud_of_user[user_id] = next_pseud
            next_pseud += 2 if user_id in second_pseud else 1

        rand = rng.random
        text_done = 0
        batch: dict[str, list[tuple]] = {name: [] for name in WORK_TABLES}
        works_rows, creatorships, chapters, taggings, filters = batch.values()
        for work_id in range(1, spec.works + 1):
            published = when(rng)
            chapter_count = chapter_total(rng)
            expected: int | None = chapter_count
            complete = True
            if chapter_count > 1 and rng.random() < 0.35:
                complete = False
                expected = None if rng.random() < 0.5 else chapter_count + 1 + int(rand() * 10)
            revised = (
                published
                if chapter_count == 1
                else min(END, published + timedelta(days=rng.expovariate(1 / 60) * chapter_count))
            )
            is_posted = rng.random() > 0.02
            is_hidden = is_posted and rng.random() < 0.002
            is_restricted = rng.random() < 0.05
            with_text = work_id % text_every == 0 and text_done < spec.text_works
            if with_text:
                text_done += 1
                if is_posted and not is_hidden and not is_restricted:
                    archive.text_work_ids.append(work_id)

            total = lognormal_words(rng)
            words_done = 0
            for position in range(1, chapter_count + 1):
                share = total // chapter_count
                if with_text:
                    content, words = text.chapter(max(20, share))
                else:
                    content, words = "", share
                words_done += words
                day = (published + (revised - published) * (position - 1) / chapter_count).date()
                chapters.append((
                    next(ids["chapter"]), work_id, position, "", "", "", "", content,
                    is_posted, day if is_posted else None, words, published, revised,
                ))  # fmt: skip

            user_id = author() + 1
            pseud_id = pseud_of_user[user_id]
            if user_id in second_pseud and rng.random() < 0.3:
                pseud_id = second_pseud[user_id]
            creatorships.append((next(ids["creatorship"]), work_id, pseud_id, 0, True, None))
            if rng.random() < 0.03:
                other = pseud_of_user[author() + 1]
                if other != pseud_id:
                    creatorships.append((next(ids["creatorship"]), work_id, other, 1, True, None))

            # Tags: rating, warnings, categories, then fandoms and the rest (5-15 in all).
            # (rng.random() arithmetic rather than choice/sample: this loop runs a million times)
            chosen: list[int] = [ratings[int(rand() * len(ratings))]]
            for group, second in ((warnings, 0.15), (categories, 0.2)):
                first = int(rand() * len(group))
                chosen.append(group[first])
                if rand() < second:
                    chosen.append(group[(first + 1 + int(rand() * (len(group) - 1))) % len(group)])
            fandom_count = 1 + (rng.random() < 0.12) + (rng.random() < 0.03)
            fandoms = list({tags.by_type["fandom"][fandom()] for _ in range(fandom_count)})
            chosen += fandoms
            target = 5 + int(rand() * 11)
            while len(chosen) < target:
                x = rand()
                kind = "relationship" if x < 0.25 else "character" if x < 0.6 else "freeform"
                home = fandoms[0]
                family = tags.children_of[kind].get(home)
                if kind != "freeform" and family and rng.random() < 0.9:
                    key = (kind, home)
                    if key not in sub_pickers:
                        sub_pickers[key] = Zipf(rng, len(family))
                    tag_id = family[sub_pickers[key]()]
                else:
                    tag_id = tags.by_type[kind][pickers[kind]()]
                if tag_id not in chosen:
                    chosen.append(tag_id)
                elif rng.random() < 0.3:
                    break  # a small fandom ran out of new tags: fewer tags, as happens
            found: dict[int, bool] = {}
            for position, tag_id in enumerate(chosen):
                taggings.append((next(ids["tagging"]), work_id, tag_id, position))
                for filter_id, inherited in filter_set(tags, tag_id, memo).items():
                    found[filter_id] = found.get(filter_id, True) and inherited
            # Who the work is listed for, as fanfold.tags.filters.listed_for says.
            listed = 0 if not is_posted or is_hidden else 2 if is_restricted else 1
            revised_at = revised if is_posted else None
            for filter_id, inherited in found.items():
                filters.append(
                    (next(ids["filter"]), work_id, filter_id, inherited, revised_at, listed)
                )
                if is_posted and not is_hidden and not is_restricted:
                    archive.works_of_tag[filter_id] = archive.works_of_tag.get(filter_id, 0) + 1

            hits = int(rng.lognormvariate(math.log(400), 1.3))
            kudos = int(hits * (0.02 + 0.1 * rand()))
            title = text.title()
            works_rows.append((
                work_id, title, text.summary(), "", "", "en" if rng.random() < 0.93 else "es",
                expected, complete, is_restricted, "everyone", is_posted, is_hidden,
                "Pending review" if is_hidden else "", revised if is_hidden else None,
                published.date() if is_posted else None, revised if is_posted else None,
                published, revised, words_done, chapter_count if is_posted else 0, hits, kudos,
                int(kudos * (0.05 + 0.45 * rand())), int(kudos * (0.05 + 0.25 * rand())),
            ))  # fmt: skip
            if work_id % BATCH == 0 or work_id == spec.works:
                yield batch
                batch = {name: [] for name in WORK_TABLES}
                works_rows, creatorships, chapters, taggings, filters = batch.values()

    def first_batch() -> dict[str, list[tuple]]:
        return {
            "accounts_user": list(users()),
            "accounts_pseud": list(pseuds()),
            "tags_tag": list(tag_rows()),
            "tags_metatagging": list(meta_rows()),
            "tags_parenttagging": list(parent_rows()),
        }

    def everything() -> Iterator[dict[str, list[tuple]]]:
        yield first_batch()
        yield from work_batches()

    return archive, everything()
