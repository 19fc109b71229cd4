"""A worker's memory after 10,000 requests no one made before.

One worker (WEB_CONCURRENCY=1) under gunicorn.conf.py; its resident memory is read
from /proc before and after: 10,000 home pages with a junk query string each (the
cache keeps none of them), then 10,000 different searches (each a real page, kept in
the cache up to its byte limit). Figures only.
"""

from __future__ import annotations

import http.client
import os
from pathlib import Path

from figures import Figure, print_table
from throughput import ROOT, free_port, start

REQUESTS = int(os.environ.get("MEMORY_REQUESTS", "10000"))


def resident(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")


def worker_of(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0])


def ask(port: int, paths: list[str]) -> int:
    """Send each path on one kept-alive connection; return how many answered 200."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    ok = 0
    for path in paths:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        answer = conn.getresponse()
        answer.read()
        ok += answer.status == 200
    conn.close()
    return ok


def megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:+.1f} MB"


def measure() -> list[Figure]:
    area = f"memory: one worker, {REQUESTS:,} new addresses"
    port = free_port()
    server = start("wsgi:app", port, ROOT, WEB_CONCURRENCY="1")
    try:
        worker = worker_of(server.pid)
        ask(port, ["/vi/", "/vi/search?q=rac+thai"] * 50)  # warm-up: the first pages in
        before = resident(worker)
        ok = ask(port, [f"/vi/?utm_source={n}&x=junk{n}" for n in range(REQUESTS)])
        after_junk = resident(worker)
        ask(port, [f"/vi/search?q=rac+thai+{n}" for n in range(REQUESTS)])
        after_search = resident(worker)
    finally:
        server.terminate()
    start_mb = f"{before / 1024 / 1024:.0f} MB before"
    return [
        Figure(
            area,
            "home with a junk query string",
            megabytes(after_junk - before),
            start_mb,
            errors=REQUESTS - ok,
        ),
        Figure(
            area,
            "then as many different searches",
            megabytes(after_search - after_junk),
            "cache limit 64 MB",
        ),
    ]


if __name__ == "__main__":
    print_table("A worker's memory after new addresses", measure())
