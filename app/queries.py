"""Lookups shared by the HTML pages and the API."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from flask import abort
from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import Progress, progress
from app.indicators.stored import Counts, counted
from app.plans.models import Plan, ReportingDuty, Task
from app.provinces.models import Province
from app.sources.models import PlanDocument

# Indicators read at a time when a whole selection is gone through (a CSV download).
BATCH = 500
# Provinces alphabetically, then each province's newest plan first.
PLAN_ORDER = (Province.slug, Plan.issued.desc().nulls_last(), Plan.slug)


def today() -> dt.date:
    """The real calendar date; status, deadlines and plan periods follow it."""
    return dt.date.today()


def by_slug_or_404[T](model: type[T], slug: str, field: str = "slug") -> T:
    """The row whose `field` (its slug, or a source document's key) is `slug`, else 404."""
    if len(slug) > 120:
        abort(404)
    column: Any = getattr(model, field)
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


def newest_plans(limit: int) -> tuple[list[Plan], int]:
    """The most recently issued plans, with how many plans there are in all."""
    newest = db.session.scalars(
        select(Plan)
        .options(*PLAN_FOR_STATUS)
        .order_by(Plan.issued.desc().nulls_last(), Plan.slug)
        .limit(limit)
    )
    return list(newest), db.session.scalar(select(func.count()).select_from(Plan)) or 0


def with_plan_details(plans: Sequence[Plan], *also: Any) -> Sequence[Plan]:
    """Load, for these plans only, everything a plan's full record reads (its documents,
    themes, phases, tasks and their agencies, reporting duties), in a fixed number of
    queries however many plans there are: a page of the API costs what it shows. `also`:
    more loader options on the plans, for what a page shows besides."""
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
                *also,
            )
        ).all()
    return plans


# What a target shows under its plan (on the plan's and the province's pages), loaded
# with the plan's targets.
TARGET_ROW = (
    selectinload(Indicator.observations),
    selectinload(Indicator.reported_by),
    selectinload(Indicator.topic),
)
# What a row of a list of indicators reads, loaded with the rows.
INDICATOR_PAGE_OPTIONS = (
    *TARGET_ROW,
    selectinload(Indicator.plan).options(*PLAN_FOR_STATUS),
    selectinload(Indicator.theme),
)


def all_indicators() -> list[Indicator]:
    return list(
        db.session.scalars(
            select(Indicator)
            .options(*INDICATOR_PAGE_OPTIONS)
            .join(Indicator.plan)
            .join(Plan.province)
            .order_by(*PLAN_ORDER, Indicator.position)
        )
    )


class Selection[T](Sequence[T]):
    """Rows some query of ids selects, read from the database a slice at a time: its
    length is one count, a slice one query of ids and one of the rows they name (with
    what they show), so a page of a list costs what it shows, not what exists."""

    def __init__(
        self,
        ids: Select[Any],
        load: Callable[[list[int]], Sequence[T]],
        total: int | None = None,
    ) -> None:
        self.ids = ids
        self.load = load
        if total is None:
            counting = select(func.count()).select_from(ids.order_by(None).subquery())
            total = db.session.scalar(counting)
        self.total = total or 0

    def __len__(self) -> int:
        return self.total

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, int):
            position = index + len(self) if index < 0 else index
            found = self._rows(position, 1)
            if not found:
                raise IndexError(index)
            return found[0]
        start, stop, step = index.indices(len(self))
        return self._rows(start, stop - start)[::step]

    def __iter__(self) -> Iterator[T]:
        for start in range(0, len(self), BATCH):
            yield from self._rows(start, BATCH)

    def _rows(self, start: int, count: int) -> list[T]:
        if count <= 0:
            return []
        return list(self.load(list(db.session.scalars(self.ids.offset(start).limit(count)))))


def in_order[R](model: type[R], ids: list[int], *options: Any) -> list[R]:
    """The rows of these ids, in the order of the ids."""
    column: Any = getattr(model, "id")  # noqa: B009
    found = db.session.scalars(select(model).where(column.in_(ids)).options(*options))
    rows = {r.id: r for r in found}  # type: ignore[attr-defined]
    return [rows[i] for i in ids]


class SelectedIndicators(Selection[Progress]):
    """The indicators some conditions select, in the plans' order, each with its status
    and reports on `day`; `counts` are its stored statuses counted (`counted` makes them
    current, so a status condition selects by today's status)."""

    def __init__(self, where: Sequence[ColumnElement[bool]], day: dt.date) -> None:
        self.counts = counted(None, *where).get(None) or Counts()
        ids = (
            select(Indicator.id)
            .join(Indicator.plan)
            .join(Plan.province)
            .where(*where)
            .order_by(*PLAN_ORDER, Indicator.position)
        )

        def load(chosen: list[int]) -> list[Progress]:
            rows = in_order(Indicator, chosen, *INDICATOR_PAGE_OPTIONS)
            return [progress(row, day) for row in rows]

        super().__init__(ids, load, self.counts.targets + self.counts.without_target)


def selected_plans() -> Selection[Plan]:
    """Every plan (provinces in the order they were loaded, a province's newest plan
    first), a slice at a time."""
    ids = select(Plan.id).order_by(Plan.province_id, Plan.issued.desc(), Plan.id)
    return Selection(
        ids,
        lambda chosen: in_order(Plan, chosen, *PLAN_FOR_STATUS, selectinload(Plan.indicators)),
    )


def with_progress(indicators: list[Indicator]) -> list[Progress]:
    day = today()
    return [progress(indicator, day) for indicator in indicators]
