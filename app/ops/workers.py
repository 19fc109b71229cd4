"""Worker restarts since the server started, so that a crash shows in /health.

gunicorn's master learns of every worker that ends (its `child_exit` hook, set in
gunicorn.conf.py) and keeps the count in a small file; the workers read it. The
file's path reaches them through the environment, set before they are forked.
Workers the master stops on shutdown are not counted; any other end is: a crash
(SIGSEGV, out of memory), a timeout, a reload.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

COUNTER_PATH = "XANH_WORKER_RESTARTS_FILE"


def start_counting() -> Path:
    """Make the count file (at 0) and tell the workers to come where it is."""
    fd, name = tempfile.mkstemp(prefix="xanh-worker-restarts-")
    os.write(fd, b"0")
    os.close(fd)
    os.environ[COUNTER_PATH] = name
    return Path(name)


def stop_counting() -> None:
    name = os.environ.pop(COUNTER_PATH, None)
    if name:
        Path(name).unlink(missing_ok=True)


def worker_restarts() -> int | None:
    """How many workers ended while the server ran; None when not under gunicorn."""
    name = os.environ.get(COUNTER_PATH)
    if not name:
        return None
    try:
        return int(Path(name).read_text() or 0)
    except (OSError, ValueError):
        return None


def count_worker_exit(server: Any, worker: Any) -> None:
    """gunicorn's child_exit hook: count and log a worker's end unless the server is stopping."""
    if not server.LISTENERS:  # gunicorn closes its sockets before it stops the workers
        return
    count = (worker_restarts() or 0) + 1
    path = Path(os.environ[COUNTER_PATH])
    spare = path.with_name(path.name + ".new")
    spare.write_text(str(count))
    spare.replace(path)  # workers never read half a number
    record = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "event": "worker_exit",
        "pid": worker.pid,
        "worker_restarts": count,
    }
    print(json.dumps(record), file=sys.stderr, flush=True)
