"""Status by the published method, and reporting deadlines from the real calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from app.indicators.models import CONTENT, EDITOR, Indicator, Observation
from app.indicators.status import assess
from app.plans.models import Plan, ReportingDuty
from app.plans.reporting import last_due, next_due, report_state


def indicator(
    values: dict[int, float],
    *,
    target: float | None = 90,
    high: float | None = None,
    comparator: str | None = ">=",
    direction: str = "increase",
    year: int = 2030,
    baseline: tuple[int, float] | None = None,
) -> Indicator:
    row = Indicator(
        kind="quantitative",
        target_value=target,
        target_value_high=high,
        target_comparator=comparator if target is not None else None,
        target_year=year,
        direction=direction,
        baseline_year=baseline[0] if baseline else None,
        baseline_value=baseline[1] if baseline else None,
    )
    row.observations = [
        Observation(year=y, value=v, source_document="TEST", origin=CONTENT)
        for y, v in values.items()
    ]
    return row


TODAY = dt.date(2026, 11, 21)
RANGE = {"target": 2.5, "high": 3, "comparator": "between"}
CEILING = {"target": 5, "comparator": "<=", "direction": "none"}
DOWN_TO_10 = {"target": 10, "comparator": "<=", "direction": "decrease"}


@pytest.mark.parametrize(
    ("values", "kwargs", "expected"),
    [
        ({}, {}, "no_data"),
        ({2021: 40}, {}, "unable_to_assess"),  # one value: no growth rate
        ({2021: 95}, {}, "target_achieved"),  # one value is enough to meet the target
        ({2021: 40}, {"target": None}, "unable_to_assess"),
        # The methodology page's worked example: from 40 (2020) towards 90 by 2030.
        ({2020: 40, 2025: 65}, {}, "on_track"),  # 10.2% a year against 8.4% needed
        ({2020: 40, 2025: 53}, {}, "acceleration_needed"),
        ({2020: 40, 2025: 42}, {}, "limited_progress"),
        ({2020: 40, 2025: 35}, {}, "deterioration"),
        # Decreasing: from 20 (2020) to at most 10 by 2030.
        ({2020: 20, 2025: 14}, DOWN_TO_10, "on_track"),
        ({2020: 20, 2025: 15}, DOWN_TO_10, "acceleration_needed"),
        ({2020: 20, 2025: 19}, DOWN_TO_10, "limited_progress"),
        ({2020: 20, 2025: 22}, DOWN_TO_10, "deterioration"),
        ({2020: 20, 2025: 9}, DOWN_TO_10, "target_achieved"),
        # Ranges ("2.5–3%"): the near end counts; beyond it in the wanted direction meets it.
        ({2021: 2.7}, RANGE, "target_achieved"),
        ({2021: 3.4}, RANGE, "target_achieved"),
        ({2021: 2.1}, RANGE, "unable_to_assess"),
        ({2021: 1.0, 2025: 2.0}, RANGE, "on_track"),
        ({2021: 2.0, 2025: 1.0}, RANGE, "deterioration"),
        ({2021: 9}, {**RANGE, "direction": "decrease"}, "unable_to_assess"),
        ({2021: 2.9}, {**RANGE, "direction": "decrease"}, "target_achieved"),
        ({2021: 1.0}, {**RANGE, "direction": "decrease"}, "target_achieved"),
        ({2021: 3.4}, {**RANGE, "direction": "none"}, "unable_to_assess"),
        ({2021: 4.0, 2025: 3.2}, {**RANGE, "direction": "none"}, "on_track"),
        # Percentage ceilings ("at most 5%"): met at or under it, progress is a fall.
        ({2021: 5}, CEILING, "target_achieved"),
        ({2021: 4.2}, CEILING, "target_achieved"),
        ({2020: 10, 2025: 7}, CEILING, "on_track"),
        ({2020: 10, 2025: 11}, CEILING, "deterioration"),
        # Strict comparators.
        ({2021: 50}, {"target": 50, "comparator": ">"}, "unable_to_assess"),
        ({2021: 51}, {"target": 50, "comparator": ">"}, "target_achieved"),
        # Zero base: yearly changes instead of compound rates (6 a year against 5 needed).
        ({2020: 0, 2025: 30}, {"target": 50}, "on_track"),
        ({2020: 0, 2025: 10}, {"target": 50}, "limited_progress"),
        # Down to zero: 4.4 a year against 4 needed; then 2 against 4.
        (
            {2020: 40, 2025: 18},
            {"target": 0, "comparator": "<=", "direction": "decrease"},
            "on_track",
        ),
        (
            {2020: 40, 2025: 30},
            {"target": 0, "comparator": "<=", "direction": "decrease"},
            "limited_progress",
        ),
        # The plan's baseline counts as the first value.
        ({2025: 65}, {"baseline": (2020, 40)}, "on_track"),
        # A target year not after the first value leaves no rate to compare.
        ({2030: 40, 2031: 50}, {}, "unable_to_assess"),
    ],
)
def test_status(values: dict[int, float], kwargs: dict, expected: str) -> None:
    assert assess(indicator(values, **kwargs), TODAY).status == expected


def test_worked_example_publishes_its_inputs() -> None:
    inputs = assess(indicator({2020: 40, 2025: 65}), TODAY).inputs
    assert inputs["method"] == "cagr"
    assert (inputs["base_year"], inputs["base_value"], inputs["latest_value"]) == (2020, 40, 65)
    assert round(inputs["actual_rate"], 4) == 0.1020
    assert round(inputs["needed_rate"], 4) == 0.0845
    assert round(inputs["ratio"], 2) == 1.21
    assert inputs["thresholds"] == {
        "on_track": 0.95,
        "acceleration_needed": 0.6,
        "limited_progress": 0.0,
    }


def test_zero_base_uses_yearly_changes() -> None:
    inputs = assess(indicator({2020: 0, 2025: 30}, target=50), TODAY).inputs
    assert (inputs["method"], inputs["actual_rate"], inputs["needed_rate"], inputs["ratio"]) == (
        "linear",
        6.0,
        5.0,
        1.2,
    )


def yearly(values: dict[int, float], applies: str, low: float, high: float, start: int, end: int):
    row = indicator(values, target=low, high=high, comparator="between", year=end)
    row.target_applies, row.target_from_year = applies, start
    return row


AVERAGE = {"applies": "yearly_average", "low": 1.5, "high": 2.0, "start": 2021, "end": 2030}
EVERY_YEAR = {"applies": "every_year", "low": 10, "high": 15, "start": 2013, "end": 2020}
ALL_YEARS_MET = {y: 12 for y in range(2013, 2021)}


@pytest.mark.parametrize(
    ("values", "kwargs", "expected"),
    [
        # The methodology page's examples, while 2021–2030 runs: the average decides.
        ({2021: 1.2, 2022: 1.8, 2023: 1.7}, AVERAGE, "on_track"),  # 1.57% a year
        ({2021: 1.2, 2022: 1.3, 2023: 1.4}, AVERAGE, "acceleration_needed"),  # 1.3%
        ({}, AVERAGE, "no_data"),
        ({2019: 3.0}, AVERAGE, "no_data"),  # before the period: not one of its years
        # "10 to 15 every year, 2013–2020", assessed after 2020: every year must meet it.
        (ALL_YEARS_MET, EVERY_YEAR, "target_achieved"),
        ({**ALL_YEARS_MET, 2016: 9}, EVERY_YEAR, "limited_progress"),
        ({2014: 12, 2015: 9}, EVERY_YEAR, "unable_to_assess"),  # years missing
    ],
)
def test_targets_for_every_year_of_a_period(
    values: dict[int, float], kwargs: dict, expected: str
) -> None:
    assert assess(yearly(values, **kwargs), TODAY).status == expected


def test_an_every_year_target_still_running_is_judged_on_its_latest_year() -> None:
    running = {**EVERY_YEAR, "start": 2024, "end": 2030}
    assert assess(yearly({2024: 12, 2025: 9}, **running), TODAY).status == "acceleration_needed"
    assert assess(yearly({2024: 9, 2025: 12}, **running), TODAY).status == "on_track"
    inputs = assess(yearly({2024: 9, 2025: 12}, **running), TODAY).inputs
    assert (inputs["method"], inputs["years_reported"], inputs["years_missed"]) == (
        "every_year",
        [2024, 2025],
        [2024],
    )


def test_a_yearly_average_publishes_its_average_and_is_not_a_2030_level() -> None:
    # A single cut of 1.6% in 2022 already meets "an average of 1.5–2.0% a year": on track,
    # where a level target of 1.5–2.0 "by 2030" would be measured by compound growth.
    row = yearly({2022: 1.6}, **AVERAGE)
    assessment = assess(row, TODAY)
    assert (assessment.status, assessment.inputs["average"]) == ("on_track", 1.6)
    assert assessment.inputs["period"] == {"start": 2021, "end": 2030}
    done = yearly({y: 1.6 for y in range(2021, 2031)}, **AVERAGE)
    assert assess(done, dt.date(2031, 1, 1)).status == "target_achieved"
    short = yearly({y: 1.0 for y in range(2021, 2031)}, **AVERAGE)
    assert assess(short, dt.date(2031, 1, 1)).status == "limited_progress"
    gaps = yearly({2021: 1.6, 2030: 1.6}, **AVERAGE)
    assert assess(gaps, dt.date(2031, 1, 1)).status == "unable_to_assess"


def test_an_editor_value_for_a_year_stands_in_for_the_content_one() -> None:
    row = indicator({2020: 40, 2025: 42})
    row.observations.append(Observation(year=2025, value=65, source_document="TEST", origin=EDITOR))
    assessment = assess(row, TODAY)
    assert (assessment.status, assessment.inputs["latest_value"]) == ("on_track", 65)


def milestone(reports: dict[int, bool], year: int = 2025) -> Indicator:
    row = Indicator(kind="milestone", target_year=year)
    row.observations = [
        Observation(year=y, achieved=done, source_document="TEST") for y, done in reports.items()
    ]
    return row


@pytest.mark.parametrize(
    ("reports", "today", "status", "state"),
    [
        ({}, dt.date(2025, 6, 1), "no_data", "no_report"),
        ({2024: False}, dt.date(2025, 6, 1), "unable_to_assess", "not_done"),
        ({2024: True}, dt.date(2025, 6, 1), "target_achieved", "done"),
        ({2024: False, 2025: True}, dt.date(2027, 1, 1), "target_achieved", "done"),
        ({2024: False}, dt.date(2026, 1, 1), "limited_progress", "overdue"),
        ({}, dt.date(2026, 1, 1), "no_data", "overdue"),
    ],
)
def test_milestones_are_done_not_done_or_overdue(
    reports: dict[int, bool], today: dt.date, status: str, state: str
) -> None:
    assessment = assess(milestone(reports), today)
    assert (assessment.status, assessment.inputs["milestone"]) == (status, state)
    assert assessment.overdue_milestone == (state == "overdue")


def test_a_manual_override_keeps_its_reason_and_the_computed_status() -> None:
    row = indicator({2020: 40, 2025: 65})
    row.status_override = "unable_to_assess"
    row.status_override_reason_vi = "Số liệu 2025 đang được rà soát."
    row.status_override_reason_en = "The 2025 figure is under review."
    assessment = assess(row, TODAY)
    assert assessment.status == "unable_to_assess"
    assert assessment.inputs["method"] == "override"
    assert assessment.inputs["reason"]["en"] == "The 2025 figure is under review."
    assert assessment.inputs["computed_status"] == "on_track"


def plan_with_duty(
    start: int, end: int | None, month: int | None, day: int | None, before: bool = False
):
    plan = Plan(period_start=start, period_end=end)
    duty = ReportingDuty(due_month=month, due_day=day, due_is_exclusive=before)
    plan.reporting_duties = [duty]
    return plan, duty


def test_deadlines_follow_the_calendar() -> None:
    plan, duty = plan_with_duty(2021, 2030, 11, 10)
    assert last_due(duty, plan, dt.date(2026, 11, 9)) == dt.date(2025, 11, 10)
    assert last_due(duty, plan, dt.date(2026, 11, 10)) == dt.date(2026, 11, 10)
    assert next_due(duty, plan, dt.date(2026, 11, 11)) == dt.date(2027, 11, 10)
    assert next_due(duty, plan, dt.date(2031, 1, 1)) is None  # period over


def test_a_before_deadline_is_the_day_before() -> None:
    plan, duty = plan_with_duty(2018, 2020, 10, 25, before=True)
    assert last_due(duty, plan, dt.date(2026, 1, 1)) == dt.date(2020, 10, 24)


def test_a_29_february_date_falls_on_28_february_in_other_years() -> None:
    """Issue 17: such a duty crashed the plan page three years out of four."""
    plan, duty = plan_with_duty(2021, 2030, 2, 29)
    assert last_due(duty, plan, dt.date(2026, 3, 1)) == dt.date(2026, 2, 28)
    assert next_due(duty, plan, dt.date(2027, 3, 1)) == dt.date(2028, 2, 29)
    plan, duty = plan_with_duty(2021, 2030, 2, 29, before=True)
    assert last_due(duty, plan, dt.date(2026, 3, 1)) == dt.date(2026, 2, 27)


def test_no_date_means_no_deadline() -> None:
    plan, duty = plan_with_duty(2021, 2030, None, None)
    assert last_due(duty, plan, dt.date(2026, 1, 1)) is None
    assert next_due(duty, plan, dt.date(2026, 1, 1)) is None


def test_plan_status_follows_the_date() -> None:
    plan = Plan(period_start=2021, period_end=2030)
    assert plan.status(dt.date(2030, 12, 31)) == "in_force"
    assert plan.status(dt.date(2031, 1, 1)) == "ended"


def test_a_report_is_overdue_until_the_awaited_year_is_published() -> None:
    plan, _ = plan_with_duty(2021, 2030, 11, 10)
    late = report_state(plan, [2024, 2025], dt.date(2026, 11, 21))
    assert (late.awaited_year, late.overdue, late.next_due) == (2026, True, dt.date(2027, 11, 10))
    assert not report_state(plan, [2026], dt.date(2026, 11, 21)).overdue
    # The day before this year's deadline, last year's report is the one awaited.
    early = report_state(plan, [2025], dt.date(2026, 11, 9))
    assert (early.awaited_year, early.overdue) == (2025, False)
    assert report_state(plan, [], dt.date(2026, 11, 9)).overdue


def test_after_the_plan_ends_its_last_report_stays_awaited() -> None:
    plan, _ = plan_with_duty(2018, 2020, 10, 25, before=True)
    state = report_state(plan, [2019], dt.date(2026, 11, 21))
    assert (state.last_due, state.overdue, state.next_due) == (dt.date(2020, 10, 24), True, None)


def test_a_rule_without_a_date_flags_nothing() -> None:
    plan, _ = plan_with_duty(2021, 2030, None, None)
    state = report_state(plan, [], dt.date(2026, 11, 21))
    assert state.undated and not state.overdue and state.next_due is None


def test_no_report_is_awaited_for_a_year_after_the_targets_own() -> None:
    """A 2018 milestone of a 2018–2020 plan is asked for its 2018 report, never a 2020 one."""
    plan, _ = plan_with_duty(2018, 2020, 10, 25, before=True)
    state = report_state(plan, [], dt.date(2026, 11, 21), until=2018)
    assert (state.awaited_year, state.last_due) == (2018, dt.date(2018, 10, 24))
    assert state.overdue and state.next_due is None
    assert not report_state(plan, [2018], dt.date(2026, 11, 21), until=2018).overdue
    # The same plan's 2020 targets are still asked for the 2020 report.
    assert report_state(plan, [2018], dt.date(2026, 11, 21), until=2020).awaited_year == 2020


def test_a_target_whose_year_has_not_come_waits_for_no_later_report() -> None:
    plan, _ = plan_with_duty(2021, 2030, 11, 10)
    state = report_state(plan, [], dt.date(2022, 11, 11), until=2025)
    assert (state.awaited_year, state.next_due) == (2022, dt.date(2023, 11, 10))
    done = report_state(plan, [2025], dt.date(2026, 11, 21), until=2025)
    assert (done.awaited_year, done.overdue, done.next_due) == (2025, False, None)
