"""Requests per second of Xanh's pages against a hello-world app in the same run.

Both apps run under gunicorn with the same gunicorn.conf.py that `make serve`
uses; the load comes from wrk (Debian's package) on loopback. Figures only:
this machine is shared and noisy, so the ratio to the baseline is what counts.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from figures import Figure, print_table, rate

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DURATION = os.environ.get("BENCH_SECONDS", "10")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
ROUTES = {
    "home": "/vi/",
    "indicator": "/vi/indicators/bac-giang-urban-solid-waste-treated/",
    "indicator (chart)": "/vi/indicators/hai-phong-urban-wastewater-treated/",
    "plan": "/vi/plans/bac-giang-1026-2022/",
    "compare": "/vi/compare/",
    "widget (chart)": "/embed/vi/indicators/hai-phong-urban-wastewater-treated?view=chart",
}
# Routes measured again as a browser or CDN that holds a copy asks for them: with its ETag.
REVALIDATED = {"widget (chart), If-None-Match": ROUTES["widget (chart)"]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(module: str, port: int, cwd: Path, **extra_env: str) -> subprocess.Popen:
    env = {**os.environ, "PORT": str(port), **extra_env}
    process = subprocess.Popen(
        [
            BIN / "gunicorn",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            module,
        ],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError(f"{module} did not start")


def ensure_wrk() -> None:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)


def wrk(
    url: str,
    *headers: str,
    seconds: str = DURATION,
    connections: str = CONNECTIONS,
    script: Path | None = None,
) -> tuple[float, int]:
    """Requests per second, and errors: socket errors plus answers that are not 2xx/3xx."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s"]
        + [f"-H{h}" for h in headers]
        + (["-s", str(script)] if script else [])
        + [url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, errors + (int(bad.group(1)) if bad else 0)


class Baseline:
    """Hello world, measured again beside every figure: these machines are shared, and
    one run saw it at 4,062 req/s and later at 9,100. Each figure is divided by the mean
    of the baseline just before and just after it; the spread is reported."""

    def __init__(
        self, url: str, *headers: str, connections: str = CONNECTIONS, seconds: str = DURATION
    ) -> None:
        self.url, self.headers, self.connections = url, headers, connections
        self.seconds = seconds
        self.seen: list[float] = []
        self.last = self._measure()

    def _measure(self) -> float:
        rps, _ = wrk(self.url, *self.headers, connections=self.connections, seconds=self.seconds)
        self.seen.append(rps)
        return rps

    def around(self, figure: Callable[[], tuple[float, int]]) -> tuple[float, float, int]:
        """The figure's requests/s, the baseline around it, and its errors."""
        before = self.last
        rps, bad = figure()
        self.last = self._measure()
        return rps, (before + self.last) / 2, bad

    def spread(self, area: str) -> Figure:
        low, high = min(self.seen), max(self.seen)
        return Figure(
            area,
            f"hello world, {len(self.seen)} runs (baseline)",
            f"{rate(low)} – {rate(high)}",
            "its own lowest",
            high / low,
        )


JUNK = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, "%s?utm_source=" .. counter .. "&x=" .. math.random(1e9))
end
"""


def with_junk(url: str, path: str, folder: Path) -> tuple[float, int]:
    """Every request with a query string no one sent before."""
    script = folder / "junk.lua"
    script.write_text(JUNK % path, encoding="utf-8")
    return wrk(url, script=script)


def measure() -> list[Figure]:
    ensure_wrk()
    area = f"throughput: {CONNECTIONS} connections for {DURATION} s each (wrk)"
    hello_port, xanh_port, bare_port = free_port(), free_port(), free_port()
    servers = [
        start("hello:app", hello_port, ROOT / "bench"),
        start("wsgi:app", xanh_port, ROOT),
        # The same site with its page cache off: what rendering a page costs.
        start("wsgi:app", bare_port, ROOT, XANH_PAGE_CACHE="0"),
    ]
    try:
        wrk(f"http://127.0.0.1:{hello_port}/")  # warm-up
        baseline = Baseline(f"http://127.0.0.1:{hello_port}/")
        figures: list[Figure] = []

        def add(name: str, url: str, *headers: str, against_name: str = "hello world") -> float:
            wrk(url, *headers)  # warm-up
            rps, base, bad = baseline.around(lambda: wrk(url, *headers))
            figures.append(
                Figure(area, name, rate(rps), f"{against_name} {rate(base)}", rps / base, bad)
            )
            return rps

        for port, label in ((xanh_port, ""), (bare_port, " (cache off)")):
            for name, path in ROUTES.items():
                add(name + label, f"http://127.0.0.1:{port}{path}")
            for name, path in REVALIDATED.items():
                url = f"http://127.0.0.1:{port}{path}"
                with urllib.request.urlopen(url) as answer:
                    etag = answer.headers["ETag"]
                add(name + label, url, f"If-None-Match: {etag}")
        # A query string no one sent before: the cache key holds only what the page reads.
        cached = next(f for f in figures if f.name == "home")
        with tempfile.TemporaryDirectory() as folder:
            rps, bad = with_junk(f"http://127.0.0.1:{xanh_port}", ROUTES["home"], Path(folder))
        cached_rps = float(cached.value.split()[0].replace(",", ""))
        figures.append(
            Figure(
                area,
                "home, a new junk query string each time",
                rate(rps),
                f"home {cached.value}",
                rps / cached_rps,
                bad,
            )
        )
        figures.append(baseline.spread(area))
    finally:
        for server in servers:
            server.terminate()
    return figures


if __name__ == "__main__":
    print_table("Throughput against hello world, same run", measure())
