"""Status, chart, data table and reporting state as readers meet them, on the real content."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.extensions import db
from app.indicators.chart import build_chart
from app.indicators.models import CONTENT, Indicator, Observation
from app.indicators.status import NO_TARGET, STATUSES, assess
from app.queries import with_progress

REPORTED = "hai-phong-urban-wastewater-treated"  # one value reported: 21.2% in 2021


def progress_rows(app: Flask) -> list:
    with app.test_request_context():
        return with_progress(db.session.scalars(select(Indicator)).all())


def test_every_indicator_shows_its_status_as_text_and_symbol(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    for indicator, assessment, _ in progress_rows(site_app):
        html = client.get(f"/{lang}/indicators/{indicator.slug}/").get_data(as_text=True)
        badge = re.search(r'<span class="status status-(\w+)">(.*?)</span> (.+?)</span>', html)
        assert badge, indicator.slug
        # A result with no target is shown as what it is, not as "unable to assess".
        shown = "no_target" if assessment.without_target else assessment.status
        assert badge.group(1) == shown
        with site_app.test_request_context(), force_locale(lang):
            expected = NO_TARGET.label if assessment.without_target else STATUSES[shown].label
            assert badge.group(3) == str(expected)
        assert f'href="/{lang}/methodology/#status"' in html


def test_a_reported_value_gets_a_chart_a_table_and_the_locale_number_format(
    site_app: Flask, client: FlaskClient
) -> None:
    with site_app.app_context():
        indicator = db.session.scalar(select(Indicator).where(Indicator.slug == REPORTED))
        source = indicator.observations[0].source_document
    for lang, figure in (("vi", "21,2%"), ("en", "21.2%")):
        html = client.get(f"/{lang}/indicators/{REPORTED}/").get_data(as_text=True)
        svg = html[html.index("<svg") : html.index("</svg>")]
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        assert figure in svg  # in the description and the point's tooltip
        table = html[html.index("<table") : html.index("</table>")]
        assert figure in table and "2021" in table
        assert source in table


def test_no_value_says_so_instead_of_drawing_an_empty_chart(client: FlaskClient) -> None:
    html = client.get("/en/indicators/bac-giang-forest-cover/").get_data(as_text=True)
    assert "<svg" not in html
    assert "No value has been reported for this target yet." in html


def test_overdue_reports_are_flagged_on_the_page_and_in_lists(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    rows = progress_rows(site_app)
    overdue = [i.slug for i, _, report in rows if report.overdue]
    on_time = [i.slug for i, _, report in rows if not report.overdue]
    assert (
        overdue and on_time
    )  # Bình Dương's 2020 report is not in the sources; Bắc Giang sets no date
    with site_app.test_request_context(), force_locale(lang):
        tag = gettext("Report date passed, none published")
    listing = client.get(f"/{lang}/indicators/").get_data(as_text=True)
    assert listing.count(tag) == len(overdue)
    assert tag in client.get(f"/{lang}/indicators/{overdue[0]}/").get_data(as_text=True)
    assert tag not in client.get(f"/{lang}/indicators/{on_time[0]}/").get_data(as_text=True)


def test_api_publishes_status_inputs_and_reporting_state(
    site_app: Flask, client: FlaskClient
) -> None:
    records = client.get("/api/v1/indicators").get_json()["indicators"]
    for record in records:
        assert record["status"] in STATUSES
        assert "method" in record["status_inputs"]
        assert set(record["reporting"]) == {"last_due", "next_due", "awaited_year", "overdue"}
    reported = next(r for r in records if r["slug"] == REPORTED)
    assert reported["status_inputs"]["latest_value"] == 21.2
    assert reported["status_inputs"]["reason"] == "no_target"
    binh_duong = [r for r in records if r["province"]["slug"] == "binh-duong"]
    # Its 2018 milestones are asked for the 2018 report (due before 25 October), not 2020's.
    assert all(r["target"]["year"] == 2018 for r in binh_duong)
    assert all(r["reporting"]["awaited_year"] == 2018 for r in binh_duong)
    assert all(r["reporting"]["last_due"] == "2018-10-24" for r in binh_duong)


def test_methodology_publishes_the_worked_example_the_method_computes(client: FlaskClient) -> None:
    example = Indicator(
        kind="quantitative", target_value=90, target_comparator=">=", target_year=2030
    )
    example.direction = "increase"
    example.observations = [
        Observation(year=2020, value=40, origin=CONTENT, source_document="EXAMPLE"),
        Observation(year=2025, value=65, origin=CONTENT, source_document="EXAMPLE"),
    ]
    inputs = assess(example).inputs
    ratio, actual, needed = inputs["ratio"], inputs["actual_rate"], inputs["needed_rate"]
    for lang, sep, words in (("en", ".", "Ratio {}"), ("vi", ",", "Tỷ số {}")):
        html = client.get(f"/{lang}/methodology/").get_data(as_text=True)
        assert 'id="status"' in html
        assert words.format(f"{ratio:.2f}".replace(".", sep)) in html
        for rate in (actual, needed):
            assert f"{rate * 100:.1f}%".replace(".", sep) in html


def test_a_result_with_no_target_says_so_and_is_not_a_target(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    """Hai Phong's 2014 plan set no figures: its 2021 results are results, not targets."""
    with site_app.test_request_context(), force_locale(lang):
        said = str(NO_TARGET.label)
        unable = str(STATUSES["unable_to_assess"].label)
    page = client.get(f"/{lang}/indicators/hai-phong-urban-wastewater-treated/")
    html = page.get_data(as_text=True)
    assert said in html and unable not in html
    record = client.get("/api/v1/indicators/hai-phong-urban-wastewater-treated").get_json()
    # The API's status keeps its published values; the reason says what it is.
    assert record["status"] == "unable_to_assess"
    assert record["status_inputs"]["reason"] == "no_target"
    plan = client.get(f"/{lang}/plans/hai-phong-1463-2014/").get_data(as_text=True)
    assert 'class="scoreboard"' not in plan and said in plan
    # A target of a plan with targets keeps its real status.
    other = client.get(f"/{lang}/indicators/lai-chau-forest-cover/").get_data(as_text=True)
    assert said not in other


