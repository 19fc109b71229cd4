"""Lookups of the comparisons, shared by the comparison, province and indicator pages."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.compare.models import Comparison, ComparisonEntry
from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import Progress, progress
from app.queries import PLAN_FOR_STATUS, Selection, in_order, today

# What a comparison shows of each entry, loaded with the comparisons.
WITH_ENTRIES = (
    selectinload(Comparison.entries)
    .selectinload(ComparisonEntry.indicator)
    .options(
        selectinload(Indicator.observations),
        selectinload(Indicator.plan).options(*PLAN_FOR_STATUS),
    ),
)


def selected_comparisons() -> Selection[Comparison]:
    """Every comparison in its order, read a slice at a time with its entries."""
    ids = select(Comparison.id).order_by(Comparison.position, Comparison.id)
    return Selection(ids, lambda chosen: in_order(Comparison, chosen, *WITH_ENTRIES))


def comparisons_of(indicator_ids: set[int]) -> list[Comparison]:
    """The comparisons in which any of these indicators takes part (titles only, for links)."""
    return list(
        db.session.scalars(
            select(Comparison)
            .join(Comparison.entries)
            .where(ComparisonEntry.indicator_id.in_(indicator_ids))
            .distinct()
            .order_by(Comparison.position)
        )
    )


def side_by_side(comparison: Comparison) -> list[tuple[ComparisonEntry, Progress]]:
    day = today()
    return [(entry, progress(entry.indicator, day)) for entry in comparison.entries]
