"""Jobs that run on a clock rather than on a request: `fanfold periodic` runs each of them
every hour (scripts/serve starts it beside the web server and the task worker). Each job must
be safe to run at any time and any number of times (it works out for itself what is due)."""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)


def _send_queued_invitations() -> str:
    from fanfold.accounts.services import invitation_queue_send

    return f"{invitation_queue_send()} queued invitation(s) sent"


def _purge_rate_limit_counters() -> str:
    from fanfold.core.ratelimit import rate_limit_counters_purge

    return f"{rate_limit_counters_purge()} ended rate-limit counter(s) deleted"


# (name, job) in the order they run; each returns a line for the log.
JOBS: list[tuple[str, Callable[[], str]]] = [
    ("invitations", _send_queued_invitations),
    ("rate limits", _purge_rate_limit_counters),
]


def run_periodic_jobs() -> list[str]:
    """Run every job once. One job failing does not stop the others."""
    results = []
    for name, job in JOBS:
        try:
            results.append(f"{name}: {job()}")
        except Exception:
            logger.exception("The periodic job %s failed", name)
            results.append(f"{name}: failed (see the log)")
    return results
