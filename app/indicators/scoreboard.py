"""Counts of targets by status, one row per group (a plan's theme, a plan, a province)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.indicators.progress import Progress
from app.indicators.status import STATUSES, StatusInfo
from app.indicators.stored import Counts


@dataclass(frozen=True)
class Tally:
    """How many of a group's targets have each status, how many have a report overdue
    and how many are past their own deadline (counted apart: one is about a report,
    the other about the target)."""

    label: Any
    counts: Counter[str]
    report_overdue: int
    deadline_passed: int
    total: int
    # Reported results the plan sets no target for: not targets, so not in the counts.
    without_target: int
    # Filters of the indicator list that show this group; None when the list has no such filter.
    filters: dict[str, str] | None = None

    def count(self, status: str) -> int:
        return self.counts[status]


@dataclass(frozen=True)
class Scoreboard:
    columns: list[StatusInfo]
    rows: list[Tally]
    total: Tally

    @property
    def shows_report_overdue(self) -> bool:
        return self.total.report_overdue > 0

    @property
    def shows_deadline_passed(self) -> bool:
        return self.total.deadline_passed > 0


def tally(label: Any, rows: Iterable[Progress], filters: dict[str, str] | None = None) -> Tally:
    rows = list(rows)
    targets = [row for row in rows if not row.assessment.without_target]
    return Tally(
        label=label,
        counts=Counter(row.assessment.status for row in targets),
        report_overdue=sum(1 for row in targets if row.report.overdue),
        deadline_passed=sum(1 for row in targets if row.assessment.overdue_milestone),
        total=len(targets),
        without_target=len(rows) - len(targets),
        filters=filters,
    )


def tally_of(label: Any, counts: Counts | None, filters: dict[str, str] | None = None) -> Tally:
    """A group's tally from the counts of its stored statuses (`stored.counted`)."""
    counts = counts or Counts()
    return Tally(
        label=label,
        counts=Counter(counts.by_status),
        report_overdue=counts.report_overdue,
        deadline_passed=counts.deadline_passed,
        total=counts.targets,
        without_target=counts.without_target,
        filters=filters,
    )


def scoreboard(groups: list[Tally], total_filters: dict[str, str] | None = None) -> Scoreboard:
    """Only the statuses that occur get a column, so the table stays narrow on a phone."""
    counts: Counter[str] = Counter()
    for group in groups:
        counts.update(group.counts)
    total = Tally(
        label=None,
        counts=counts,
        report_overdue=sum(g.report_overdue for g in groups),
        deadline_passed=sum(g.deadline_passed for g in groups),
        total=sum(g.total for g in groups),
        without_target=sum(g.without_target for g in groups),
        filters=total_filters,
    )
    columns = [info for key, info in STATUSES.items() if counts[key]]
    # A group with reported results but no target has no row of zeros.
    rows = [g for g in groups if g.total or not g.without_target]
    return Scoreboard(columns=columns, rows=rows, total=total)
