"""Load test (issue 8): gunicorn on loopback serving a demo archive, 200 concurrent clients
reading and writing for 60 s, on SQLite and on PostgreSQL; then the database is checked so that
every kudos, comment, bookmark and hit a client was told succeeded is there exactly once and
every denormalised count equals its rows.

The clients are one asyncio process using aiohttp rather than locust: 200 clients as
coroutines cost almost nothing on a 2-core machine that also runs the server, whereas locust
brings gevent and its own web UI and runner for what is here one loop per client. Each client
is a logged-in reader (60 %) or a guest (40 %), has its own address (sent in X-Forwarded-For,
the archive trusting one proxy, as behind nginx) so per-address limits and guest hits and
kudos work as in production, and does as fast as the server answers: work pages (which count
hits), listings, tag pages, searches, kudos, comments and bookmarks (readers). Rate limits are
multiplied (FANFOLD_RATE_LIMIT_FACTOR) so the run measures the archive, not its limits.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import quote

DESCRIPTION = "200 clients reading and writing for 60 s against gunicorn (SQLite, PostgreSQL)"

ROOT = Path(__file__).resolve().parent.parent
SEARCH_WORDS = ["harbour", "light", "storm", "letter", "garden", "winter", "dragon", "quiet"]
# Share of each action in a client's loop.
ACTIONS = {
    "work page": 30,
    "listing": 12,
    "tag page": 8,
    "search": 10,
    "kudos": 12,
    "comment": 10,
    "bookmark": 8,
    "home": 10,
}
WRITES = {"kudos", "comment", "bookmark"}


def _archive(role: str, env: dict, *args) -> dict:
    output = subprocess.run(
        [sys.executable, "-m", "bench._load_archive", role, *map(str, args)],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


class Stats:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter = Counter()
        self.errors: Counter = Counter()
        self.kudos: list[tuple[str, int]] = []  # (who, work) told it succeeded
        self.comments: list[str] = []  # tokens of comments told they were posted
        self.bookmarks: list[tuple[int, int]] = []
        self.hits: set[tuple[str, int]] = set()  # (who, work) whose page was served
        # Writes (and first visits) whose answer never came (timeout, dropped connection): the
        # server may or may not have done them, so they may be stored, but at most once.
        self.maybe_kudos: list[tuple[str, int]] = []
        self.maybe_comments: list[str] = []
        self.maybe_bookmarks: list[tuple[int, int]] = []
        self.maybe_hits: set[tuple[str, int]] = set()


async def client(number: int, setup: dict, base: str, stop_at: float, stats: Stats, rng):
    import aiohttp

    session_user = setup["sessions"][number] if number < len(setup["sessions"]) else None
    who = f"u:{session_user[0]}" if session_user else f"ip:{number}"
    works = setup["works"] if session_user else setup["public_works"]
    address = f"10.{number // 250}.{number % 250}.{rng.randrange(1, 250)}"
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    # Django's double-submit CSRF check: a 32-character secret in the cookie, the same in the
    # form (what a browser does with the token from the first page, without fetching one).
    csrf_secret = "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=32))
    jar.update_cookies({setup["csrf_cookie"]: csrf_secret})
    if session_user:
        jar.update_cookies({setup["session_cookie"]: session_user[1]})
    timeout = aiohttp.ClientTimeout(total=60)
    headers = {"X-Forwarded-For": address}
    kudosed: set[int] = set()
    bookmarked: set[int] = set()
    comment_number = 0
    async with aiohttp.ClientSession(
        base_url=base, cookie_jar=jar, timeout=timeout, headers=headers
    ) as http:

        async def request(kind: str, method: str, path: str, data=None) -> int | None:
            started = time.perf_counter()
            try:
                if method == "POST":
                    data = {**(data or {}), "csrfmiddlewaretoken": csrf_secret}
                async with http.request(
                    method,
                    path,
                    data=data,
                    allow_redirects=False,
                    headers={"Referer": base + path},
                ) as response:
                    await response.read()
                    status = response.status
            except (TimeoutError, aiohttp.ClientError) as error:
                stats.errors[f"{kind}: {type(error).__name__}"] += 1
                return None
            stats.latency[kind].append(time.perf_counter() - started)
            stats.status[(kind, status)] += 1
            return status

        names = list(ACTIONS)
        weights = list(ACTIONS.values())
        while time.monotonic() < stop_at:
            action = rng.choices(names, weights)[0]
            work = rng.choice(works)
            if action == "work page":
                status = await request(action, "GET", f"/works/{work}")
                if status == 200:
                    stats.hits.add((who, work))
                elif status is None:
                    stats.maybe_hits.add((who, work))
            elif action == "listing":
                page = rng.choice(["/works", "/works?page=2", "/works?sort=kudos"])
                await request(action, "GET", page)
            elif action == "tag page":
                tag = rng.choice(setup["fandoms"])
                await request(action, "GET", f"/tags/{quote(tag, safe='')}/works")
            elif action == "search":
                await request(action, "GET", f"/search?q={rng.choice(SEARCH_WORDS)}")
            elif action == "home":
                await request(action, "GET", "/")
            elif action == "kudos":
                if work in kudosed:
                    continue
                kudosed.add(work)
                status = await request(action, "POST", f"/works/{work}/kudos")
                if status == 302:
                    stats.kudos.append((who, work))
                elif status is None:
                    stats.maybe_kudos.append((who, work))
            elif action == "comment":
                comment_number += 1
                token = f"loadtoken-{number}-{comment_number}"
                data = {"content": f"A comment from the load test ({token}), thank you!"}
                if not session_user:
                    data |= {"guest_name": f"Guest {number}", "guest_email": ""}
                status = await request(action, "POST", f"/works/{work}/comments", data)
                if status == 302:
                    stats.comments.append(token)
                elif status is None:
                    stats.maybe_comments.append(token)
            elif action == "bookmark":
                if not session_user or work in bookmarked:
                    continue
                bookmarked.add(work)
                data = {"notes": "", "tags": "", "is_rec": "", "is_private": ""}
                data = {k: v for k, v in data.items() if v}
                status = await request(action, "POST", f"/works/{work}/bookmarks/new", data)
                if status == 302:
                    stats.bookmarks.append((session_user[0], work))
                elif status is None:
                    stats.maybe_bookmarks.append((session_user[0], work))


async def drive(setup: dict, base: str, clients: int, seconds: int, stats: Stats) -> float:
    stop_at = time.monotonic() + seconds
    started = time.monotonic()
    await asyncio.gather(
        *(client(n, setup, base, stop_at, stats, random.Random(n)) for n in range(clients))
    )
    return time.monotonic() - started


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0


def _compare(
    name: str, told: Counter, maybe: Counter, stored: Counter, problems: dict, *, per_work=False
) -> None:
    """Every write the client was told succeeded is stored exactly once; a write whose answer
    never came is stored at most once; nothing else is stored. per_work: the counters count
    guests' rows per work (a guest is only a hash), so a duplicate shows as one too many."""
    lost = sum((told - stored).values())
    doubled = 0 if per_work else sum(n - 1 for n in stored.values() if n > 1)
    unexplained = sum((stored - told - maybe).values())
    if lost or doubled or unexplained:
        problems[name] = f"{lost} lost, {doubled} duplicated, {unexplained} never asked for"


