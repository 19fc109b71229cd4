"""What the home and province pages lead with: what is due next, who owes a figure."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from app.indicators.progress import Progress
from app.provinces.models import Agency, Province


@dataclass(frozen=True)
class Awaited:
    """The targets of one province that no published figure has reached yet, by the
    agency the plan names to report them (None: the plan names none)."""

    province: Province
    total: int
    by_agency: list[tuple[Agency | None, int]]


def next_deadlines(rows: Iterable[Progress], today: dt.date, limit: int) -> list[Progress]:
    """Targets still ahead, the nearest year first: those due this year or later and
    not yet achieved."""
    ahead = [
        row
        for row in rows
        if row.indicator.target_year is not None
        and row.indicator.target_year >= today.year
        and not row.assessment.without_target
        and row.assessment.status != "target_achieved"
    ]
    ahead.sort(key=lambda row: row.indicator.target_year or 0)  # stable: plans' order next
    return ahead[:limit]


def awaited_figures(rows: Iterable[Progress]) -> list[Awaited]:
    """Per province, the targets without any published value and who is to report them."""
    totals: Counter[Province] = Counter()
    counts: dict[Province, Counter[Agency | None]] = {}
    for row in rows:
        indicator = row.indicator
        if indicator.values or row.assessment.without_target:
            continue
        province = indicator.plan.province
        totals[province] += 1
        agencies = counts.setdefault(province, Counter())
        named: list[Agency | None] = list(indicator.reported_by) or [None]
        for agency in named:
            agencies[agency] += 1
    return [
        Awaited(
            province,
            totals[province],
            sorted(agencies.items(), key=lambda item: (item[0] is None, -item[1])),
        )
        for province, agencies in counts.items()
    ]
