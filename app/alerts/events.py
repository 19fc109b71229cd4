"""What the alerts report, written where it happens.

Values and campaign updates are written inside the transaction that publishes
them; a goal reached, just after the pledge that reached it; deadlines near and
reports overdue, by the sender when it runs (`found_events`), once each.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.alerts.models import (
    DEADLINE_SOON,
    GOAL_REACHED,
    OVERDUE,
    STATUS_CHANGED,
    VALUE_CORRECTED,
    VALUE_PUBLISHED,
    AlertEvent,
)
from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import progress

DEADLINE_DAYS = 30  # a report due within this many days is announced


def values_published(
    indicator: Indicator, years: list[tuple[int, bool]], before: str, after: str
) -> list[AlertEvent]:
    """The events of values of these years (corrected: True) and of the status change they
    bring, if any, for the caller to add to its transaction as it is about to commit (the
    sender reads events some seconds old: see app/alerts/sender.py)."""
    found = [
        AlertEvent(
            kind=VALUE_CORRECTED if corrected else VALUE_PUBLISHED,
            indicator_slug=indicator.slug,
            year=year,
        )
        for year, corrected in years
    ]
    if before != after:
        found.append(
            AlertEvent(
                kind=STATUS_CHANGED, indicator_slug=indicator.slug, detail=f"{before}>{after}"
            )
        )
    return found


def once(event: AlertEvent) -> bool:
    """Write an event that may have been written already (same key): commits; False when
    it was there."""
    if db.session.scalar(select(AlertEvent.id).where(AlertEvent.key == event.key)):
        return False
    db.session.add(event)
    try:
        db.session.commit()
    except IntegrityError:  # written meanwhile by another worker
        db.session.rollback()
        return False
    return True


def goal_reached(campaign_slug: str, people: int, goal: int) -> None:
    if people >= goal:
        once(
            AlertEvent(
                kind=GOAL_REACHED,
                campaign_slug=campaign_slug,
                detail=str(goal),
                key=f"goal:{campaign_slug}:{goal}",
            )
        )


def found_events(indicators: list[Indicator], today: dt.date) -> int:
    """Reports due within DEADLINE_DAYS and reports overdue, each written once."""
    written = 0
    for indicator in indicators:
        report = progress(indicator, today).report
        due = report.next_due
        if due is not None and 0 <= (due - today).days <= DEADLINE_DAYS:
            written += once(
                AlertEvent(
                    kind=DEADLINE_SOON,
                    indicator_slug=indicator.slug,
                    year=due.year,  # a report due in a year gives that year's value
                    detail=due.isoformat(),
                    key=f"due:{indicator.slug}:{due.isoformat()}",
                )
            )
        if report.overdue and report.awaited_year is not None:
            written += once(
                AlertEvent(
                    kind=OVERDUE,
                    indicator_slug=indicator.slug,
                    year=report.awaited_year,
                    detail=report.last_due.isoformat() if report.last_due else None,
                    key=f"overdue:{indicator.slug}:{report.awaited_year}",
                )
            )
    return written
