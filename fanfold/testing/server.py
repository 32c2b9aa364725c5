"""A real archive server in its own OS process, for tests and benchmarks that must kill it,
restart it or load it: gunicorn (the production server) serving fanfold.wsgi on a free
loopback port, against a database given by URL.

Tests use it with the data their own test committed (`database_url_for_test`): on PostgreSQL
the server opens the test database itself; the suite's SQLite test database lives in this
process's memory, so it is copied to a file the server opens (and copied back with
`copy_back_from` to assert with the ORM on what the server left behind).
"""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url_for_test(tmp_path: Path) -> str:
    """A URL another process can open for what this (transactional) test has committed."""
    from django.db import connection

    db = connection.settings_dict
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        path = tmp_path / "archive.sqlite3"
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def copy_back_from(database_url: str) -> None:
    """On SQLite, replace the test's own database with the server's file (opening it recovers
    the WAL, as a restarted server would), so the test asserts on it with the ORM. On
    PostgreSQL the server already wrote into the test's database."""
    from django.db import connection

    if not database_url.startswith("sqlite:///"):
        return
    connection.ensure_connection()
    source = sqlite3.connect(database_url.removeprefix("sqlite:///"))
    source.backup(connection.connection)
    source.close()


def start_worker(module: str, *args: object, database_url: str, **env: str) -> subprocess.Popen:
    """`python -m MODULE ARGS...` in its own OS process against the test's database
    (database_url_for_test): one racer of a concurrency test, calling the services itself.
    Its last line of output is its JSON result (worker_result)."""
    return subprocess.Popen(
        [sys.executable, "-m", module, *map(str, args)],
        env={**os.environ, "DATABASE_URL": database_url, "FANFOLD_TESTING": "1", **env},
        cwd=settings.BASE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def worker_result(process: subprocess.Popen, *, timeout: float = 300) -> Any:
    """Wait for a start_worker process; fail with its error output if it failed."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-3000:]
    return json.loads(out.strip().splitlines()[-1])


class ArchiveServer:
    """gunicorn serving the archive. kill() is SIGKILL to the whole process group (master and
    workers at once, as a power cut or the OOM killer would)."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        *,
        workers: int = 1,
        threads: int = 1,
        env: dict[str, str] | None = None,
        log: Path | None = None,
    ) -> None:
        self.database_url = database_url
        self.data_dir = Path(data_dir)
        self.workers = workers
        self.threads = threads
        self.extra_env = env or {}
        self.log = log or self.data_dir / "server.log"
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "FANFOLD_DATA_DIR": str(self.data_dir),
            # As in production: background work is queued in the database, not run in the
            # request, so the request's own transaction is all the server writes.
            "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            "DJANGO_SETTINGS_MODULE": "fanfold.settings",
            # The same key as this process, so sessions made here are valid there.
            "SECRET_KEY": settings.SECRET_KEY,
            **self.extra_env,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        return env

    def run_queued_tasks(self) -> None:
        """Run the background tasks the server queued (what `fanfold db_worker` does), then
        return."""
        subprocess.run(
            [sys.executable, "-m", "fanfold.manage", "db_worker", "--batch", "--no-startup-delay"],
            env=self.env(),
            cwd=settings.BASE_DIR,
            check=True,
            capture_output=True,
            timeout=300,
        )

    def start(self, timeout: float = 60) -> ArchiveServer:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        env = self.env()
        command = [
            sys.executable, "-m", "gunicorn", "fanfold.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(self.workers), "--threads", str(self.threads),
            "--timeout", "300", "--graceful-timeout", "5",
        ]  # fmt: skip
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=settings.BASE_DIR,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, so kill() takes the workers
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The server exited at start:\n{self.log_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/", timeout=5) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.kill()
        raise RuntimeError(f"The server did not answer in {timeout} s:\n{self.log_text()[-3000:]}")

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.process = None

    def stop(self) -> None:
        """A graceful stop (SIGTERM), for benchmarks."""
        if self.process is None:
            return
        try:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)
        self.process = None


