"""The load test: the routes a news spike hits, 64 connections for 30 s each, with wrk.

Xanh and the hello-world baseline run under the same gunicorn.conf.py in the
same run; each route's requests per second is reported as a ratio to the
baseline, with every error wrk saw (socket errors and answers that are not
2xx or 3xx). Clients ask for compressed answers, as browsers do. Figures only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

from throughput import ROOT, free_port, start

DURATION = os.environ.get("LOAD_SECONDS", "30")
CONNECTIONS = os.environ.get("LOAD_CONNECTIONS", "64")
WARM_UP = "5"
ROUTES = {
    "home": "/vi/",
    "indicator": "/vi/indicators/hai-phong-urban-wastewater-treated/",
    "widget": "/embed/vi/indicators/hai-phong-urban-wastewater-treated?view=chart",
    "search": "/vi/search?q=rac+thai",
    "API": "/api/v1/indicators/hai-phong-urban-wastewater-treated",
}
BROWSER = "Accept-Encoding: gzip, deflate, br"


def load(url: str, seconds: str = DURATION) -> tuple[float, int]:
    """Requests per second, and errors: socket errors plus non-2xx/3xx answers."""
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s", "-H", BROWSER, url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, errors + (int(bad.group(1)) if bad else 0)


def main() -> None:
    if shutil.which("wrk") is None:
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True)
    hello_port, xanh_port = free_port(), free_port()
    servers = [start("hello:app", hello_port, ROOT / "bench"), start("wsgi:app", xanh_port, ROOT)]
    results: list[tuple[str, float, int]] = []
    try:
        load(f"http://127.0.0.1:{hello_port}/", WARM_UP)
        baseline, errors = load(f"http://127.0.0.1:{hello_port}/")
        results.append(("hello world (baseline)", baseline, errors))
        for name, path in ROUTES.items():
            load(f"http://127.0.0.1:{xanh_port}{path}", WARM_UP)
            results.append((name, *load(f"http://127.0.0.1:{xanh_port}{path}")))
    finally:
        for server in servers:
            server.terminate()
    print(f"\nLoad test: {CONNECTIONS} connections for {DURATION} s per route (wrk, compressed)")
    print(f"{'route':26} {'req/s':>9} {'ratio':>7} {'errors':>7}")
    for name, rps, errors in results:
        print(f"{name:26} {rps:9.0f} {rps / baseline:7.2f} {errors:7d}")
    print(f"errors in all: {sum(e for _, _, e in results)}")


if __name__ == "__main__":
    main()
