"""A throw-away PostgreSQL 15 server on a local socket, as the tests start it.

Debian's binaries are used (installed with apt-get when missing); initdb runs
into a temporary folder and pg_ctl listens only on a Unix socket there, so the
server needs no port and no password and vanishes with the folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

BIN = Path("/usr/lib/postgresql/15/bin")


def postgres_bin() -> Path:
    if not (BIN / "pg_ctl").exists():
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "postgresql-15"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
    assert (BIN / "pg_ctl").exists(), "PostgreSQL 15 could not be installed"
    return BIN


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root; Debian's package made the `postgres` user."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout}{done.stderr}")


class PostgresServer:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.socket = folder / "socket"

    def start(self) -> None:
        binaries = postgres_bin()
        self.socket.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket, "postgres")
        _run(
            _as_server_user(
                [
                    str(binaries / "initdb"),
                    "-D",
                    str(self.data),
                    "-U",
                    "postgres",
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ]
            ),
        )
        self.resume()

    def resume(self) -> None:
        """Start the server on its existing data (after `stop`)."""
        binaries = postgres_bin()
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off"
        _run(
            _as_server_user(
                [
                    str(binaries / "pg_ctl"),
                    "-D",
                    str(self.data),
                    "-o",
                    options,
                    "-w",
                    "-l",
                    str(self.folder / "server.log"),
                    "start",
                ]
            )
        )

    def stop(self) -> None:
        subprocess.run(
            _as_server_user([str(BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "stop"]),
            check=False,
            capture_output=True,
        )

    def create_database(self, template: str | None = None) -> str:
        """A new database, empty or a copy of `template` (a URL this server made).

        Returns its SQLAlchemy URL. A template must have no open connections.
        """
        name = f"xanh_{uuid.uuid4().hex[:12]}"
        copy = ["--template", str(make_url(template).database)] if template else []
        _run([str(BIN / "createdb"), "-h", str(self.socket), "-U", "postgres", *copy, name])
        return f"postgresql+psycopg://postgres@/{name}?host={self.socket}"


@contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server in a new temporary folder; stop it and remove the folder afterwards."""
    if os.environ.get("XANH_TESTS_FAST") == "1":
        pytest.skip("make test-fast runs without PostgreSQL")
    # Not under pytest's temporary folder: the server's user must be able to reach it.
    folder = Path(tempfile.mkdtemp(prefix="xanh-postgres-"))
    folder.chmod(0o755)
    server = PostgresServer(folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
