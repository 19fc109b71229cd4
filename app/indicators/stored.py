"""Each indicator's status, kept in its row for the day and data version it holds.

Lists filter and page by status in SQL and scoreboards count in SQL, so a page costs
what it shows, not what exists. The stored status is what `progress` says on that
day from the same data; the pages still compute each shown row in full (the figures
behind its status, its next deadline) and so always agree with it.

It is kept in two ways:
- a transaction that publishes data (`mark_published`) recomputes, before it commits,
  the indicators it changed, or every one when it does not list them (a content load);
- a reader of stored statuses first checks that they are of today and of the current
  data version (`ensure_current`). The date moves deadlines and statuses at midnight;
  a database restored or upgraded holds statuses of no known day. Either way the
  first reader recomputes them all, once, for everyone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, event, func, select, text, update
from sqlalchemy.orm import Session, selectinload

from app.extensions import db
from app.indicators.models import Indicator
from app.indicators.progress import Progress, progress
from app.publishing import EVERYTHING, SiteState, changed_in_transaction

# Indicators read into memory at a time while recomputing them all.
BATCH = 500


@dataclass(frozen=True)
class Stored:
    status: str
    without_target: bool
    report_overdue: bool
    deadline_passed: bool

    @classmethod
    def of(cls, row: Progress) -> Stored:
        return cls(
            row.assessment.status,
            row.assessment.without_target,
            row.report.overdue,
            row.assessment.overdue_milestone,
        )

    def write(self, indicator: Indicator) -> None:
        for name, value in self.__dict__.items():
            if getattr(indicator, f"stored_{name}") != value:
                setattr(indicator, f"stored_{name}", value)


def _loaded(session: Session, where: Sequence[ColumnElement[bool]]) -> Iterator[Indicator]:
    # Imported here: app.queries builds on the indicators' modules.
    from app.queries import PLAN_FOR_STATUS

    last = 0
    while True:
        batch = session.scalars(
            select(Indicator)
            .where(Indicator.id > last, *where)
            .order_by(Indicator.id)
            .limit(BATCH)
            .options(
                selectinload(Indicator.observations),
                selectinload(Indicator.plan).options(*PLAN_FOR_STATUS),
            )
        ).all()
        yield from batch
        if len(batch) < BATCH:
            return
        last = batch[-1].id


def recompute(session: Session, day: dt.date, slugs: Collection[str] | None = None) -> None:
    """Store the status on `day` of these indicators (all when `slugs` is None)."""
    where = [] if slugs is None else [Indicator.slug.in_(sorted(slugs))]
    for indicator in _loaded(session, where):
        Stored.of(progress(indicator, day)).write(indicator)


def keep_with_publishing() -> None:
    """Have every transaction that publishes data recompute the statuses it moves."""
    if not event.contains(Session, "before_commit", _keep_with_publish):
        event.listen(Session, "before_commit", _keep_with_publish)


def _keep_with_publish(session: Session) -> None:
    changed = changed_in_transaction(session)
    state = session.get(SiteState, 1) if changed is not None else None
    if changed is None or state is None:
        return
    # Imported here: the date follows app.queries.today, which tests and the clock share.
    from app.queries import today

    day = today()
    session.flush()
    if EVERYTHING in changed:
        recompute(session, day)
    else:
        slugs = {key.partition(":")[2] for key in changed if key.startswith("indicator:")}
        if slugs:
            recompute(session, day, slugs)
        if (state.statuses_version, state.statuses_on) != (state.version - 1, day):
            return  # they were not current before this change: the next reader recomputes
    state.statuses_version, state.statuses_on = state.version, day
    session.flush()


def ensure_current(day: dt.date) -> None:
    """Recompute every stored status unless they are of `day` and the current data."""
    if _current(day) is None:
        return
    # One reader recomputes; the others (other workers at midnight) wait, then find it
    # done. A publish does not wait for this lock, so the two never wait on each other.
    db.session.commit()
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('xanh-statuses'))"))
    else:  # a write takes SQLite's one lock
        db.session.execute(
            update(SiteState).where(SiteState.id == 1).values(pledges=SiteState.pledges)
        )
    version = _current(day)
    if version is not None:
        recompute(db.session(), day)
        # Current as of the version read before: if a publish moved it meanwhile, they
        # may be older than its data, and the next reader recomputes them again.
        db.session.execute(
            update(SiteState)
            .where(SiteState.id == 1, SiteState.version == version)
            .values(statuses_on=day, statuses_version=version)
        )
    db.session.commit()


def _current(day: dt.date) -> int | None:
    """None when the stored statuses are of `day` and of the current data (or there is
    no data yet); else the current data version, which they are to be brought to."""
    row = db.session.execute(
        select(SiteState.version, SiteState.statuses_version, SiteState.statuses_on).where(
            SiteState.id == 1
        )
    ).first()
    if row is None or (row.statuses_version, row.statuses_on) == (row.version, day):
        return None
    return int(row.version)


def counted(group: Any = None, *where: ColumnElement[bool]) -> dict[Any, Counts]:
    """Per value of `group` (a column of the indicator, its plan or its province; None:
    one group of all), the counts a scoreboard shows, in one query of stored statuses
    (made current first)."""
    # Imported here: the plans' models come before the indicators', and app.queries
    # (whose today() tests and the clock share) builds on this module.
    from app.plans.models import Plan
    from app.queries import today

    ensure_current(today())

    stored = (
        Indicator.stored_status,
        Indicator.stored_without_target,
        Indicator.stored_report_overdue,
        Indicator.stored_deadline_passed,
    )
    keys = [] if group is None else [group]
    rows = db.session.execute(
        select(*keys, *stored, func.count())
        .select_from(Indicator)
        .join(Indicator.plan)
        .join(Plan.province)
        .where(*where)
        .group_by(*keys, *stored)
    ).all()
    groups: dict[Any, Counts] = {}
    for row in rows:
        key = row[0] if keys else None
        status, without_target, overdue, passed, n = row[len(keys) :]
        groups.setdefault(key, Counts()).add(status, without_target, overdue, passed, n)
    return groups


@dataclass
class Counts:
    """A group's targets by status, with reported results that have no target apart."""

    by_status: dict[str, int] = field(default_factory=dict)
    report_overdue: int = 0
    deadline_passed: int = 0
    targets: int = 0
    without_target: int = 0

    def add(self, status: str, without_target: bool, overdue: bool, passed: bool, n: int) -> None:
        if without_target:
            self.without_target += n
            return
        self.by_status[status] = self.by_status.get(status, 0) + n
        self.targets += n
        self.report_overdue += n if overdue else 0
        self.deadline_passed += n if passed else 0
