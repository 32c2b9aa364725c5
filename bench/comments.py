"""Kudos and comments on one busy work (SQLite): how long leaving kudos and a comment takes
through the services (row, count and inbox entries in one transaction), and how long the work
page takes with every comment thread on it, in how many queries."""

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

DESCRIPTION = "kudos and comments: writes per second, the work page's pages of many comments"

ROOT = Path(__file__).resolve().parent.parent


def run(*, quick: bool) -> str:
    comments, readers = (60, 20) if quick else (600, 100)
    with tempfile.TemporaryDirectory(prefix="fanfold-bench-comments-") as directory:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{directory}/bench.sqlite3",
            "FANFOLD_DATA_DIR": directory,
            "ALLOWED_HOSTS": "testserver",  # the page is fetched with Django's test client
            "CONN_MAX_AGE": "600",  # one connection, so the page's queries can be counted
        }
        print(f"building a work with {comments} comments and {readers} kudos ...", flush=True)
        output = subprocess.run(
            [sys.executable, "-m", "bench._comments_run", str(comments), str(readers)],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    result = json.loads(output.strip().splitlines()[-1])
    # Shared machines skew timings; the section says how busy this one was.
    load = os.getloadavg()[0]
    print(result, flush=True)
    page = (
        f"{result['page_ms']} ms (median of 5), {result['page_queries']} queries, "
        f"{result['page_kb']} KB"
    )
    return f"""## Kudos and comments (bench/comments.py)

`make bench BENCH=comments` — SQLite, one work, {result["readers"]} users leave kudos, then
{result["comments"]} comments (a third start threads, the rest reply a level deeper).

| measure | result |
| --- | --- |
| leave kudos (row + count, one transaction) | {result["kudos_ms"]} ms each |
| post a comment (row + count + inbox entries) | {result["comment_ms"]} ms each |
| work page, first page of comments, logged in | {page} |
| the same page for a guest | {result["guest_page_ms"]} ms |
| the last page of comments (page {result["pages"]}), logged in | {result["last_page_ms"]} ms |

The {result["comments"]} comments form {result["threads"]} threads, shown
{result["per_page"]} threads (each with all its replies) per page, so {result["pages"]} pages.
Load average at the end of the run: {load:.1f} (on a 2-core machine; timings stretch with it).
The work page's query count does not grow with the number of comments: a page of thread roots
is chosen in one query, its comments are loaded in one more with their authors and assembled in
Python, and counting takes two (the pages, and the comments the reader may see).
"""
