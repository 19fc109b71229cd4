"""Status by the published method, and reporting deadlines from the real calendar."""

from __future__ import annotations

import datetime as dt

import pytest

from app.indicators.models import Indicator, Observation
from app.indicators.status import assess
from app.plans.models import Plan, ReportingDuty
from app.plans.reporting import last_due, next_due


def indicator(
    values: dict[int, float],
    *,
    target: float | None = 90,
    high: float | None = None,
    comparator: str | None = ">=",
    direction: str = "increase",
    year: int = 2030,
) -> Indicator:
    row = Indicator(
        kind="quantitative",
        target_value=target,
        target_value_high=high,
        target_comparator=comparator if target is not None else None,
        target_year=year,
        direction=direction,
    )
    row.observations = [
        Observation(year=y, value=v, source_document="TEST") for y, v in values.items()
    ]
    return row


@pytest.mark.parametrize(
    ("values", "kwargs", "expected"),
    [
        ({}, {}, "no_data"),
        ({2021: 40}, {}, "unable_to_assess"),
        ({2021: 95}, {}, "target_achieved"),
        ({2021: 40}, {"target": None}, "unable_to_assess"),
        ({2020: 40, 2025: 65}, {}, "on_track"),  # 10%/yr against 8.4%/yr needed
        ({2020: 40, 2025: 53}, {}, "acceleration_needed"),
        ({2020: 40, 2025: 42}, {}, "limited_progress"),
        ({2020: 40, 2025: 35}, {}, "deterioration"),
        ({2021: 2.7}, {"target": 2.5, "high": 3, "comparator": "between"}, "target_achieved"),
        ({2021: 3.4}, {"target": 2.5, "high": 3, "comparator": "between"}, "target_achieved"),
        ({2021: 2.1}, {"target": 2.5, "high": 3, "comparator": "between"}, "unable_to_assess"),
        ({2021: 50}, {"target": 50, "comparator": ">"}, "unable_to_assess"),
        ({2021: 51}, {"target": 50, "comparator": ">"}, "target_achieved"),
    ],
)
def test_status(values: dict[int, float], kwargs: dict, expected: str) -> None:
    assert assess(indicator(values, **kwargs)).status == expected


def test_milestone_status() -> None:
    row = Indicator(kind="milestone", target_year=2025)
    assert assess(row).status == "no_data"
    row.observations = [Observation(year=2024, achieved=True, source_document="TEST")]
    assert assess(row).status == "target_achieved"


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


def test_no_date_means_no_deadline() -> None:
    plan, duty = plan_with_duty(2021, 2030, None, None)
    assert last_due(duty, plan, dt.date(2026, 1, 1)) is None
    assert next_due(duty, plan, dt.date(2026, 1, 1)) is None


def test_plan_status_follows_the_date() -> None:
    plan = Plan(period_start=2021, period_end=2030)
    assert plan.status(dt.date(2030, 12, 31)) == "in_force"
    assert plan.status(dt.date(2031, 1, 1)) == "ended"
