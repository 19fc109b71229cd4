"""Pages and content loads at 1x, 10x and 40x today's content, with each growth factor.

Content is generated from the real structure (`bench/generate.py`, the generator of
the crash tests). Each page is rendered with the page cache off, warmed twice, then
timed 20 times: the median is reported. "Loading again" is `content load` on a
database that already holds the same content (what every deploy does). Figures only:
the goal for uncached summary and list pages is under 30 ms at 40x, and content
loading again under 10 s.
"""

from __future__ import annotations

import logging
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from figures import Figure, print_table

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALES = tuple(int(s) for s in os.environ.get("BENCH_SCALES", "1,10,40").split(","))
TIMES = 20
PAGES = {
    "home": "/vi/",
    "provinces": "/vi/provinces/",
    "province": "/vi/provinces/bac-giang/",
    "plan": "/vi/plans/bac-giang-1026-2022/",
    "plan list": "/vi/plans/",
    "target list": "/vi/indicators/",
    "compare": "/vi/compare/",
    "/api/v1/indicators, first page": "/api/v1/indicators",
    "/api/v1/plans, first page": "/api/v1/plans",
}


def content_at(scale: int, folder: Path) -> Path:
    if scale == 1:
        return ROOT / "content"
    out = folder / f"x{scale}"
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "generate.py"), "--scale", str(scale), str(out)],
        check=True,
        capture_output=True,
    )
    return out


def measure_scale(scale: int, folder: Path) -> dict[str, float]:
    from app import create_app
    from app.config import Config
    from app.content.loader import load_content
    from app.database import create_schema
    from app.extensions import db
    from app.ops.logs import logger

    content = content_at(scale, folder)
    app = create_app(
        Config(
            database_url=f"sqlite:///{folder / f'x{scale}.db'}",
            content_dir=content,
            search_index_dir=folder / f"ix{scale}",
            page_cache=False,
        )
    )
    logger.setLevel(logging.WARNING)  # the table, not a log line per request
    found: dict[str, float] = {}
    with app.app_context():
        create_schema()
        load_content(content)
        db.session.remove()
        started = time.perf_counter()
        load_content(content)
        found["content load, again"] = time.perf_counter() - started
        db.session.remove()
    client = app.test_client()
    for name, path in PAGES.items():
        for _ in range(2):
            client.get(path)
        times = []
        for _ in range(TIMES):
            started = time.perf_counter()
            answer = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, path
        found[name] = statistics.median(times)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    return found


def growth_figures(
    area: str,
    results: dict[int, dict[str, float | None]],
    units: dict[str, str],
    shown: Callable[[float | None, str], str],
) -> list[Figure]:
    """One figure per measure: its value at each scale, and its growth from the first."""
    first, last = SCALES[0], SCALES[-1]
    scales = " · ".join(f"{s}x" for s in SCALES)
    figures = []
    for key, unit in units.items():
        low, high = results[first][key], results[last][key]
        figures.append(
            Figure(
                area,
                f"{key} ({unit} at {scales})",
                " · ".join(shown(results[s][key], unit) for s in SCALES),
                f"{first}x",
                high / low if low and high else None,
            )
        )
    return figures


def _shown(value: float | None, unit: str) -> str:
    return "-" if value is None else f"{value:,.{2 if unit == 's' else 1}f}"


def measure() -> list[Figure]:
    area = f"scale: {', '.join(f'{s}x' for s in SCALES)} today's content (SQLite, cache off)"
    with tempfile.TemporaryDirectory() as name:
        results: dict[int, dict[str, float | None]] = {
            scale: dict(measure_scale(scale, Path(name))) for scale in SCALES
        }
    units = {"content load, again": "s", **dict.fromkeys(PAGES, "ms")}
    return growth_figures(area, results, units, _shown)


if __name__ == "__main__":
    print_table(
        "Pages and loads as the content grows (ratio: growth from the first scale)", measure()
    )
