"""A rate limit holds when several OS processes (as gunicorn workers are) use one key at the
same instant, starting on a window nobody has used yet: exactly the limit gets through, on the
database the suite runs on."""

import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings

from fanfold.core.models import RateLimitCounter
from fanfold.testing.server import copy_back_from, database_url_for_test

pytestmark = pytest.mark.django_db(transaction=True)

PROCESSES = 4
USES = 30
LIMIT = 70  # fewer than the 120 uses, more than one process's 30


def test_racing_processes_get_exactly_the_limit_through(tmp_path):
    url = database_url_for_test(tmp_path)
    env = {**os.environ, "DATABASE_URL": url, "FANFOLD_TESTING": "1"}
    start_at = time.time() + 4  # time for every process to start Django
    command = [sys.executable, "-m", "fanfold.core.tests.ratelimit_worker", str(start_at)]
    processes = [
        subprocess.Popen(
            [*command, "search:ip:10.0.0.7", str(LIMIT), str(USES)],
            env=env,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=240)
        assert process.returncode == 0, err[-3000:]
        allowed.append(json.loads(out.strip().splitlines()[-1])["allowed"])
    copy_back_from(url)
    assert sum(allowed) == LIMIT
    assert list(RateLimitCounter.objects.values_list("key", "window", "count")) == [
        ("search:ip:10.0.0.7", 2, LIMIT)
    ]