def verify(before: dict, after: dict, stats: Stats) -> dict[str, str]:
    """Lost and duplicated writes, and counts that differ from their rows."""
    problems: dict[str, str] = {}
    drift = [
        (work, name)
        for work, row in after["works"].items()
        for name in ("kudos", "comment", "bookmark", "hit")
        if row[f"{name}_count"] != row[f"{name}_rows"]
    ]
    if drift:
        problems["counts differ from rows"] = str(drift[:10])

    def users(pairs) -> Counter:
        return Counter((int(who[2:]), work) for who, work in pairs if who.startswith("u:"))

    def guests(pairs) -> Counter:
        return Counter(work for who, work in pairs if who.startswith("ip:"))

    def new(key: str) -> Counter:
        return Counter(tuple(k) for k in after[key]) - Counter(tuple(k) for k in before[key])

    _compare("user kudos", users(stats.kudos), users(stats.maybe_kudos), new("user_kudos"),
             problems)  # fmt: skip
    guest_kudos = Counter(
        {int(w): n - before["guest_kudos"].get(w, 0) for w, n in after["guest_kudos"].items()}
    )
    _compare("guest kudos", guests(stats.kudos), guests(stats.maybe_kudos), +guest_kudos,
             problems, per_work=True)  # fmt: skip
    stored_tokens = Counter(
        token
        for content in after["comments"]
        for token in re.findall(r"loadtoken-\d+-\d+", content)
    )
    _compare("comments", Counter(stats.comments), Counter(stats.maybe_comments), stored_tokens,
             problems)  # fmt: skip
    _compare("bookmarks", Counter(stats.bookmarks), Counter(stats.maybe_bookmarks),
             new("bookmarks"), problems)  # fmt: skip
    user_hits = Counter((v, w) for v, w in (tuple(h) for h in after["user_hits"])) - Counter(
        tuple(h) for h in before["user_hits"]
    )
    _compare("user hits", Counter(h for h in stats.hits if h[0].startswith("u:")),
             Counter(h for h in stats.maybe_hits if h[0].startswith("u:")), user_hits,
             problems)  # fmt: skip
    guest_hits = Counter(
        {int(w): n - before["guest_hits"].get(w, 0) for w, n in after["guest_hits"].items()}
    )
    _compare("guest hits", guests(stats.hits), guests(stats.maybe_hits), +guest_hits, problems,
             per_work=True)  # fmt: skip
    return problems


