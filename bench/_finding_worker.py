"""One backend's run of the finding benchmark, in its own process (Django's settings are
per process; bench/finding.py starts one per database with DATABASE_URL set):

    python -m bench._finding_worker --works N --text-works M --samples S --out result.json

Migrates an empty database, bulk-loads a synthetic archive (bench/_data.py), builds the
full-text index, analyses the tables, then times pages through Django's test client (the whole
request: middleware, views, queries, templates; no network) and writes the timings as JSON."""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import time
from urllib.parse import urlencode

import django


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, required=True)
    parser.add_argument("--text-works", type=int, required=True)
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--out", required=True)
    # Seconds of sampling per page at most (at least 3 samples each): a page that takes
    # seconds must not keep a run from finishing.
    parser.add_argument("--budget", type=float, default=120)
    # Measure an archive a previous run built (DATABASE_URL), building nothing.
    parser.add_argument("--measure-only", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    django.setup()

    from django.core.management import call_command
    from django.db import connection

    from bench._data import Spec, generate, step
    from bench._load import loader

    result: dict = {"backend": connection.vendor, "steps": {}, "timings": {}, "notes": []}
    steps = result["steps"]

    if args.measure_only:
        # The code may have gained migrations since the archive was built (none touch the
        # bulk tables' data; new tables and columns are empty): bring the schema up to date.
        call_command("migrate", verbosity=0)
        archive, rows = _archive_from_database()
        result["rows"] = rows
        result["database_bytes"] = _database_size()
        result["timings"], result["queries"], result["slowest"] = _measure(
            archive, None, args.samples, args.budget
        )
        with open(args.out, "w") as out:
            json.dump(result, out)
        return 0

    done = step("migrate")
    call_command("migrate", verbosity=0)
    steps["migrate"] = done()

    from fanfold.tags.models import Tag

    fixed = {t.name: (t.pk, t.type) for t in Tag.objects.all()}
    first_tag_id = max(pk for pk, _ in fixed.values()) + 1
    spec = Spec(works=args.works, text_works=args.text_works)
    archive, batches = generate(spec, fixed, first_tag_id)
    load = loader()
    done = step(f"generate and load {spec.works:,} works ({spec.text_works:,} with text)")
    load.load(batches)
    steps["generate and load rows"] = done()
    for table, count in load.rows.items():
        print(f"      {table}: {count:,} rows", flush=True)
    result["rows"] = load.rows
    for name, took in load.finish().items():
        steps[f"build {name}"] = took

    done = step("count each tag's works")
    from fanfold.tags.counts import tag_counts_refresh_all

    tag_counts_refresh_all()
    steps["count tags' works"] = done()

    done = step("build the full-text index")
    if _search_rebuild():
        steps["build full-text index"] = done()
    else:
        result["notes"].append("no full-text search on this branch yet: search not measured")
        print("   (no full-text search on this branch: skipped)", flush=True)

    done = step("analyse")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
        else:
            cursor.execute("ANALYZE")
            cursor.execute("PRAGMA optimize")
    steps["analyse"] = done()
    result["database_bytes"] = _database_size()

    result["timings"], result["queries"], result["slowest"] = _measure(
        archive, spec, args.samples, args.budget
    )
    with open(args.out, "w") as out:
        json.dump(result, out)
    return 0


def _archive_from_database():
    """What _measure needs to know about an archive already in the database: tag
    popularity from the filter sets, the fixed tags, and the works with text guests may read."""
    from django.db import connection
    from django.db.models import Count

    from bench._data import TABLES, Archive, TagSet, step
    from fanfold.tags.models import FilterTagging, ParentTagging, Tag
    from fanfold.works.models import Chapter

    done = step("read the archive's shape from the database")
    works_of_tag = dict(
        FilterTagging.objects.filter(
            work__is_posted=True, work__is_hidden=False, work__is_restricted=False
        )
        .values_list("filter_id")
        .annotate(n=Count("id"))
        .values_list("filter_id", "n")
    )
    by_type: dict[str, list[int]] = {}
    fixed = {}
    for pk, name, type_ in Tag.objects.values_list("pk", "name", "type").order_by("pk"):
        by_type.setdefault(type_, []).append(pk)
        if type_ in ("rating", "warning", "category"):
            fixed[name] = pk
    children: dict[int, list[int]] = {}
    character_ids = set(by_type.get("character", []))
    for parent, child in ParentTagging.objects.values_list("parent_id", "child_id"):
        if child in character_ids:
            children.setdefault(parent, []).append(child)
    text_works = list(
        Chapter.objects.filter(
            work__is_posted=True, work__is_hidden=False, work__is_restricted=False
        )
        .exclude(content="")
        .values_list("work_id", flat=True)
        .distinct()[:2000]
    )
    rows = {}
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")
            rows[table] = cursor.fetchone()[0]
    done()
    tags = TagSet([], by_type, {}, {}, [], {"character": children})
    return Archive(tags, fixed, text_works, works_of_tag, []), rows


def _search_rebuild() -> bool:
    """Build the full-text index with the search app's bulk rebuild, if the branch has one."""
    try:
        from fanfold.search.index import search_rebuild
    except ImportError:
        return False
    search_rebuild(progress=lambda line: print(f"      {line}", flush=True))
    return True


def _database_size() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
        return int(cursor.fetchone()[0])


def _popular(archive, kind: str, rank: int = 0) -> int:
    ids = set(archive.tags.by_type[kind])
    ranked = sorted(
        (count, tag_id) for tag_id, count in archive.works_of_tag.items() if tag_id in ids
    )
    return ranked[-1 - rank][1]


def _measure(archive, spec, samples: int, budget: float) -> tuple[dict, dict, dict]:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from fanfold.tags.models import Tag, tag_name_to_url

    from ._timing import summarize

    rng = random.Random(7)
    names = dict(Tag.objects.values_list("pk", "name"))

    def tag_url(tag_id: int) -> str:
        return reverse("tag_works", args=[tag_name_to_url(names[tag_id])])

    top_fandom = _popular(archive, "fandom")
    scenarios: dict[str, list[str]] = {
        # The most popular fandom, additional tag and character: the largest tag pages.
        "tag works page": [
            tag_url(top_fandom),
            tag_url(_popular(archive, "freeform")),
            tag_url(_popular(archive, "character")),
        ],
    }
    # The same pages with every cache emptied before each request (blurbs, sidebar counts):
    # what the first reader of a listing waits for.
    scenarios["tag works page, caches empty"] = list(scenarios["tag works page"])
    filter_urls = _filter_urls(archive, names, top_fandom)
    if filter_urls:
        scenarios["filter"] = filter_urls
        scenarios["filter, caches empty"] = list(filter_urls)
    search_urls = _search_urls()
    if search_urls:
        scenarios["full-text search"] = search_urls
        # Every cache emptied before each search: the count is made afresh (a first reader).
        scenarios["full-text search, caches empty"] = list(search_urls)
    text_works = list(archive.text_work_ids)
    rng.shuffle(text_works)
    scenarios["work page"] = [reverse("work_detail", args=[pk]) for pk in text_works[:samples]]

    # This process holds the archive's shape (millions of ids) that a server process would not:
    # keep the garbage collector from walking it during requests, as a server that preloads
    # its code would freeze what it loaded.
    gc.collect()
    gc.freeze()
    client = Client()
    slowest: dict[str, list[dict]] = {}
    timings: dict[str, dict] = {}
    queries: dict[str, int] = {}
    for name, urls in scenarios.items():
        print(f"   measure {name}: {len(urls)} URL(s), {samples} samples", flush=True)
        # Warm-up: caches, the first connection, compiled templates. Every listing URL is
        # opened once, so that its samples are the steady state (the "caches empty" scenario
        # times first readers); work pages are each sampled once, as first visits (the hit
        # they record is a write), so only one is opened.
        for url in urls[:1] if name == "work page" else urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        with CaptureQueriesContext(connection) as captured:
            client.get(urls[0])
        queries[name] = len(captured)
        slowest[name] = _slowest(captured.captured_queries)
        reset_queries()
        values, cpu = [], []
        load_before = os.getloadavg()[0]
        sampling_started = time.perf_counter()
        for number in range(samples):
            if number >= 3 and time.perf_counter() - sampling_started > budget:
                print(f"   {name}: time budget used up after {number} samples", flush=True)
                break
            url = urls[number % len(urls)]
            if "caches empty" in name:
                cache.clear()
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            values.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        timings[name] = {
            **summarize(values),
            "cpu_p50": summarize(cpu)["p50"],
            "load": max(load_before, os.getloadavg()[0]),
            "urls": urls[:5],
        }
        print(
            f"   {name}: p50 {timings[name]['p50']:.1f} ms, p95 {timings[name]['p95']:.1f} ms "
            f"(this process's CPU p50 {timings[name]['cpu_p50']:.1f} ms; "
            f"load average {timings[name]['load']:.1f})",
            flush=True,
        )
    return timings, queries, slowest


def _slowest(captured: list[dict]) -> list[dict]:
    """The request's slowest queries with their plans, for finding what to fix."""
    from django.db import connection

    top = sorted(captured, key=lambda q: float(q["time"]), reverse=True)[:2]
    found = []
    for query in top:
        explain = (
            "EXPLAIN (ANALYZE, BUFFERS)"
            if connection.vendor == "postgresql"
            else ("EXPLAIN QUERY PLAN")
        )
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"{explain} {query['sql']}")
                plan = "\n".join(" | ".join(str(c) for c in row) for row in cursor.fetchall())
        except Exception as error:
            plan = f"(no plan: {error})"
        found.append({"ms": float(query["time"]) * 1000, "sql": query["sql"], "plan": plan})
        print(f"      slow query {found[-1]['ms']:.1f} ms: {query['sql'][:300]}", flush=True)
    return found


