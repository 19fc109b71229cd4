"""What a reader downloads for a page, with everything the page loads.

Xanh under gunicorn (gunicorn.conf.py, as `make serve`), one fresh visit per
page in a new headless Chromium context (empty cache). Bytes are those on the wire
(headers and body as served) and, for comparison, what gzip at level 6 makes
of each body, as a compressing proxy or CDN in front of Xanh would send it.
"""

from __future__ import annotations

import gzip
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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
# Goals: the indicator page under 60 KB with everything it loads, a widget under 15 KB.
BUDGET_KB = {"indicator": 60, "widget": 15}


def visit(browser, url: str) -> dict:  # noqa: ANN001
    """Load one page in a fresh context; sum what every request it made transferred."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    finished: list = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url, wait_until="networkidle")
    origin = urlsplit(url).netloc
    wire = gzipped = 0
    third_party = 0
    for request in finished:
        sizes = request.sizes()
        response = request.response()
        body = response.body() if response else b""
        wire += sizes["responseHeadersSize"] + sizes["responseBodySize"]
        gzipped += sizes["responseHeadersSize"] + len(gzip.compress(body, 6))
        third_party += urlsplit(request.url).netloc != origin
    context.close()
    return {"requests": len(finished), "wire": wire, "gzip": gzipped, "third_party": third_party}


def main() -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    server = start("wsgi:app", port, ROOT)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_FLAGS
            )
            results = {
                name: visit(browser, f"http://127.0.0.1:{port}{path}")
                for name, path in PAGES.items()
            }
            browser.close()
    finally:
        server.terminate()
    print(
        "\nTransfer size of a fresh visit, everything the page loads (goals: indicator page"
        f" under {BUDGET_KB['indicator']} KB, widget under {BUDGET_KB['widget']} KB compressed)"
    )
    print(f"{'page':30} {'requests':>8} {'as served':>10} {'gzip':>8} {'other hosts':>12}")
    for name, r in results.items():
        print(
            f"{name:30} {r['requests']:8d} {r['wire'] / 1024:8.1f} KB {r['gzip'] / 1024:5.1f} KB"
            f" {r['third_party']:12d}"
        )


if __name__ == "__main__":
    main()
