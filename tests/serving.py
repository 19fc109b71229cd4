"""The site as production runs it: set up by the real CLI commands, served by gunicorn."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.config import ROOT

BIN = Path(sys.executable).parent


def site_environment(url: str, index: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "DATABASE_URL": url, "XANH_SEARCH_INDEX": str(index), **extra}


def flask_command(
    url: str, index: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `flask --app wsgi …` as `make load` does, with DATABASE_URL set."""
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=site_environment(url, index, **(env or {})),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_site(
    url: str,
    index: Path,
    workers: int | None = 2,
    log: Path | None = None,
    port: int | None = None,
    **env: str,
) -> Iterator[str]:
    """Migrate and load the database as `make load` does, serve it; yield the base URL.

    `env` goes to the commands and the server alike (XANH_CONTENT_DIR, for one).
    `workers=None` keeps gunicorn.conf.py's number; `log` keeps what the server writes;
    `port`, chosen beforehand, lets the site know its own address (XANH_PUBLIC_URL).
    """
    for command in (["db", "upgrade"], ["content", "load"]):
        done = flask_command(url, index, *command, env=env)
        assert done.returncode == 0, done.stderr
    port = port or free_port()
    output = log.open("wb") if log else subprocess.DEVNULL
    process = subprocess.Popen(
        [
            *(BIN / "gunicorn", "--config", "gunicorn.conf.py"),
            *(("--workers", str(workers)) if workers else ()),
            *("--bind", f"127.0.0.1:{port}", "wsgi:app"),
        ],
        cwd=ROOT,
        env=site_environment(url, index, **env),
        stdout=output,
        stderr=output,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/vi/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            output.close()


def gunicorn_workers(base: str) -> list[int]:
    """The pids of the workers of the gunicorn_site serving `base` (children of its master)."""
    bind = f"127.0.0.1:{urllib.parse.urlsplit(base).port}".encode()
    serving = {}
    for proc in Path("/proc").iterdir():
        try:
            command = (proc / "cmdline").read_bytes().split(b"\0")
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        if bind in command:
            serving[int(proc.name)] = parent
    return sorted(pid for pid, parent in serving.items() if parent in serving)