def _filter_urls(archive, names, top_fandom) -> list[str]:
    """The filter of the issue on the works listing (the filter sidebar's parameters): two
    included tags (the top fandom and its most popular character), one excluded tag (the most
    popular additional tag), a rating, sorted by date updated."""
    try:
        from fanfold.search.filters import WorkFilterForm
    except ImportError:
        return []
    assert {"include", "exclude", "sort"} <= set(WorkFilterForm.base_fields)
    from django.urls import reverse

    characters = archive.tags.children_of["character"].get(top_fandom) or [
        _popular(archive, "character")
    ]
    character = max(characters, key=lambda tag_id: archive.works_of_tag.get(tag_id, 0))
    urls = []
    for rating in ("Teen And Up Audiences", "General Audiences", "Mature"):
        query = urlencode(
            [
                ("include", top_fandom),
                ("include", character),
                ("include", archive.fixed[rating]),
                ("exclude", _popular(archive, "freeform")),
                ("sort", "updated"),
            ]
        )
        urls.append(f"{reverse('work_index')}?{query}")
    return urls


# Realistic searches over the generated text (bench/_words.py): words, a phrase, an
# exclusion, fields.
SEARCH_QUERIES = [
    "lantern harbour",
    '"the harbour"',
    "dragon -angst",
    "storm castle letter",
    "title:winter",
    "tag:fluff kiss",
]


def _search_urls() -> list[str]:
    from django.urls import NoReverseMatch, reverse

    try:
        url = reverse("search")
    except NoReverseMatch:
        return []
    return [f"{url}?{urlencode({'q': q})}" for q in SEARCH_QUERIES]


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
