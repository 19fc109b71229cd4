"""What a reader downloads for a page, with everything the page loads.

Xanh under gunicorn (gunicorn.conf.py, as `make serve`), one fresh visit per
page in a new headless Chromium context (empty cache). Bytes are those on the
wire: headers and bodies as Xanh serves them, compressed as a browser asks.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from figures import Figure, print_table  # noqa: E402
from throughput import ROOT, free_port, start  # noqa: E402

from tests.chromium import CHROMIUM_FLAGS, chromium_path  # noqa: E402

PAGES = {
    "indicator (chart and table)": "/vi/indicators/hai-phong-urban-wastewater-treated/",
    "indicator (no value yet)": "/vi/indicators/bac-giang-urban-solid-waste-treated/",
    "home": "/vi/",
    "plan": "/vi/plans/bac-giang-1026-2022/",
    "compare": "/en/compare/",
    "widget (card)": "/embed/vi/indicators/hai-phong-urban-wastewater-treated",
    "widget (chart)": "/embed/vi/indicators/hai-phong-urban-wastewater-treated?view=chart",
}
# Goals: a page under 60 KB with everything it loads, a widget under 15 KB.
BUDGET_KB = {"widget": 15, "": 60}


def visit(browser, url: str) -> tuple[int, int, int]:  # noqa: ANN001
    """Load one page in a fresh context: its requests, the bytes they took on the wire
    (headers and bodies as served), and how many went to another host."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    origin = urlsplit(url).netloc
    wire = sum(r.sizes()["responseHeadersSize"] + r.sizes()["responseBodySize"] for r in finished)
    elsewhere = sum(urlsplit(r.url).netloc != origin for r in finished)
    context.close()
    return len(finished), wire, elsewhere


def budget(name: str) -> int:
    return next(kb for kind, kb in BUDGET_KB.items() if name.startswith(kind))


def measure() -> list[Figure]:
    from playwright.sync_api import sync_playwright

    area = "transfer: a fresh visit at 360 px, all it loads (errors: requests to other hosts)"
    port = free_port()
    server = start("wsgi:app", port, ROOT)
    figures = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            for name, path in PAGES.items():
                requests, wire, elsewhere = visit(browser, f"http://127.0.0.1:{port}{path}")
                figures.append(
                    Figure(
                        area,
                        name,
                        f"{wire / 1024:.1f} KB in {requests} requests",
                        f"goal {budget(name)} KB",
                        wire / 1024 / budget(name),
                        # A request to another host is a failure here: nothing may load from one.
                        errors=elsewhere,
                    )
                )
            browser.close()
    finally:
        server.terminate()
    return figures


if __name__ == "__main__":
    print_table("What a reader downloads", measure())
