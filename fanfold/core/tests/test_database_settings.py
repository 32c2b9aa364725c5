"""Database connections: on PostgreSQL each worker keeps its connection between requests (and
checks it is alive before reusing it); on SQLite a request opens its own. The environment
overrides both."""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

import fanfold.settings as settings_module


def database_settings(monkeypatch, **environment) -> dict:
    """settings.DATABASES["default"] as the settings module computes it in this environment."""
    for name in ("DATABASE_URL", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(settings_module.__file__)["DATABASES"]["default"]


def test_postgresql_keeps_connections_a_minute_with_health_checks(monkeypatch):
    database = database_settings(monkeypatch, DATABASE_URL="postgres://fanfold@db.invalid/arch")
    assert database["CONN_MAX_AGE"] == 60 and database["CONN_HEALTH_CHECKS"] is True


def test_sqlite_opens_a_connection_per_request(monkeypatch):
    database = database_settings(monkeypatch)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["CONN_MAX_AGE"] == 0 and database["CONN_HEALTH_CHECKS"] is False


def test_an_empty_database_url_means_the_default_sqlite_file(monkeypatch):
    # A blank "DATABASE_URL=" line in an environment file must not stop the archive starting.
    database = database_settings(monkeypatch, DATABASE_URL="")
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert str(database["NAME"]).endswith("fanfold.sqlite3")


def test_the_environment_overrides_the_defaults(monkeypatch):
    database = database_settings(
        monkeypatch,
        DATABASE_URL="postgres://fanfold@db.invalid/arch",
        CONN_MAX_AGE="0",
        CONN_HEALTH_CHECKS="false",
    )
    assert database["CONN_MAX_AGE"] == 0 and database["CONN_HEALTH_CHECKS"] is False
    database = database_settings(monkeypatch, CONN_MAX_AGE="300")
    assert database["CONN_MAX_AGE"] == 300


REQUESTS = """
import django
django.setup()
from django.core.signals import request_finished, request_started
from django.db import connection

def request():
    request_started.send(sender=None)
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    raw = connection.connection
    request_finished.send(sender=None)
    return raw

first = request()
print("kept" if request() is first else "new")
if connection.vendor == "postgresql":
    # the server ends the connection (a restart, an idle timeout): the next request notices
    # and connects again instead of failing
    from django.db import connections
    other = connections.create_connection("default")
    with other.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [first.info.backend_pid])
    other.close()
    print("recovered" if request() is not first else "stale")
"""


@pytest.mark.django_db
def test_requests_share_a_connection_on_postgresql_only(tmp_path):
    """Run as the archive runs (no test settings): two requests in one process."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith("FANFOLD_TEST")
    }
    environment |= {"FANFOLD_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "fanfold.settings"}
    if connection.vendor != "postgresql":
        environment.pop("DATABASE_URL", None)  # the default: SQLite under the data directory
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    expected = ["kept", "recovered"] if connection.vendor == "postgresql" else ["new"]
    assert result.stdout.split() == expected