def run_one(backend: str, *, clients: int, seconds: int, workdir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    os.environ["FANFOLD_DATA_DIR"] = str(workdir / "data")
    import django

    django.setup()
    from fanfold.testing.postgres import TemporaryPostgres
    from fanfold.testing.server import ArchiveServer

    postgres = None
    if backend == "postgres":
        # Durable settings, as a real archive runs (the test suite's server turns fsync off).
        postgres = TemporaryPostgres(tuned_for_tests=False).start()
        url = postgres.url
    else:
        url = f"sqlite:///{workdir / 'load.sqlite3'}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "FANFOLD_DATA_DIR": str(workdir / "data"),
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
    }
    env.pop("FANFOLD_TESTING", None)
    try:
        print(f"[{backend}] building the demo archive and {int(clients * 0.6)} readers ...",
              flush=True)  # fmt: skip
        setup = _archive("setup", env, int(clients * 0.6))
        before = _archive("check", env)
        server_env = {
            "FANFOLD_RATE_LIMIT_FACTOR": "1000",
            "FANFOLD_TRUSTED_PROXY_COUNT": "1",
            "CONN_MAX_AGE": "60",
        }
        if backend == "postgres":
            # More workers than SQLite: PostgreSQL writers don't queue for one lock.
            workers, threads = 4, 4
        else:
            workers, threads = 3, 4
        server = ArchiveServer(
            url, workdir / "data", workers=workers, threads=threads, env={**env, **server_env}
        )
        server.start()
        try:
            stats = Stats()
            print(f"[{backend}] {clients} clients for {seconds} s ...", flush=True)
            load_before = os.getloadavg()[0]
            elapsed = asyncio.run(drive(setup, server.url, clients, seconds, stats))
            load_after = os.getloadavg()[0]
        finally:
            server.stop()
        server_errors = sum(n for (_, status), n in stats.status.items() if status >= 500)
        log_errors = len(re.findall(r"Traceback|Internal Server Error", server.log_text()))
        after = _archive("check", env)
        problems = verify(before, after, stats)
    finally:
        if postgres:
            postgres.stop()
    requests = sum(stats.status.values())
    return {
        "backend": backend,
        "workers": f"{workers} workers x {threads} threads",
        "requests": requests,
        "rps": requests / elapsed,
        "elapsed": elapsed,
        "latency": {
            kind: (len(v), _percentile(v, 0.5), _percentile(v, 0.95), _percentile(v, 0.99))
            for kind, v in sorted(stats.latency.items())
        },
        "status": Counter(status for (_, status) in stats.status.elements()),
        "errors": dict(stats.errors),
        "server_errors": server_errors,
        "log_errors": log_errors,
        "writes": {
            "kudos": len(stats.kudos),
            "comments": len(stats.comments),
            "bookmarks": len(stats.bookmarks),
            "hits": len(stats.hits),
            "unknown": len(stats.maybe_kudos)
            + len(stats.maybe_comments)
            + len(stats.maybe_bookmarks)
            + len(stats.maybe_hits),
        },
        "problems": problems,
        "load": (load_before, load_after),
        "log_tail": server.log_text()[-2000:] if server_errors or log_errors else "",
    }


