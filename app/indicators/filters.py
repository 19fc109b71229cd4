"""The filters of the indicator list, shared by the HTML page and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select

from app.extensions import db
from app.indicators.models import Indicator, Topic
from app.indicators.status import STATUSES
from app.plans.models import Plan
from app.provinces.models import Province


@dataclass(frozen=True)
class IndicatorFilters:
    province: str | None = None
    plan: str | None = None
    status: str | None = None
    theme: str | None = None

    def conditions(self) -> list[ColumnElement[bool]]:
        """The filters as SQL, on indicators joined to their plan and its province (a
        status is the stored one: `stored.ensure_current` keeps it of today)."""
        where: list[ColumnElement[bool]] = []
        if self.province is not None:
            where.append(Province.slug == self.province)
        if self.plan is not None:
            where.append(Plan.slug == self.plan)
        if self.status is not None:
            where.append(Indicator.stored_status == self.status)
        if self.theme is not None:
            topic = select(Topic.id).where(Topic.slug == self.theme).scalar_subquery()
            where.append(Indicator.topic_id == topic)
        return where

    @property
    def active(self) -> bool:
        return any(getattr(self, f.name) for f in fields(self))

    @property
    def query(self) -> dict[str, str]:
        """The filters that are set, as query-string arguments."""
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}


# The query parameters the list reads (its pages' and the API's cache keys hold them).
PARAMETERS = tuple(f.name for f in fields(IndicatorFilters))


@dataclass(frozen=True)
class FilterError:
    parameter: str
    value: str

    @property
    def message(self) -> str:
        return _(
            "“%(value)s” is not a known value for “%(parameter)s”.",
            value=self.value[:80],
            parameter=self.parameter,
        )


def choices() -> dict[str, list[str]]:
    """Every accepted value of each filter."""
    return {
        "province": list(db.session.scalars(select(Province.slug).order_by(Province.slug))),
        "plan": list(db.session.scalars(select(Plan.slug).order_by(Plan.slug))),
        "status": list(STATUSES),
        "theme": list(db.session.scalars(select(Topic.slug).order_by(Topic.position))),
    }


def parse_filters(args: Mapping[str, str]) -> tuple[IndicatorFilters, list[FilterError]]:
    """Read the filters from a query string; empty values mean no filter."""
    allowed = choices()
    values: dict[str, str | None] = {}
    errors: list[FilterError] = []
    for name, accepted in allowed.items():
        value = (args.get(name) or "").strip()
        if not value:
            values[name] = None
        elif value in accepted:
            values[name] = value
        else:
            values[name] = None
            errors.append(FilterError(name, value))
    return IndicatorFilters(**values), errors
