"""Loaded with `-p fanfold.testing.plugin` before Django's settings are read, so the settings
module sees the test environment: a throw-away data directory, tasks run immediately, and on
FANFOLD_TEST_DATABASE=postgres a private PostgreSQL server started for this run."""

import atexit
import os
import shutil
import tempfile

import pytest

os.environ["FANFOLD_TESTING"] = "1"
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend")
# Every test process gets its own data directory; nothing touches the developer's var/.
_data_dir = tempfile.mkdtemp(prefix="fanfold-test-data-")
os.environ["FANFOLD_DATA_DIR"] = _data_dir
atexit.register(shutil.rmtree, _data_dir, True)

if os.environ.get("FANFOLD_TEST_DATABASE") == "postgres" and not os.environ.get("DATABASE_URL"):
    from fanfold.testing.postgres import TemporaryPostgres

    _server = TemporaryPostgres().start()
    atexit.register(_server.stop)
    # xdist workers inherit the environment, so they share this one server.
    os.environ["DATABASE_URL"] = _server.url


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI=true a skipped test is a failure: nothing may be skipped for want of a tool."""
    outcome = yield
    report = outcome.get_result()
    under_ci = os.environ.get("CI", "").lower() == "true"
    if under_ci and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped under CI, where every test must run: {report.longrepr}"
