"""The measuring half of bench/comments.py, run in its own process so that it configures
Django for its own temporary SQLite database (DATABASE_URL and FANFOLD_DATA_DIR are set by the
caller). Prints one JSON object of results."""

import json
import os
import statistics
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
os.environ["FANFOLD_TESTING"] = "1"
os.environ["TASKS_BACKEND"] = "django.tasks.backends.immediate.ImmediateBackend"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.signals import request_started  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from fanfold.accounts.services import user_create  # noqa: E402
from fanfold.comments.models import Comment  # noqa: E402
from fanfold.comments.services import comment_create  # noqa: E402
from fanfold.kudos.services import kudos_give  # noqa: E402
from fanfold.testing.factories import make_work  # noqa: E402


def timed(function, times: int) -> float:
    """Median milliseconds of `times` calls."""
    samples = []
    for _ in range(times):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.median(samples)


def main(comments: int, readers: int) -> dict:
    call_command("migrate", verbosity=0)
    author = user_create(
        username="author", email="a@example.org", password="x" * 12, check_terms=False
    )
    users = [
        user_create(
            username=f"reader{n}", email=f"r{n}@example.org", password="x" * 12, check_terms=False
        )
        for n in range(readers)
    ]
    work = make_work(author, title="Busy")

    started = time.perf_counter()
    for user in users:
        kudos_give(work=work, user=user)
    kudos_ms = (time.perf_counter() - started) * 1000 / readers

    started = time.perf_counter()
    made: list[Comment] = []
    for number in range(comments):
        # Every third comment starts a thread; the others reply to a recent one (threads up to
        # a few levels deep, some folded).
        parent = made[-1] if number % 3 and made else None
        made.append(
            comment_create(
                work=work,
                user=users[number % readers],
                content=f"<p>Comment {number}, written for the benchmark.</p>",
                parent=parent,
            )
        )
    comment_ms = (time.perf_counter() - started) * 1000 / comments

    client = Client()
    client.force_login(users[0])
    url = work.get_absolute_url()
    client.get(url)  # warm the template cache
    # Django empties the query log at the start of every request; keep it for the count.
    request_started.disconnect(reset_queries)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("client.get(url)", globals(), locals(), sort="cumulative")
    page_ms = timed(lambda: client.get(url), 5)
    guest_ms = timed(lambda: Client().get(url), 5)
    # The comments come a page of threads at a time; the last page is found the same way.
    threads = Comment.objects.filter(work=work, parent__isnull=True).count()
    pages = -(-threads // settings.FANFOLD_COMMENTS_PER_PAGE)
    last_page_ms = timed(lambda: client.get(url, {"comments_page": pages}), 5)
    return {
        "comments": comments,
        "readers": readers,
        "kudos_ms": round(kudos_ms, 2),
        "comment_ms": round(comment_ms, 2),
        "page_ms": round(page_ms, 1),
        "guest_page_ms": round(guest_ms, 1),
        "page_queries": len(queries),
        "threads": threads,
        "per_page": settings.FANFOLD_COMMENTS_PER_PAGE,
        "pages": pages,
        "last_page_ms": round(last_page_ms, 1),
        "page_kb": round(len(response.content) / 1024),
    }


if __name__ == "__main__":
    print(json.dumps(main(int(sys.argv[1]), int(sys.argv[2]))))
