"""The harness itself: the suite really runs on the database it says it runs on."""

import os

import pytest
from django.db import connection


@pytest.mark.django_db
def test_runs_on_the_requested_database():
    wanted = os.environ.get("FANFOLD_TEST_DATABASE", "sqlite")
    expected_vendor = "postgresql" if wanted == "postgres" else "sqlite"
    assert connection.vendor == expected_vendor


@pytest.mark.django_db
def test_database_is_set_up_for_concurrent_writers():
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Concurrent writers wait for the lock instead of failing at once.
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        else:
            assert connection.pg_version >= 150000
