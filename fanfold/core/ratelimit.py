"""Rate limits: how often one user or one IP address may do a thing in a window of time.

Counters live in the database (RateLimitCounter), not in a per-process cache, because the
archive runs several gunicorn workers and a limit must hold across all of them; one
INSERT ... ON CONFLICT DO UPDATE statement keeps the count right under concurrent requests on
SQLite and PostgreSQL alike. Limits are fixed windows (at most N per period, counted from the
start of the current period), which is simple to explain on the 429 page ("try again in 40
seconds").

Each scope's limits are set in settings.FANFOLD_RATE_LIMITS, e.g.
    "comment": {"user": (10, 60), "ip": (20, 60)}
meaning at most 10 comments a minute per logged-in user and 20 per IP address (guests and
users together). Views use the `rate_limited` decorator or call `rate_limit_check` from a
service; either raises RateLimited, which RateLimitMiddleware turns into the 429 page.
Counters of ended windows are deleted by the hourly `fanfold periodic` job
(rate_limit_counters_purge).
"""

import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connections, router

from .models import RateLimitCounter


@dataclass
class RateLimited(Exception):
    scope: str
    retry_after: int  # seconds until the current window ends

    def __str__(self) -> str:
        return f"Too many requests ({self.scope}); try again in {self.retry_after} seconds."


def client_ip(request) -> str:
    """The client's address. Behind a reverse proxy, set FANFOLD_TRUSTED_PROXY_COUNT to the
    number of proxies in front of the archive; the address is then read from the right end of
    X-Forwarded-For, the part the proxies wrote (the left part is the client's to forge)."""
    proxies = getattr(settings, "FANFOLD_TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _clock() -> float:
    # One name for "now" that the test suite pins to the start of a day, so that a test's
    # requests never straddle the end of a window (fixed windows would then let one through).
    return time.time()


# One statement counts a use, on SQLite and PostgreSQL alike: a new window's counter is
# created at 1, an existing one goes up by one while under the limit, and no row comes back
# when the limit is used up. The unique (key, window) constraint decides between concurrent
# requests. (Written by hand: the ORM has no upsert that returns the row, and the read, update
# and create it took were 4-8 statements a search.)
_COUNTERS = RateLimitCounter._meta.db_table
_COUNT_ONE_USE = f"""
    INSERT INTO {_COUNTERS} (key, "window", count, ends_at) VALUES (%s, %s, 1, %s)
    ON CONFLICT (key, "window") DO UPDATE SET count = {_COUNTERS}.count + 1
    WHERE {_COUNTERS}.count < %s
    RETURNING count
"""


def rate_limit_hit(*, key: str, limit: int, period: int, now: float | None = None) -> int:
    """Count one more use of `key` in the current window of `period` seconds. Returns 0 when it
    is within `limit`, else the seconds until the window ends (nothing more is counted then)."""
    now = _clock() if now is None else now
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    if limit <= 0:
        return retry_after
    connection = connections[router.db_for_write(RateLimitCounter)]
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_ONE_USE, [key, window, (window + 1) * period, limit])
        row = cursor.fetchone()
    if row is None:
        return retry_after
    if row[0] == 1:  # the window's first use: the key's old windows are of no use any more
        RateLimitCounter.objects.filter(key=key, window__lt=window).delete()
    return 0


def rate_limit_counters_purge(*, now: float | None = None) -> int:
    """Delete the counters whose window has ended; returns how many. rate_limit_hit deletes a
    key's old windows when that key is used again, but most keys are used once (a guest's
    address, a search from one IP) and would stay forever: `fanfold periodic` calls this."""
    now = _clock() if now is None else now
    deleted, _ = RateLimitCounter.objects.filter(ends_at__lte=int(now)).delete()
    return deleted


def rate_limit_check(*, scope: str, user=None, ip: str | None = None) -> None:
    """Count one use of `scope` by this user and this IP address against the limits in
    settings.FANFOLD_RATE_LIMITS[scope]; raises RateLimited when either is used up."""
    limits = settings.FANFOLD_RATE_LIMITS.get(scope)
    if limits is None:
        raise ValueError(f"No rate limits are set for {scope!r} in FANFOLD_RATE_LIMITS")
    checks = []
    if user is not None and user.is_authenticated and "user" in limits:
        checks.append((f"{scope}:u:{user.pk}", *limits["user"]))
    if ip and "ip" in limits:
        checks.append((f"{scope}:ip:{ip}", *limits["ip"]))
    for key, limit, period in checks:
        retry_after = rate_limit_hit(key=key, limit=limit, period=period)
        if retry_after:
            raise RateLimited(scope=scope, retry_after=retry_after)


def rate_limited(scope: str, *, methods: tuple[str, ...] = ("POST",)):
    """View decorator: count requests with these methods against the scope's limits."""

    def decorate(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                rate_limit_check(scope=scope, user=request.user, ip=client_ip(request))
            return view(request, *args, **kwargs)

        return wrapped

    return decorate