def run(*, quick: bool) -> str:
    clients, seconds = (20, 10) if quick else (200, 60)
    results = []
    for backend in ("sqlite", "postgres"):
        with tempfile.TemporaryDirectory(prefix=f"fanfold-bench-load-{backend}-") as directory:
            # Each backend in its own process: Django is set up once per process.
            output = subprocess.run(
                [sys.executable, "-m", "bench.load", backend, str(clients), str(seconds),
                 directory],
                cwd=ROOT, stdout=subprocess.PIPE, text=True, check=True,
            ).stdout  # fmt: skip
            result = json.loads(output.strip().splitlines()[-1])
            print(json.dumps(result, indent=1)[:3000], flush=True)
            results.append(result)
    return report(results, clients=clients, seconds=seconds)


def report(results: list[dict], *, clients: int, seconds: int) -> str:
    lines = [
        "## Load (bench/load.py)",
        "",
        f"`make bench BENCH=load` — gunicorn on loopback serving the demo archive, {clients} "
        f"concurrent clients for {seconds} s (60 % logged-in readers, 40 % guests, each as fast "
        "as the server answers, no pauses), on SQLite (WAL) and on PostgreSQL (durable "
        "settings). Clients: one asyncio process (aiohttp) on the same 2-core machine. Rate "
        "limits multiplied by 1000 for the run.",
        "",
        "| backend | gunicorn | requests | requests/s | server errors (5xx) | other failures "
        "| lost or duplicated writes | counts ≠ rows | load average (start → end) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        failures = ", ".join(f"{k}: {v}" for k, v in r["errors"].items()) or "0"
        problems = r["problems"]
        drift = problems.get("counts differ from rows", "0")
        lost = {k: v for k, v in problems.items() if k != "counts differ from rows"}
        lines.append(
            f"| {r['backend']} | {r['workers']} | {r['requests']} | {r['rps']:.0f} | "
            f"{r['server_errors']} | {failures} | "
            f"{'; '.join(f'{k}: {v}' for k, v in lost.items()) or '0'} | {drift} | "
            f"{r['load'][0]:.1f} → {r['load'][1]:.1f} |"
        )
    lines += ["", "Per kind of request (milliseconds):", ""]
    lines.append(
        "| kind | " + " | ".join(f"{r['backend']} n / p50 / p95 / p99" for r in results) + " |"
    )
    lines.append("| --- |" + " --- |" * len(results))
    kinds = sorted({k for r in results for k in r["latency"]})
    for kind in kinds:
        cells = []
        for r in results:
            n, p50, p95, p99 = r["latency"].get(kind, (0, 0, 0, 0))
            cells.append(f"{n} / {p50:.0f} / {p95:.0f} / {p99:.0f}")
        lines.append(f"| {kind} | " + " | ".join(cells) + " |")
    lines += ["", "Answers by status:", ""]
    for r in results:
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(r["status"].items()))
        writes = r["writes"]
        lines.append(
            f"- {r['backend']}: {statuses}. Told succeeded and then found exactly once: "
            f"{writes['kudos']} kudos, {writes['comments']} comments, {writes['bookmarks']} "
            f"bookmarks, {writes['hits']} first visits (hits); writes with no answer: "
            f"{writes['unknown']}."
        )
    lines += [
        "",
        "A 302 is the answer to a successful write (and to a guest sent to log in), 200 to a "
        "page. Every client-side failure (timeout, dropped connection) is counted under "
        '"other failures"; server errors come from the answers and the server\'s log.',
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    backend, clients, seconds, directory = sys.argv[1:]
    result = run_one(backend, clients=int(clients), seconds=int(seconds), workdir=Path(directory))
    print(json.dumps(result, default=list))
