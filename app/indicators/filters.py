"""The filters of the indicator list, shared by the HTML page and the API."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.indicators.models import Indicator, Topic
from app.indicators.progress import Progress
from app.indicators.status import STATUSES, Assessment
from app.plans.models import Plan
from app.provinces.models import Province


@dataclass(frozen=True)
class IndicatorFilters:
    province: str | None = None
    plan: str | None = None
    status: str | None = None
    theme: str | None = None

    def matches(self, indicator: Indicator, assessment: Assessment) -> bool:
        return (
            (self.province is None or indicator.plan.province.slug == self.province)
            and (self.plan is None or indicator.plan.slug == self.plan)
            and (self.status is None or assessment.status == self.status)
            and (self.theme is None or indicator.topic.slug == self.theme)
        )

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


def apply(filters: IndicatorFilters, rows: list[Progress]) -> list[Progress]:
    return [row for row in rows if filters.matches(row.indicator, row.assessment)]
