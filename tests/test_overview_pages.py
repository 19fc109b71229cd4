"""Overview pages: scoreboards of a plan, a province and the home page, and the comparison of
provinces, checked against the API and the content files on the real content."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
import yaml
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext, ngettext

from app.config import ROOT
from app.content.loader import load_content
from app.content.reader import ContentError
from app.indicators.progress import Progress
from app.indicators.scoreboard import scoreboard, tally
from app.indicators.status import STATUSES, Assessment
from app.plans.reporting import ReportState
from tests.factories import write_content
from tests.html_tables import Table, read_tables

COMPARISONS = yaml.safe_load((ROOT / "content/comparisons.yaml").read_text(encoding="utf-8"))


def records(client: FlaskClient) -> dict[str, dict]:
    return {r["slug"]: r for r in client.get("/api/v1/indicators").get_json()["indicators"]}


def status_labels(app: Flask, lang: str) -> dict[str, str]:
    """Column heading → status key, in the reader's language."""
    with app.test_request_context(), force_locale(lang):
        return {str(info.label): key for key, info in STATUSES.items()}


def scoreboard_of(html: str) -> Table:
    boards = [t for t in read_tables(html) if "scoreboard" in t.classes]
    assert len(boards) == 1
    return boards[0]


def counts_in(board: Table, row: list, labels: dict[str, str]) -> Counter:
    cells = dict(zip(board.columns, row, strict=True))
    return Counter({labels[name]: cell.number for name, cell in cells.items() if name in labels})


def shown_label(app: Flask, lang: str, record: dict) -> str:
    """The status a reader sees: a result the plan set no target for says so."""
    with app.test_request_context(), force_locale(lang):
        return str(Assessment(record["status"], record["status_inputs"]).info.label)


def without_target(record: dict) -> bool:
    return record["status_inputs"].get("reason") == "no_target"


def deadline_passed(record: dict) -> bool:
    return record["status_inputs"].get("milestone") == "overdue"


