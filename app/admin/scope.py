"""Which indicators an account may enter values for."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, or_, select, true
from sqlalchemy.orm import selectinload

from app.admin.models import Account
from app.extensions import db
from app.indicators.models import Indicator, indicator_agencies
from app.plans.models import Plan
from app.queries import PLAN_ORDER


def scope_rule(account: Account) -> ColumnElement[bool]:
    """The one rule: administrators reach every indicator, editors those of their plans
    and of the agencies that report them."""
    if account.is_admin:
        return true()
    reported = select(indicator_agencies.c.indicator_id).where(
        indicator_agencies.c.agency_id.in_([agency.id for agency in account.agencies])
    )
    return or_(
        Indicator.plan_id.in_([plan.id for plan in account.plans]), Indicator.id.in_(reported)
    )


def ids_in_scope(account: Account) -> set[int]:
    return set(db.session.scalars(select(Indicator.id).where(scope_rule(account))))


def in_scope(account: Account, indicator: Indicator) -> bool:
    found = select(Indicator.id).where(Indicator.id == indicator.id, scope_rule(account))
    return db.session.scalar(found) is not None


def scope_query(account: Account) -> Select[Indicator]:
    query = (
        select(Indicator)
        .join(Indicator.plan)
        .join(Plan.province)
        .options(
            selectinload(Indicator.observations),
            selectinload(Indicator.plan).selectinload(Plan.province),
            selectinload(Indicator.plan).selectinload(Plan.reporting_duties),
            selectinload(Indicator.reported_by),
        )
        .order_by(*PLAN_ORDER, Indicator.position)
    )
    return query.where(scope_rule(account))


def indicators_in_scope(account: Account) -> list[Indicator]:
    return list(db.session.scalars(scope_query(account)))
