"""One OS process of the rate limit race (test_ratelimit_concurrency.py starts several).

    python -m fanfold.core.tests.ratelimit_worker START_AT KEY LIMIT USES

Waits until the wall-clock time START_AT so the processes start together, then counts USES
uses of KEY against LIMIT in one fixed window, and prints how many were let through."""

import json
import os
import sys
import time

import django


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanfold.settings")
    django.setup()
    from fanfold.core.ratelimit import rate_limit_hit

    start_at, key, limit, uses = float(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    time.sleep(max(0.0, start_at - time.time()))
    allowed = sum(
        rate_limit_hit(key=key, limit=limit, period=3600, now=7_200.0) == 0 for _ in range(uses)
    )
    print(json.dumps({"allowed": allowed}))


if __name__ == "__main__":
    main()
