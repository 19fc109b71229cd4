"""What the home and province pages lead with: what is due next, who owes a figure.

Both are read from the database for what the page shows, not computed over every
indicator: the home page's cost no longer grows with every target a province adds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.indicators.models import Indicator, Observation, indicator_agencies
from app.indicators.progress import Progress, progress
from app.plans.models import Plan
from app.provinces.models import Agency, Province
from app.queries import PLAN_ORDER

# Targets read at a time while looking for the next ones still open.
BATCH = 50


@dataclass(frozen=True)
class Awaited:
    """The targets of one province that no published figure has reached yet, by the
    agency the plan names to report them (None: the plan names none)."""

    province: Province
    total: int
    by_agency: list[tuple[Agency | None, int]]


def next_deadlines(today: dt.date, limit: int, province: Province | None = None) -> list[Progress]:
    """Targets still ahead, the nearest year first (then in the plans' order): due this
    year or later and not yet achieved."""
    query = (
        select(Indicator)
        .join(Indicator.plan)
        .join(Plan.province)
        .where(Indicator.target_year >= today.year)
        .options(
            selectinload(Indicator.observations),
            selectinload(Indicator.plan).selectinload(Plan.province),
            selectinload(Indicator.plan).selectinload(Plan.reporting_duties),
        )
        .order_by(Indicator.target_year, *PLAN_ORDER, Indicator.position)
    )
    if province is not None:
        query = query.where(Plan.province_id == province.id)
    found: list[Progress] = []
    offset = 0
    while len(found) < limit:
        batch = db.session.scalars(query.offset(offset).limit(BATCH)).all()
        for indicator in batch:
            row = progress(indicator, today)
            if not row.assessment.without_target and row.assessment.status != "target_achieved":
                found.append(row)
        if len(batch) < BATCH:
            break
        offset += BATCH
    return found[:limit]


def _agency_order(item: tuple[Agency | None, int]) -> tuple[bool, int, str]:
    """Named agencies first, most targets first; "not named" last."""
    agency, count = item
    return (agency is None, -count, agency.slug if agency else "")


def awaited_figures(province: Province | None = None) -> list[Awaited]:
    """Per province, alphabetically, how many targets have no published value, and by
    reporting agency."""
    return most_awaited(province)[0]


def most_awaited(
    province: Province | None = None, most: int | None = None
) -> tuple[list[Awaited], int]:
    """As `awaited_figures`, for the `most` provinces with the most such targets (most
    first), with how many provinces have any."""
    silent = ~exists().where(Observation.indicator_id == Indicator.id)
    scope = [silent] if province is None else [silent, Plan.province_id == province.id]
    totals = dict(
        db.session.execute(
            select(Plan.province_id, func.count(Indicator.id))
            .join(Indicator.plan)
            .where(*scope)
            .group_by(Plan.province_id)
        ).all()
    )
    provinces = {
        p.id: p for p in db.session.scalars(select(Province).where(Province.id.in_(totals)))
    }
    shown = sorted(totals, key=lambda pid: provinces[pid].slug)
    if most is not None:
        shown = sorted(shown, key=lambda pid: -totals[pid])[:most]
    counted = db.session.execute(
        select(Plan.province_id, indicator_agencies.c.agency_id, func.count(Indicator.id))
        .select_from(Indicator)
        .join(Indicator.plan)
        .outerjoin(indicator_agencies, indicator_agencies.c.indicator_id == Indicator.id)
        .where(*scope, Plan.province_id.in_(shown))
        .group_by(Plan.province_id, indicator_agencies.c.agency_id)
    ).all()
    agency_ids = {agency for _, agency, _ in counted if agency is not None}
    agencies = {
        a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))
    }
    by_province: dict[int, list[tuple[Agency | None, int]]] = {}
    for province_id, agency_id, count in counted:
        agency = agencies.get(agency_id) if agency_id is not None else None
        by_province.setdefault(province_id, []).append((agency, count))
    found = [
        Awaited(provinces[pid], totals[pid], sorted(by_province[pid], key=_agency_order))
        for pid in shown
    ]
    return found, len(totals)