def test_provinces_scoreboard_counts_each_provinces_targets_as_the_api_does(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    labels = status_labels(site_app, lang)
    expected: dict[str, Counter] = {}
    late_reports: Counter = Counter()
    passed: Counter = Counter()
    targets = [r for r in records(client).values() if not without_target(r)]
    results = len(records(client)) - len(targets)
    for record in targets:
        name = record["province"]["name"][lang]
        expected.setdefault(name, Counter())[record["status"]] += 1
        late_reports[name] += record["reporting"]["overdue"]
        passed[name] += deadline_passed(record)
    board = scoreboard_of(client.get(f"/{lang}/provinces/").get_data(as_text=True))
    shown = {row[0].text: counts_in(board, row, labels) for row in board.body}
    assert shown == expected
    # Every status that occurs has a column, and only those: the table stays narrow.
    assert {labels[c] for c in board.columns if c in labels} == set().union(*expected.values())
    with site_app.test_request_context(), force_locale(lang):
        total_heading = gettext("All targets")
        late_heading = gettext("Report date passed, none published")
        passed_heading = gettext("Deadline passed")
    assert sum(late_reports.values()) and sum(passed.values())  # both columns are tested
    for row in board.as_dicts(board.body):
        name = row[board.columns[0]].text
        assert row[total_heading].number == sum(expected[name].values())
        assert row[late_heading].number == late_reports[name]
        assert row[passed_heading].number == passed[name]
    assert board.as_dicts(board.foot)[0][total_heading].number == len(targets)
    # Results the plan set no target for are said apart, never counted as targets.
    assert results
    with site_app.test_request_context(), force_locale(lang):
        note = ngettext(
            "%(num)d reported result for which the plan sets no target is not counted "
            "among the targets.",
            "%(num)d reported results for which the plans set no target are not counted "
            "among the targets.",
            results,
        )
    assert note in client.get(f"/{lang}/provinces/").get_data(as_text=True)


def test_plan_scoreboard_counts_the_targets_under_each_of_the_plans_groups(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    labels = status_labels(site_app, lang)
    by_plan: dict[str, list[dict]] = {}
    for record in records(client).values():
        by_plan.setdefault(record["plan"]["slug"], []).append(record)
    for plan, plan_records in by_plan.items():
        html = client.get(f"/{lang}/plans/{plan}/").get_data(as_text=True)
        targets = [r for r in plan_records if not without_target(r)]
        if not targets:  # reported results only: no table of targets, and said so
            assert 'class="scoreboard"' not in html, plan
            with site_app.test_request_context(), force_locale(lang):
                assert f'<h2 id="targets">{gettext("Reported results")}</h2>' in html, plan
            continue
        board = scoreboard_of(html)
        total = counts_in(board, board.foot[0], labels)
        assert total == Counter(r["status"] for r in targets), plan
        for row in board.body:
            # The row links to its group of targets further down the page, and counts them.
            (anchor,) = row[0].links
            start = html.index(f'id="{anchor.removeprefix("#")}"')
            end = html.find("<h3 id=", start + 1)
            group = html[start : end if end > 0 else html.index("</section>", start)]
            shown = Counter({key: group.count(f'class="status status-{key}"') for key in STATUSES})
            assert counts_in(board, row, labels) == +shown, (plan, anchor)


def test_province_scoreboard_has_a_row_per_plan_newest_first(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    plans = client.get("/api/v1/plans").get_json()["plans"]
    labels = status_labels(site_app, lang)
    with_targets = {r["plan"]["slug"] for r in records(client).values() if not without_target(r)}
    for province in {p["province"]["slug"] for p in plans}:
        own = [p for p in plans if p["province"]["slug"] == province]
        if not with_targets & {p["slug"] for p in own}:
            continue  # no targets, so no table (Hai Phong: results only)
        board = scoreboard_of(client.get(f"/{lang}/provinces/{province}/").get_data(as_text=True))
        rows = board.body or board.foot  # one plan: its total is the only row
        assert len(rows) == (len(own) if len(own) > 1 else 1)
        if len(own) > 1:
            newest_first = sorted(own, key=lambda p: p["issued"] or "", reverse=True)
            numbers = [p["number"] for p in newest_first]
            assert [row[0].text.split(" ")[0] for row in rows] == numbers
        total = counts_in(board, board.foot[0], labels)
        assert sum(total.values()) == sum(len(p["indicators"]) for p in own)


@pytest.mark.parametrize(
    "path", ["/provinces/", "/provinces/bac-giang/", "/plans/lai-chau-1498-2012/"]
)
def test_every_count_links_to_a_list_of_exactly_that_many_targets(
    client: FlaskClient, lang: str, path: str
) -> None:
    board = scoreboard_of(client.get(f"/{lang}{path}").get_data(as_text=True))
    followed = 0
    for row in board.body + board.foot:
        for cell in row:
            if cell.header or not cell.links:
                continue
            listing = client.get(cell.links[0]).get_data(as_text=True)
            assert listing.count('class="card indicator-card"') == cell.number, cell.links[0]
            followed += 1
    assert followed


def test_comparison_page_sets_each_provinces_target_and_latest_value_side_by_side(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/compare/").get_data(as_text=True)
    by_slug = records(client)
    tables = [t for t in read_tables(html) if "compare" in t.classes]
    assert len(tables) == len(COMPARISONS) >= 5
    with site_app.test_request_context(), force_locale(lang):
        differ = gettext("The definitions differ.")
        same = gettext("The plans use the same definition.")
        no_value = gettext("No value reported yet")
        reported_in = gettext("reported in %(year)s", year=2021)
    for comparison, table in zip(COMPARISONS, tables, strict=True):
        section = html[html.index(f'<h2 id="{comparison["slug"]}"') :]
        section = section[: section.index("</section>")]
        if "differences" in comparison:
            assert differ in section
            assert " ".join(comparison["differences"][lang].split()) in " ".join(section.split())
        else:
            assert same in section and differ not in section
        assert (
            len({by_slug[e["indicator"]]["province"]["slug"] for e in comparison["indicators"]}) > 1
        )
        for entry, row in zip(comparison["indicators"], table.body, strict=True):
            record = by_slug[entry["indicator"]]
            who, target, latest, status = row
            assert who.links == [record["url"][lang]]
            assert record["province"]["name"][lang] in who.text
            assert entry["definition"][lang] in who.text
            if record["target"]:
                assert str(record["target"]["year"]) in target.text
            # Each target's citation names its document and links to its entry on the sources
            # page; "no numeric target" cites nothing, the news report being the value's source.
            if record["target"]:
                assert record["source"]["name"][lang] in target.text
                assert record["source"]["entry"][lang] in target.links
            else:
                assert target.links == []
            if record["observations"]:
                newest = max(record["observations"], key=lambda o: o["year"])
                # A year that is only the report's says so.
                shown = reported_in if newest["year_is"] == "publication" else newest["year"]
                assert newest["year"] == 2021 or newest["year_is"] == "reference"
                assert f"({shown})" in latest.text
                assert newest["source"]["name"][lang] in latest.text
                assert newest["source"]["entry"][lang] in latest.links
            else:
                assert latest.text == no_value
            assert status.text.startswith(shown_label(site_app, lang, record))


def test_province_and_indicator_pages_link_to_the_comparisons_they_take_part_in(
    client: FlaskClient, lang: str
) -> None:
    by_slug = records(client)
    for comparison in COMPARISONS:
        link = f'href="/{lang}/compare/#{comparison["slug"]}"'
        members = {e["indicator"] for e in comparison["indicators"]}
        provinces = {by_slug[s]["province"]["slug"] for s in members}
        for slug, record in by_slug.items():
            page = client.get(record["url"][lang]).get_data(as_text=True)
            assert (link in page) == (slug in members), (slug, comparison["slug"])
        for province in {r["province"]["slug"] for r in by_slug.values()}:
            page = client.get(f"/{lang}/provinces/{province}/").get_data(as_text=True)
            assert (link in page) == (province in provinces), (province, comparison["slug"])


def test_scoreboard_counts_overdue_reports_and_passed_deadlines_apart() -> None:
    today = dt.date(2026, 11, 21)
    late_report = ReportState(None, today, None, 2025, True)
    on_time = ReportState(None, None, None, None, False)
    rows = [
        Progress(None, Assessment("no_data", {"milestone": "overdue"}), late_report),
        Progress(None, Assessment("on_track"), on_time),
        Progress(None, Assessment("on_track"), late_report),
        Progress(None, Assessment("limited_progress", {"milestone": "overdue"}), on_time),
    ]
    board = scoreboard([tally("a", rows[:1]), tally("b", rows[1:])])
    assert [c.key for c in board.columns] == ["on_track", "limited_progress", "no_data"]
    assert [(r.total, r.report_overdue, r.deadline_passed) for r in board.rows] == [
        (1, 1, 1),
        (3, 1, 1),
    ]
    total = board.total
    assert (total.total, total.report_overdue, total.deadline_passed) == (4, 2, 2)
    assert board.shows_report_overdue and board.shows_deadline_passed
    only_on_time = scoreboard([tally("b", rows[1:2])])
    assert not only_on_time.shows_report_overdue and not only_on_time.shows_deadline_passed
    only_late_report = scoreboard([tally("b", rows[2:3])])
    assert only_late_report.shows_report_overdue and not only_late_report.shows_deadline_passed


def comparisons_file(root: Path, text: str) -> Path:
    (root / "comparisons.yaml").write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize(
    ("entries", "problem"),
    [
        ("[test-waste-collected, no-such-target]", "unknown indicator 'no-such-target'"),
        ("[test-waste-collected, test-waste-collected]", "listed twice"),
        ("[test-waste-collected, test-milestone]", "needs targets from two provinces"),
        ("[test-waste-collected, test-milestone]", "different units"),
    ],
)
def test_a_comparison_must_set_like_against_like(
    empty_app: Flask, tmp_path: Path, entries: str, problem: str
) -> None:
    slugs = yaml.safe_load(entries)
    listed = "\n".join(
        f"    - {{indicator: {s}, definition: {{vi: Định nghĩa thử, en: Test definition}}}}"
        for s in slugs
    )
    root = comparisons_file(
        write_content(tmp_path / "content"),
        "- slug: test-comparison\n"
        "  title: {vi: So sánh thử, en: Test comparison}\n"
        "  summary: {vi: Tóm tắt thử, en: Test summary}\n"
        f"  indicators:\n{listed}\n",
    )
    with pytest.raises(ContentError, match=problem):
        load_content(root)


def test_comparisons_api_publishes_the_content_with_working_links(client: FlaskClient) -> None:
    published = client.get("/api/v1/comparisons").get_json()["comparisons"]
    assert [c["slug"] for c in published] == [c["slug"] for c in COMPARISONS]
    for record, written in zip(published, COMPARISONS, strict=True):
        assert [e["indicator"] for e in record["entries"]] == [
            e["indicator"] for e in written["indicators"]
        ]
        assert [e["definition"] for e in record["entries"]] == [
            e["definition"] for e in written["indicators"]
        ]
        differences = written.get("differences")
        assert record["differences"] == (
            {lang: " ".join(text.split()) for lang, text in differences.items()}
            if differences
            else None
        )
        for lang, url in record["url"].items():
            path, anchor = url.split("#")
            assert f'id="{anchor}"' in client.get(path).get_data(as_text=True), lang
        for entry in record["entries"]:
            indicator = client.get(f"/api/v1/indicators/{entry['indicator']}").get_json()
            assert indicator["province"] == entry["province"]
