"""A rate limit holds when several OS processes (as gunicorn workers are) use one key at the
same instant, starting on a window nobody has used yet: exactly the limit gets through, on the
database the suite runs on."""

import time

import pytest

from fanfold.core.models import RateLimitCounter
from fanfold.testing.server import (
    copy_back_from,
    database_url_for_test,
    start_worker,
    worker_result,
)

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 4
USES = 30
LIMIT = 70  # fewer than the 120 uses, more than one process's 30
RACER = "fanfold.core.tests.ratelimit_worker"


def test_racing_processes_get_exactly_the_limit_through(tmp_path):
    url = database_url_for_test(tmp_path)
    start_at = time.time() + 4  # time for every process to start Django
    processes = [
        start_worker(RACER, start_at, "search:ip:10.0.0.7", LIMIT, USES, database_url=url)
        for _ in range(PROCESSES)
    ]
    allowed = [worker_result(process, timeout=240)["allowed"] for process in processes]
    copy_back_from(url)
    assert sum(allowed) == LIMIT
    assert list(RateLimitCounter.objects.values_list("key", "window", "count")) == [
        ("search:ip:10.0.0.7", 2, LIMIT)
    ]
