"""Counts of targets by status, one row per group (a plan's theme, a plan, a province)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from app.indicators.progress import Progress
from app.indicators.status import STATUSES, StatusInfo


@dataclass(frozen=True)
class Tally:
    """How many of a group's targets have each status, and how many reports are overdue."""

    label: Any
    counts: Counter[str]
    overdue: int
    total: int
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
    def shows_overdue(self) -> bool:
        return self.total.overdue > 0


def tally(label: Any, rows: Iterable[Progress], filters: dict[str, str] | None = None) -> Tally:
    rows = list(rows)
    return Tally(
        label=label,
        counts=Counter(row.assessment.status for row in rows),
        overdue=sum(1 for row in rows if row.report.overdue or row.assessment.overdue_milestone),
        total=len(rows),
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
        overdue=sum(g.overdue for g in groups),
        total=sum(g.total for g in groups),
        filters=total_filters,
    )
    columns = [info for key, info in STATUSES.items() if counts[key]]
    return Scoreboard(columns=columns, rows=groups, total=total)
