"""A private PostgreSQL server in a temporary directory, for the test suite and benchmarks.

It uses the Debian server binaries directly (initdb + pg_ctl) so no system cluster, service or
password is involved, and it is thrown away afterwards. PostgreSQL refuses to run as root, so
as root the server runs as the `postgres` system user that the Debian package creates."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


class PostgresNotInstalled(RuntimeError):
    pass


def _bin_dir() -> Path:
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
    )
    if not candidates:
        raise PostgresNotInstalled(
            "PostgreSQL server binaries were not found under /usr/lib/postgresql "
            "(install the Debian package 'postgresql'; `make test` does this as root)."
        )
    return Path(candidates[-1]).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class TemporaryPostgres:
    def __init__(self, *, tuned_for_tests: bool = True, directory: Path | None = None) -> None:
        """directory: keep the server's files there (a benchmark's archive, built once and
        measured again later); a server already initialised there is started as it is."""
        self.bin = _bin_dir()
        self.tuned_for_tests = tuned_for_tests
        self.kept = directory is not None
        if directory is not None:
            directory.mkdir(parents=True, exist_ok=True)
            self.dir = directory
        else:
            self.dir = Path(tempfile.mkdtemp(prefix="fanfold-pg-"))
        self.data = self.dir / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0

    def _run(self, *args: str | int | Path) -> None:
        command = [str(a) for a in args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    @property
    def url(self) -> str:
        return f"postgres://fanfold@127.0.0.1:{self.port}/fanfold"

    def start(self) -> TemporaryPostgres:
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
        existing = (self.data / "PG_VERSION").exists()
        if not existing:
            self._run(
                self.bin / "initdb", "-D", self.data, "-U", "fanfold", "--auth=trust",
                "-E", "UTF8", "--locale=C.UTF-8",
            )  # fmt: skip
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1"
        if self.tuned_for_tests:
            # Durability is worthless for a throw-away test database; speed is not.
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        self._run(
            self.bin / "pg_ctl", "-D", self.data, "-o", options, "-l", self.dir / "server.log",
            "-w", "start",
        )  # fmt: skip
        if not existing:
            self._run(self.bin / "createdb", "-h", "127.0.0.1", "-p", self.port, "-U", "fanfold",
                      "fanfold")  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            # A kept server stops cleanly (its files are used again); a throw-away one at once.
            mode = "fast" if self.kept else "immediate"
            self._run(self.bin / "pg_ctl", "-D", self.data, "-m", mode, "-w", "stop")
        finally:
            if not self.kept:
                shutil.rmtree(self.dir, ignore_errors=True)
