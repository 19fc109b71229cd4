"""Lookups shared by the HTML pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import Progress, progress
from app.plans.models import Plan, ReportingDuty, Task
from app.provinces.models import Province
from app.sources.models import PlanDocument

# Provinces alphabetically, then each province's newest plan first.
PLAN_ORDER = (Province.slug, Plan.issued.desc().nulls_last(), Plan.slug)


def today() -> dt.date:
    """The real calendar date; status, deadlines and plan periods follow it."""
    return dt.date.today()


def by_slug_or_404[T](model: type[T], slug: str) -> T:
    if len(slug) > 120:
        abort(404)
    column: Any = getattr(model, "slug")  # noqa: B009  (every model looked up so has one)
    row: T | None = db.session.scalar(select(model).where(column == slug))
    if row is None:
        abort(404)
    return row


# What a plan's status and its indicators' reports read: loaded with the plans, not one
# plan at a time while a page renders.
PLAN_FOR_STATUS = (
    selectinload(Plan.province),
    selectinload(Plan.reporting_duties),
    selectinload(Plan.replaced_by),
    selectinload(Plan.replaces),
)


def all_plans() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .options(*PLAN_FOR_STATUS, selectinload(Plan.indicators))
            .order_by(Plan.province_id, Plan.issued.desc())
        )
    )


def with_plan_details(plans: Sequence[Plan]) -> Sequence[Plan]:
    """Load, for these plans only, everything a plan's full record reads (its documents,
    themes, phases, tasks and their agencies, reporting duties), in a fixed number of
    queries however many plans there are: a page of the API costs what it shows."""
    if plans:
        db.session.scalars(
            select(Plan)
            .where(Plan.id.in_([p.id for p in plans]))
            .options(
                selectinload(Plan.replaces),
                selectinload(Plan.replaced_by),
                selectinload(Plan.documents).selectinload(PlanDocument.document),
                selectinload(Plan.themes),
                selectinload(Plan.phases),
                selectinload(Plan.tasks).options(
                    selectinload(Task.lead), selectinload(Task.partners), selectinload(Task.theme)
                ),
                selectinload(Plan.reporting_duties).options(
                    selectinload(ReportingDuty.recipient), selectinload(ReportingDuty.via)
                ),
            )
        ).all()
    return plans


def all_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .options(
                selectinload(Indicator.observations),
                selectinload(Indicator.plan).options(*PLAN_FOR_STATUS),
                selectinload(Indicator.topic),
                selectinload(Indicator.theme),
                selectinload(Indicator.reported_by),
            )
            .join(Indicator.plan)
            .join(Plan.province)
            .order_by(*PLAN_ORDER, Indicator.position)
        )
    )


def with_progress(indicators: list[Indicator]) -> list[Progress]:
    day = today()
    return [progress(indicator, day) for indicator in indicators]
