"""The load test: the routes a news spike hits, 64 connections for 30 s each, with wrk.

Xanh and the hello-world baseline run under the same gunicorn.conf.py in the
same run; each route's requests per second is reported as a ratio to the
baseline, with every error wrk saw (socket errors and answers that are not
2xx or 3xx). Clients ask for compressed answers, as browsers do. Figures only.
"""

from __future__ import annotations

import os

from figures import Figure, print_table, rate
from throughput import ROOT, Baseline, ensure_wrk, free_port, start, wrk

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
    return wrk(url, BROWSER, seconds=seconds, connections=CONNECTIONS)


def measure() -> list[Figure]:
    ensure_wrk()
    area = f"load test: {CONNECTIONS} connections for {DURATION} s each (wrk, compressed)"
    hello_port, xanh_port = free_port(), free_port()
    servers = [start("hello:app", hello_port, ROOT / "bench"), start("wsgi:app", xanh_port, ROOT)]
    try:
        load(f"http://127.0.0.1:{hello_port}/", WARM_UP)
        baseline = Baseline(
            f"http://127.0.0.1:{hello_port}/", BROWSER, connections=CONNECTIONS, seconds=DURATION
        )
        figures = []
        for name, path in ROUTES.items():
            url = f"http://127.0.0.1:{xanh_port}{path}"
            load(url, WARM_UP)
            rps, base, errors = baseline.around(lambda url=url: load(url))
            against = f"hello world {rate(base)}"
            figures.append(Figure(area, name, rate(rps), against, rps / base, errors))
        figures.append(baseline.spread(area))
    finally:
        for server in servers:
            server.terminate()
    total = sum(f.errors or 0 for f in figures)
    return [*figures, Figure(area, "errors in all", f"{total}", errors=total)]


if __name__ == "__main__":
    print_table("Load test against hello world, same run", measure())