def made_up(values: dict[int, float], target: float | None, unit: str = "%") -> Indicator:
    indicator = Indicator(
        kind="quantitative",
        target_value=target,
        target_comparator=">=" if target is not None else None,
        target_year=2030 if target is not None else None,
        unit_vi=unit,
        unit_en=unit,
    )
    indicator.direction = "increase"
    indicator.observations = [
        Observation(year=year, value=value, origin=CONTENT, source_document="EXAMPLE")
        for year, value in values.items()
    ]
    return indicator


def test_a_charts_axis_fits_its_values_and_target_instead_of_running_from_zero() -> None:
    """Issue 19: 91% and 93% against 95% was two dots at the top of a 0–100 axis."""
    chart = build_chart(made_up({2021: 91, 2023: 93}, 95))
    ticks = [t.value for t in chart.y_ticks]
    assert 80 <= ticks[0] <= 91 and 95 <= ticks[-1] < 100
    marks = [m.y for m in chart.marks]
    assert chart.bar is None and marks[0] - marks[1] > (chart.bottom - 22) / 5  # a visible rise
    # Values far from zero in proportion keep zero in view: 20% to 60% is a tripling.
    assert build_chart(made_up({2021: 20, 2023: 60}, 70)).y_ticks[0].value == 0


def test_one_value_is_a_bar_out_of_its_target_or_out_of_100_percent() -> None:
    share = build_chart(made_up({2021: 21.2}, None)).bar
    assert share.top == 100 and share.target_x is None
    assert share.fill == 21.2 / 100 * share.width
    count = build_chart(made_up({2021: 12}, 15, unit="dự án")).bar
    assert count.top == 15 and count.target_x == count.width and count.fill == 12 / 15 * 320
    assert build_chart(made_up({2021: 12}, None, unit="dự án")).bar is None  # no scale
    assert build_chart(made_up({2020: 10, 2021: 12}, 15, unit="dự án")).bar is None


def test_lists_show_each_reported_share_as_a_small_bar(client: FlaskClient, lang: str) -> None:
    """Issue 19: a list reads at a glance; the words beside each bar say the same."""
    listing = client.get(f"/{lang}/indicators/?province=hai-phong").get_data(as_text=True)
    cards = listing.split('class="card indicator-card"')[1:]
    assert cards and all('class="spark"' in card for card in cards)  # all have a value
    shown = next(c for c in cards if f"/indicators/{REPORTED}/" in c)
    assert re.search(r'class="bar-fill" width="67\.8"', shown)  # 21.2% of 320 units
    waiting = client.get(f"/{lang}/indicators/?province=lai-chau").get_data(as_text=True)
    assert 'class="spark"' not in waiting  # nothing reported: no bar to draw
