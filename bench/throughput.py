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
import time
import urllib.request
from pathlib import Path

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


def wrk(url: str, *headers: str) -> tuple[float, int]:
    """Return requests per second and the count of non-2xx/3xx answers."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}s", *[f"-H{h}" for h in headers], url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, int(bad.group(1)) if bad else 0


def main() -> None:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    results: list[tuple[str, float, int]] = []
    hello_port, xanh_port, bare_port = free_port(), free_port(), free_port()
    servers = [
        start("hello:app", hello_port, ROOT / "bench"),
        start("wsgi:app", xanh_port, ROOT),
        # The same site with its page cache off: what rendering a page costs.
        start("wsgi:app", bare_port, ROOT, XANH_PAGE_CACHE="0"),
    ]
    try:
        wrk(f"http://127.0.0.1:{hello_port}/")  # warm-up
        baseline, bad = wrk(f"http://127.0.0.1:{hello_port}/")
        results.append(("hello world (baseline)", baseline, bad))
        for port, label in ((xanh_port, ""), (bare_port, " (cache off)")):
            for name, path in ROUTES.items():
                wrk(f"http://127.0.0.1:{port}{path}")  # warm-up
                rps, bad = wrk(f"http://127.0.0.1:{port}{path}")
                results.append((name + label, rps, bad))
            for name, path in REVALIDATED.items():
                url = f"http://127.0.0.1:{port}{path}"
                with urllib.request.urlopen(url) as answer:
                    etag = answer.headers["ETag"]
                wrk(url, f"If-None-Match: {etag}")  # warm-up
                rps, bad = wrk(url, f"If-None-Match: {etag}")
                results.append((name + label, rps, bad))
    finally:
        for server in servers:
            server.terminate()
    print(f"\nThroughput, {CONNECTIONS} connections for {DURATION}s each (gunicorn.conf.py, wrk)")
    print(f"{'route':44} {'req/s':>10} {'ratio':>7} {'errors':>7}")
    for name, rps, bad in results:
        print(f"{name:44} {rps:10.0f} {rps / baseline:7.2f} {bad:7d}")


if __name__ == "__main__":
    main()
