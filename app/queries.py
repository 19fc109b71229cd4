"""Lookups shared by the HTML pages and the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import Progress, progress
from app.plans.models import Plan
from app.provinces.models import Province

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


def all_plans() -> list[Plan]:
    return list(
        db.session.scalars(
            select(Plan)
            .options(selectinload(Plan.province), selectinload(Plan.indicators))
            .order_by(Plan.province_id, Plan.issued.desc())
        )
    )


def all_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .options(
                selectinload(Indicator.observations),
                selectinload(Indicator.plan).selectinload(Plan.province),
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
