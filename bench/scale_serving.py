"""Served at 1x, 10x and 40x today's content: worker memory and publish-to-visible.

One server under gunicorn.conf.py with four workers, on SQLite, for each scale of
content from `bench/generate.py`. After a warm-up (every summary and list page, each
asked 40 times, so each worker has rendered and cached them), the resident memory of
each worker is read from /proc. Then an editor publishes a value, and the server is
asked on four connections at once, every 20 ms, until 40 answers in a row show it
(four workers behind one socket: the answers come from all of them) and until search
finds it. Figures only: the goals are a publish on every worker within 1 s and in
search within 2 s at 40x, and worker memory under 1.5 times what it is at 1x.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from figures import Figure, print_table
from memory import ask, resident
from publish import INDICATOR, PASSWORD, REPORT, flask, publish
from scale import PAGES, SCALES, content_at, growth_figures
from throughput import ROOT, free_port, start

WORKERS = 4
UNITS = {
    "worker memory, median": "MB",
    "worker memory, largest": "MB",
    "publish to every worker": "s",
    "publish to search": "s",
}
IN_A_ROW = 40
VALUE = "77,7"


def workers_of(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def shows(url: str, text: str) -> bool:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return text in answer.read().decode()


def until_everywhere(url: str, text: str, published: float) -> float | None:
    """Seconds from the publish until IN_A_ROW answers in a row, on WORKERS connections
    at once, show `text`; None when not within 60 s."""
    in_a_row = 0
    with ThreadPoolExecutor(WORKERS) as pool:
        while time.monotonic() - published < 60:
            answers = list(pool.map(lambda _: shows(url, text), range(WORKERS)))
            in_a_row = in_a_row + WORKERS if all(answers) else 0
            if in_a_row >= IN_A_ROW:
                return time.monotonic() - published
            time.sleep(0.02)
    return None


def until_found(url: str, text: str, published: float) -> float | None:
    while time.monotonic() - published < 60:
        if shows(url, text):
            return time.monotonic() - published
        time.sleep(0.02)
    return None


def measure_scale(scale: int, folder: Path) -> dict[str, float | None]:
    content = content_at(scale, folder)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder}/x{scale}.db",
        "XANH_CONTENT_DIR": str(content),
        "XANH_SEARCH_INDEX": str(folder / f"ix{scale}"),
        "XANH_SECURE_COOKIES": "0",  # plain HTTP on loopback
    }
    flask(env, "db", "upgrade")
    flask(env, "content", "load")
    account = ("accounts", "create", "bench@xanh.example", "--name", "Bench")
    flask(env, *account, "--agency", "bac-giang-donre", "--password-stdin", stdin=PASSWORD)
    port = free_port()
    served = {k: env[k] for k in env if k.startswith(("DATABASE", "XANH"))}
    server = start("wsgi:app", port, ROOT, WEB_CONCURRENCY=str(WORKERS), **served)
    base = f"http://127.0.0.1:{port}"
    try:
        ask(port, [*PAGES.values(), f"/api/v1/indicators/{INDICATOR}"] * 40)
        memory = [resident(pid) / 1024 / 1024 for pid in workers_of(server.pid)]
        published = publish(base, VALUE)
        record = f"{base}/api/v1/indicators/{INDICATOR}"
        search = f"{base}/api/v1/search?q={urllib.parse.quote(REPORT)}&lang=vi"
        with ThreadPoolExecutor(2) as pool:
            everywhere = pool.submit(until_everywhere, record, "77.7", published)
            found = pool.submit(until_found, search, INDICATOR, published)
            return {
                "worker memory, median": statistics.median(memory),
                "worker memory, largest": max(memory),
                "publish to every worker": everywhere.result(),
                "publish to search": found.result(),
            }
    finally:
        server.terminate()
        server.wait()


def shown(value: float | None, unit: str) -> str:
    if value is None:
        return "not within 60 s"
    return f"{value:,.0f}" if unit == "MB" else f"{value:.2f}"


def measure() -> list[Figure]:
    area = f"served at {', '.join(f'{s}x' for s in SCALES)} content ({WORKERS} workers, SQLite)"
    with tempfile.TemporaryDirectory() as name:
        results = {scale: measure_scale(scale, Path(name)) for scale in SCALES}
    return growth_figures(area, results, UNITS, shown)


if __name__ == "__main__":
    print_table("Worker memory and publish-to-visible as the content grows", measure())
