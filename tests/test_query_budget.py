"""Pages that summarise or list cost what they show, not what exists: at ten times today's
content they issue no more SQL queries than a fixed budget, and no more than at today's.

A page that read its rows' relations one at a time (a plan's duties, a province's
plans, a campaign's provinces) grew by one query per row; at national scale that was
2,308 queries for one page of /api/v1/plans.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import event

from app.config import ROOT
from app.content.loader import load_content
from app.extensions import db
from tests.conftest import make_app, settle

# Each summary or list page, and the most queries it may issue, whatever the content size.
BUDGET = {
    "/vi/": 35,  # a dozen sections, each a bounded read
    "/en/provinces/": 20,
    "/vi/plans/": 15,
    "/vi/indicators/": 30,
    "/en/compare/": 20,
    "/vi/campaigns/": 10,
    "/vi/feed.atom": 20,
    "/sitemap.xml": 10,
    "/api/v1/indicators": 20,
    "/api/v1/plans": 30,
    "/api/v1/campaigns": 20,  # with each campaign's pledge count
    "/api/v1/comparisons": 15,
    # One item's page: bounded by that item, not by the site.
    "/vi/provinces/bac-giang/": 35,
    "/vi/plans/bac-giang-1026-2022/": 35,
}


@pytest.fixture(scope="module")
def scaled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("content") / "x10"
    subprocess.run(
        [sys.executable, "bench/generate.py", "--scale", "10", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def site_on(content: Path, folder: Path) -> Iterator[Flask]:
    app = make_app(folder / "xanh.db", content, page_cache=False, search_index_dir=folder / "ix")
    with app.app_context():
        load_content(content)
        db.session.remove()
    yield app
    settle(app)


def queries_per_page(app: Flask) -> dict[str, int]:
    counted = {"n": 0}

    def count(*_: object) -> None:
        counted["n"] += 1

    with app.app_context():
        engine = db.engine
    client = app.test_client()
    found = {}
    event.listen(engine, "before_cursor_execute", count)
    try:
        for path in BUDGET:
            assert client.get(path).status_code == 200, path  # a first, warming request
            counted["n"] = 0
            assert client.get(path).status_code == 200, path
            found[path] = counted["n"]
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return found


def test_summary_and_list_pages_stay_within_their_query_budget(
    scaled: Path, tmp_path: Path
) -> None:
    today = next(site_on(ROOT / "content", tmp_path / "x1"))
    national = next(site_on(scaled, tmp_path / "x10"))
    at_1, at_10 = queries_per_page(today), queries_per_page(national)
    over = {p: n for p, n in at_10.items() if n > BUDGET[p]}
    assert over == {}, f"over budget at 10x: {over}"
    # None grows with the content (a query or two may differ with the data's shape).
    grown = {p: (at_1[p], n) for p, n in at_10.items() if n > at_1[p] + 3}
    assert grown == {}, f"queries grew with the content (1x, 10x): {grown}"


def test_at_national_scale_home_shows_a_few_of_each_and_links_to_every_list(
    scaled: Path, tmp_path: Path
) -> None:
    """Home cannot list every plan, campaign and province once there are dozens: it shows
    the newest plans, the first campaigns and the provinces with most targets still
    without a figure, and says how many there are, with a link to each full list."""
    import re
    from collections import Counter

    from sqlalchemy import func, select

    from app.campaigns.models import Campaign
    from app.indicators.models import Indicator, Observation
    from app.plans.models import Plan

    site = next(site_on(scaled, tmp_path / "x10"))
    with site.app_context():
        plans = db.session.scalar(select(func.count()).select_from(Plan))
        campaigns = db.session.scalar(select(func.count()).select_from(Campaign))
        silent = db.session.scalars(
            select(Plan.province_id)
            .join(Indicator.plan)
            .where(~select(Observation.id).where(Observation.indicator_id == Indicator.id).exists())
        ).all()
        awaiting = Counter(silent)
    html = site.test_client().get("/en/").get_data(as_text=True)
    assert f'<a href="/en/plans/">All {plans} plans</a>' in html
    assert f'<a href="/en/campaigns/">All {campaigns} campaigns</a>' in html
    owed = html[html.index('aria-labelledby="owed"') :]
    owed = owed[: owed.index("</section>")]
    shown = [
        int(n) for n in re.findall(r'<span class="count">(\d+) targets?</span></a></h3>', owed)
    ]
    assert len(shown) == 6 and shown == sorted(awaiting.values(), reverse=True)[:6]
    assert f"of {len(awaiting)}" in owed and 'href="/en/provinces/#progress"' in owed
    assert html.count('<li class="card"><h3><a href="/en/plans/') == 6
