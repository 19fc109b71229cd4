"""Which indicators an account may enter values for."""

from __future__ import annotations

from sqlalchemy import Select, or_, select
from sqlalchemy.orm import selectinload

from app.admin.models import Account
from app.extensions import db
from app.indicators.models import Indicator, indicator_agencies
from app.plans.models import Plan
from app.queries import PLAN_ORDER


def in_scope(account: Account, indicator: Indicator) -> bool:
    """Administrators reach every indicator; editors those of their plans and agencies."""
    if account.is_admin:
        return True
    if any(plan.id == indicator.plan_id for plan in account.plans):
        return True
    mine = {agency.id for agency in account.agencies}
    return any(agency.id in mine for agency in indicator.reported_by)


def scope_query(account: Account) -> Select[tuple[Indicator]]:
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
    if account.is_admin:
        return query
    plan_ids = [plan.id for plan in account.plans]
    agency_ids = [agency.id for agency in account.agencies]
    reported = select(indicator_agencies.c.indicator_id).where(
        indicator_agencies.c.agency_id.in_(agency_ids)
    )
    return query.where(or_(Indicator.plan_id.in_(plan_ids), Indicator.id.in_(reported)))


def indicators_in_scope(account: Account) -> list[Indicator]:
    return list(db.session.scalars(scope_query(account)))
