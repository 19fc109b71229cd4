"""Lighthouse on every page type, in both languages, mobile profile (its default: a
mid-range phone on a slow 4G connection), against Debian's Chromium and the site served
as production serves it. Reports the four category scores, LCP, CLS and the bytes a
first visit transfers, against the goals: 100 for accessibility, best practices and SEO,
95 or more for performance, under 60 KB per page.

Lighthouse comes from the npm registry (pinned below), installed once into .cache/.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures import Figure, print_table  # noqa: E402
from pages import LANGS, PAGE_TYPES  # noqa: E402

from tests.chromium import CHROMIUM_FLAGS, chromium_path  # noqa: E402
from tests.serving import gunicorn_site  # noqa: E402

VERSION = "12.8.2"
TOOL = ROOT / ".cache" / f"lighthouse-{VERSION}"
CATEGORIES = {
    "performance": 95,
    "accessibility": 100,
    "best-practices": 100,
    "seo": 100,
}
BUDGET_KB = 60


def lighthouse() -> Path:
    binary = TOOL / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        subprocess.run(
            [
                "npm",
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(TOOL),
                f"lighthouse@{VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return binary


def audit(binary: Path, url: str, attempts: int = 2) -> dict:
    """Lighthouse's report on one page. A run whose browser fails to start (the machines
    are shared) is tried again."""
    for attempt in range(attempts):
        with tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "report.json"
            done = subprocess.run(
                [
                    str(binary),
                    url,
                    "--quiet",
                    "--output=json",
                    f"--output-path={report}",
                    f"--chrome-flags={' '.join(CHROMIUM_FLAGS)}",
                ],
                env={**os.environ, "CHROME_PATH": chromium_path()},
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode == 0:
                return json.loads(report.read_text(encoding="utf-8"))
        if attempt == attempts - 1:
            raise RuntimeError(f"Lighthouse failed on {url}: {done.stderr[-500:]}")
    raise AssertionError("unreachable")


def figures_of(name: str, report: dict) -> list[Figure]:
    """The scores against the goals. A widget asks search engines not to index it (it is
    part of other sites' pages), which Lighthouse's SEO score counts against it."""
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    goals = dict(CATEGORIES)
    if report["audits"]["is-crawlable"]["score"] == 0 and name.startswith("widget"):
        goals.pop("seo")
    audits = report["audits"]
    kb = audits["total-byte-weight"]["numericValue"] / 1024
    shortfalls = [f"{key} {scores[key]}" for key, goal in goals.items() if scores[key] < goal]
    return [
        Figure(
            "lighthouse (mobile): performance · accessibility · best practices · SEO",
            name,
            " · ".join(str(scores[key]) for key in CATEGORIES),
            "goal "
            + " · ".join(str(goals.get(key, "- (noindex)")) for key in CATEGORIES)
            + (f"; below: {', '.join(shortfalls)}" if shortfalls else ""),
        ),
        Figure(
            "lighthouse (mobile): LCP, CLS and bytes of a first visit",
            name,
            f"{audits['largest-contentful-paint']['numericValue'] / 1000:.2f} s · "
            f"{audits['cumulative-layout-shift']['numericValue']:.3f} · {kb:.1f} KB",
            f"goal under {BUDGET_KB} KB",
            kb / BUDGET_KB,
        ),
    ]


def measure() -> list[Figure]:
    binary = lighthouse()
    found: list[Figure] = []
    with tempfile.TemporaryDirectory() as folder:
        with gunicorn_site(f"sqlite:///{folder}/xanh.db", Path(folder) / "index") as base:
            for name, path in PAGE_TYPES.items():
                for lang in LANGS:
                    found += figures_of(
                        f"{name} ({lang})", audit(binary, base + path.format(lang=lang))
                    )
    return sorted(found, key=lambda f: f.area, reverse=True)


if __name__ == "__main__":
    print_table("Lighthouse on every page type, against the goals", measure())