class Browser:
    """A minimal HTTP client with cookies and CSRF tokens, as a browser without JavaScript
    submits forms (urllib: nothing to install, and these tests need nothing more)."""

    def __init__(self, base_url: str, session_cookie: tuple[str, str] | None = None) -> None:
        self.base_url = base_url
        self.cookie = session_cookie
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), _NoRedirect()
        )
        if session_cookie:
            self._set_cookie(*session_cookie)

    def _set_cookie(self, name: str, value: str) -> None:
        cookie = http.cookiejar.Cookie(
            version=0, name=name, value=value, port=None, port_specified=False,
            domain="127.0.0.1", domain_specified=False, domain_initial_dot=False, path="/",
            path_specified=True, secure=False, expires=None, discard=False, comment=None,
            comment_url=None, rest={},
        )  # fmt: skip
        self.cookies.set_cookie(cookie)

    def csrf_token(self) -> str:
        if not self.cookie_value(settings.CSRF_COOKIE_NAME):
            self.get("/")
        return self.cookie_value(settings.CSRF_COOKIE_NAME)

    def cookie_value(self, name: str) -> str:
        return next((c.value or "" for c in self.cookies if c.name == name), "")

    def request(
        self,
        method: str,
        path: str,
        *,
        data: dict | list | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
        timeout: float = 120,
    ) -> tuple[int, str, Any]:
        headers = {"Referer": self.base_url + path}
        body = None
        if method == "POST":
            fields = list(data.items() if isinstance(data, dict) else (data or []))
            fields.append(("csrfmiddlewaretoken", self.csrf_token()))
            if files:
                body, content_type = _multipart(fields, files)
            else:
                body = urllib.parse.urlencode(fields, doseq=True).encode()
                content_type = "application/x-www-form-urlencoded"
            headers["Content-Type"] = content_type
        request = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return response.status, response.read().decode(errors="replace"), response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(errors="replace"), error.headers

    def get(self, path: str, **kwargs) -> tuple[int, str, Any]:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, data=None, **kwargs) -> tuple[int, str, Any]:
        return self.request("POST", path, data=data, **kwargs)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _multipart(fields, files) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields:
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{item}\r\n".encode()
            )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def session_cookie_for(user) -> tuple[str, str]:
    """A logged-in session for `user`, stored in the database the test commits to."""
    from django.test import Client

    client = Client()
    client.force_login(user)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def write_in_progress(database_url: str, table: str) -> bool:
    """Whether another connection is in the middle of a write transaction that has written to
    `table`, seen from outside the way the database itself sees it.

    SQLite: the database's write lock is held (BEGIN IMMEDIATE fails at once; SQLite has one
    writer, so this is the server's transaction). PostgreSQL: a backend other than ours holds a
    row-exclusive lock on the table (taken by its INSERT/UPDATE) and has a transaction id (it
    has written and not yet committed or rolled back)."""
    if database_url.startswith("sqlite:///"):
        db = sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=0)
        try:
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            return "locked" in str(error)
        else:
            db.execute("ROLLBACK")
            return False
        finally:
            db.close()
    import psycopg

    with psycopg.connect(
        database_url.replace("postgres://", "postgresql://"), autocommit=True
    ) as pg:
        row = pg.execute(
            "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation "
            "JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE c.relname = %s AND l.mode = 'RowExclusiveLock' AND l.granted "
            "AND a.pid <> pg_backend_pid() AND a.backend_xid IS NOT NULL "
            "AND a.datname = current_database()",
            [table],
        ).fetchone()
        return bool(row and row[0])


def form_fields(html: str, field: str) -> list[tuple[str, str]]:
    """The fields a browser would submit from the page's POST form that holds `field`: inputs
    with their values, checked boxes, selected options and textareas."""
    from lxml import html as lxml_html

    tree = lxml_html.fromstring(html)
    form = next(f for f in tree.forms if (f.method or "").upper() == "POST" and field in f.fields)
    return [(name, value) for name, value in form.form_values() if name != "csrfmiddlewaretoken"]
