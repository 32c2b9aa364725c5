"""A search's time limit (settings.FANFOLD_SEARCH_SECONDS), so that one costly search cannot
hold a server process and a database connection for long: a phrase of uncommon words reads
the text of every long work holding its words on PostgreSQL (selectors._document_match).

Both databases stop a statement that runs past the limit: PostgreSQL through its own
statement_timeout, set for the search's transaction only; SQLite through a progress handler,
which SQLite calls every few thousand steps of a statement. Between statements the time left
is checked before each one is sent, so the limit holds for the whole search, not per statement.
Written here because Django offers no time limit for queries."""

import contextlib
import time

from django.conf import settings
from django.db import OperationalError, connection, transaction

# SQLite steps between checks of the clock: often enough to stop within a millisecond or so,
# rarely enough that the checks cost nothing measurable.
_SQLITE_STEPS = 10_000


class SearchTooSlow(Exception):
    """The search ran past its time limit and was stopped; nothing was changed."""


@contextlib.contextmanager
def search_time_limit(seconds: float | None = None):
    """Run the block's reads under a time limit; raises SearchTooSlow when it runs out."""
    limit = settings.FANFOLD_SEARCH_SECONDS if seconds is None else seconds
    deadline = time.monotonic() + limit

    def check_time_left(execute, sql, params, many, context):
        if time.monotonic() >= deadline:
            raise SearchTooSlow
        return execute(sql, params, many, context)

    try:
        if connection.vendor == "postgresql":
            with transaction.atomic(), connection.execute_wrapper(check_time_left):
                with connection.cursor() as cursor:
                    # SET LOCAL: the limit ends with the transaction (0 would mean none).
                    milliseconds = max(1, round(limit * 1000))
                    cursor.execute(
                        "SELECT set_config('statement_timeout', %s, true)", [f"{milliseconds}ms"]
                    )
                yield
        else:
            connection.ensure_connection()
            sqlite = connection.connection
            sqlite.set_progress_handler(lambda: time.monotonic() >= deadline, _SQLITE_STEPS)
            try:
                with connection.execute_wrapper(check_time_left):
                    yield
            finally:
                sqlite.set_progress_handler(None, 0)
    except OperationalError as error:
        if _stopped_for_time(error):
            raise SearchTooSlow from error
        raise


def _stopped_for_time(error: OperationalError) -> bool:
    cause = error.__cause__
    if connection.vendor == "postgresql":
        from psycopg.errors import QueryCanceled

        return isinstance(cause, QueryCanceled)
    return "interrupted" in str(error)
