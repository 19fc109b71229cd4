"""Lists filter and scoreboards count by each indicator's stored status (issue 22): what
they show must be what each indicator's own page says, after a publish and as the date
moves. Every test runs on SQLite and again on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from types import SimpleNamespace

import pytest
from flask import Flask
from flask_babel import force_locale
from sqlalchemy import select, update

from app import queries
from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import progress
from app.indicators.status import STATUSES
from app.indicators.stored import Stored
from app.publishing import SiteState
from tests.admin_helpers import Editor
from tests.html_tables import read_tables

WASTE = "bac-giang-urban-solid-waste-treated"  # no figure yet; Bắc Giang's DONRE reports it


def computed(app: Flask, day: dt.date) -> dict[str, Stored]:
    """Each indicator's status and report state on `day`, worked out in full."""
    with app.app_context():
        indicators = db.session.scalars(select(Indicator)).all()
        found = {i.slug: Stored.of(progress(i, day)) for i in indicators}
        db.session.remove()
    return found


def expected_board(app: Flask, stored: dict[str, Stored]) -> dict[str, int]:
    """The totals row the provinces page should show for these statuses."""
    targets = [s for s in stored.values() if not s.without_target]
    with app.test_request_context("/en/"), force_locale("en"):
        board = {str(STATUSES[k].label): n for k, n in Counter(s.status for s in targets).items()}
    board["All targets"] = len(targets)
    overdue = sum(s.report_overdue for s in targets)
    passed = sum(s.deadline_passed for s in targets)
    if overdue:
        board["Report date passed, none published"] = overdue
    if passed:
        board["Deadline passed"] = passed
    return board


def listed(app: Flask, status: str) -> list[str]:
    """The slugs /api/v1/indicators gives for a status filter, following every page."""
    client = app.test_client()
    slugs: list[str] = []
    url: str | None = f"/api/v1/indicators?status={status}"
    while url:
        answer = client.get(url.removeprefix("http://localhost"))
        assert answer.status_code == 200
        body = answer.get_json()
        slugs += [record["slug"] for record in body["indicators"]]
        assert body["total"] >= len(slugs)
        url = body["next"]
    return slugs


def provinces_board(app: Flask) -> dict[str, int]:
    """The totals row of the provinces page's scoreboard, by column heading."""
    html = app.test_client().get("/en/provinces/").get_data(as_text=True)
    board = next(t for t in read_tables(html) if "scoreboard" in t.classes)
    return {
        head: cell.number
        for head, cell in board.as_dicts(board.foot)[0].items()
        if cell.text.isdigit()
    }


def assert_lists_agree(app: Flask, day: dt.date) -> Counter[str]:
    """The status filter and the provinces' scoreboard say what each indicator's own
    status on `day` says."""
    stored = computed(app, day)
    for key in STATUSES:
        expected = sorted(slug for slug, s in stored.items() if s.status == key)
        assert sorted(listed(app, key)) == expected, key
    assert provinces_board(app) == expected_board(app, stored)
    return Counter(s.status for s in stored.values())


def test_each_status_filter_lists_exactly_the_targets_whose_page_has_that_status(
    site: Flask,
) -> None:
    counts = assert_lists_agree(site, dt.date.today())
    assert len(counts) >= 2  # the real content has targets in more than one status


def test_a_published_value_moves_the_status_filter_and_the_scoreboard_at_once(
    site: Flask,
) -> None:
    no_data = "No published figure yet"  # the column's heading
    before = provinces_board(site)
    assert WASTE in listed(site, "no_data")
    lan = Editor(site)
    assert lan.sign_in("lan@donre.example").status_code == 302
    done = lan.enter(WASTE, year="2024", value="87,5", source_document="Báo cáo 45/BC-STNMT")
    assert done.status_code == 302
    assert WASTE not in listed(site, "no_data")
    now = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()["status"]
    assert WASTE in listed(site, now)
    after = provinces_board(site)
    assert after[no_data] == before[no_data] - 1
    assert after.get("Unable to assess", 0) + after.get("On track", 0) + after.get(
        "Target achieved", 0
    ) > before.get("Unable to assess", 0) + before.get("On track", 0) + before.get(
        "Target achieved", 0
    )
    assert_lists_agree(site, dt.date.today())


def test_statuses_are_worked_out_afresh_when_the_date_moves(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A day's stored statuses are not read on the next: deadlines pass at midnight."""
    later = dt.date(2031, 1, 15)  # plans' periods are over: deadlines and reports pass

    class Later(dt.date):
        @classmethod
        def today(cls) -> Later:
            return cls(later.year, later.month, later.day)

    assert_lists_agree(site, dt.date.today())  # stored today
    assert computed(site, later) != computed(site, dt.date.today())
    monkeypatch.setattr(queries, "dt", SimpleNamespace(date=Later))
    assert_lists_agree(site, later)


def test_statuses_of_no_known_day_are_worked_out_again_by_the_first_reader(
    site: Flask,
) -> None:
    """A restored or upgraded database holds statuses it cannot vouch for."""
    with site.app_context():
        db.session.execute(update(Indicator).values(stored_status="deterioration"))
        db.session.execute(update(SiteState).values(statuses_version=None, statuses_on=None))
        db.session.commit()
    assert_lists_agree(site, dt.date.today())
