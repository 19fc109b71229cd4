"""Reporting deadlines, computed from the real calendar date."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from app.plans.models import Plan, ReportingDuty


def deadline(duty: ReportingDuty, year: int) -> dt.date | None:
    """Return the last day a report for `year` may arrive, or None if no date is set."""
    if duty.due_month is None or duty.due_day is None:
        return None
    month, date = duty.due_month, duty.due_day
    if (month, date) == (2, 29) and not calendar.isleap(year):
        date = 28  # "by 29 February" means the last day of February in other years
    day = dt.date(year, month, date)
    return day - dt.timedelta(days=1) if duty.due_is_exclusive else day


def _years(plan: Plan, until: int | None = None) -> range:
    """The years a yearly report covers: the plan's period, cut at `until` (a target's year)."""
    start = plan.period_start or (plan.issued.year if plan.issued else 1990)
    end = plan.period_end or 2100
    if until is not None:
        end = min(end, until)
    return range(start, end + 1)


def last_due(
    duty: ReportingDuty, plan: Plan, today: dt.date, until: int | None = None
) -> dt.date | None:
    """The most recent deadline on or before today, for a year of the plan up to `until`."""
    years = [y for y in _years(plan, until) if y <= today.year]
    for year in reversed(years):
        day = deadline(duty, year)
        if day is None:
            return None
        if day <= today:
            return day
    return None


def next_due(
    duty: ReportingDuty, plan: Plan, today: dt.date, until: int | None = None
) -> dt.date | None:
    """The next deadline after today, while the plan is in force, for a year up to `until`."""
    if plan.status(today) != "in_force":
        return None
    for year in _years(plan, until):
        day = deadline(duty, year)
        if day is None:
            return None
        if day >= today:
            return day
    return None


def dated_duty(plan: Plan) -> ReportingDuty | None:
    return next((d for d in plan.reporting_duties if d.due_month), None)


@dataclass(frozen=True)
class ReportState:
    """Where an indicator stands against its plan's reporting rule on a given day.

    A yearly report due on a date in year Y gives that year's results, so the
    value for Y is awaited from that date on; the report is overdue while no
    value for Y or later is published. Only the years up to the target's own
    year are awaited: no one is asked for a 2020 value of a target set for 2018.
    A plan that sets no date flags nothing.
    """

    duty: ReportingDuty | None
    last_due: dt.date | None
    next_due: dt.date | None
    awaited_year: int | None
    overdue: bool

    @property
    def undated(self) -> bool:
        return self.duty is None


def report_state(
    plan: Plan, reported_years: Iterable[int], today: dt.date, until: int | None = None
) -> ReportState:
    """The state of the reports that cover the years up to `until` (the target's year)."""
    duty = dated_duty(plan)
    if duty is None:
        return ReportState(None, None, None, None, False)
    last = last_due(duty, plan, today, until)
    awaited = last.year if last else None
    overdue = awaited is not None and not any(year >= awaited for year in reported_years)
    return ReportState(duty, last, next_due(duty, plan, today, until), awaited, overdue)
