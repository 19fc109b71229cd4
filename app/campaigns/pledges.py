"""Pledges: residents saying "I'll do this" for a campaign's actions, counted in public.

A pledge keeps what the public count needs and nothing about the person: the
campaign, the actions (by their content key, so rewording an action keeps its
count), an optional province and commune or ward, and when. Editors may void a
burst of pledges they judge automated; the public count then says how many were
removed, when and why.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, ForeignKey, String, func, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utc_now
from app.extensions import Model, db

# Why pledges were voided, as the public count says it in either language.
VOID_REASONS = {
    "automated": _l("removed as automated"),
    "duplicates": _l("removed as duplicates"),
    "test": _l("removed as tests"),
}


class Pledge(Model):
    __tablename__ = "pledge"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_slug: Mapped[str] = mapped_column(String(120), index=True)
    province_slug: Mapped[str | None] = mapped_column(String(80))
    place: Mapped[str | None] = mapped_column(String(100))  # commune or ward, as written
    made_at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    # The form's single-use number: the same form sent twice is one pledge.
    form_nonce: Mapped[str] = mapped_column(String(40), unique=True)
    void_id: Mapped[int | None] = mapped_column(ForeignKey("pledge_void.id"), index=True)

    actions: Mapped[list[PledgeAction]] = relationship(cascade="all, delete-orphan")


class PledgeAction(Model):
    __tablename__ = "pledge_action"
    pledge_id: Mapped[int] = mapped_column(
        ForeignKey("pledge.id", ondelete="CASCADE"), primary_key=True
    )
    action_key: Mapped[str] = mapped_column(String(120), primary_key=True)


class PledgeVoid(Model):
    """Pledges an editor removed from the count, with the public reason."""

    __tablename__ = "pledge_void"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_slug: Mapped[str] = mapped_column(String(120), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # a key of VOID_REASONS
    note: Mapped[str | None] = mapped_column(String(500))  # for editors only
    start: Mapped[dt.datetime]
    end: Mapped[dt.datetime]
    count: Mapped[int]
    voided_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))

    @property
    def public_reason(self) -> str:
        return str(VOID_REASONS.get(self.reason, self.reason))


class PledgeGoal(Model):
    """The goal an editor set for a campaign: "1,000 people by Green Week"."""

    __tablename__ = "pledge_goal"
    campaign_slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    people: Mapped[int]
    by: Mapped[dt.date | None]
    label_vi: Mapped[str | None] = mapped_column(String(120))
    label_en: Mapped[str | None] = mapped_column(String(120))
    set_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))


@dataclass
class Tally:
    """What the public count of one campaign shows."""

    people: int = 0
    by_action: Counter[str] = field(default_factory=Counter)
    by_province: Counter[str] = field(default_factory=Counter)
    no_province: int = 0
    goal: PledgeGoal | None = None
    voids: list[PledgeVoid] = field(default_factory=list)

    @property
    def goal_share(self) -> float | None:
        if self.goal is None or self.goal.people <= 0:
            return None
        return min(1.0, self.people / self.goal.people)

    @property
    def goal_reached(self) -> bool:
        return self.goal is not None and self.people >= self.goal.people


def counted() -> ColumnElement[bool]:
    return Pledge.void_id.is_(None)


def tally(campaign_slug: str) -> Tally:
    """The public count of a campaign."""
    return tallies([campaign_slug])[campaign_slug]


def tallies(campaign_slugs: Sequence[str]) -> dict[str, Tally]:
    """The public counts of these campaigns: four small grouped queries, however many."""
    found = {slug: Tally() for slug in campaign_slugs}
    chosen = (Pledge.campaign_slug.in_(list(found)), counted())
    for slug, province, people in db.session.execute(
        select(Pledge.campaign_slug, Pledge.province_slug, func.count())
        .where(*chosen)
        .group_by(Pledge.campaign_slug, Pledge.province_slug)
    ):
        result = found[slug]
        result.people += people
        if province is None:
            result.no_province = people
        else:
            result.by_province[province] = people
    for slug, action, people in db.session.execute(
        select(Pledge.campaign_slug, PledgeAction.action_key, func.count())
        .join(Pledge)
        .where(*chosen)
        .group_by(Pledge.campaign_slug, PledgeAction.action_key)
    ):
        found[slug].by_action[action] = people
    for goal in db.session.scalars(
        select(PledgeGoal).where(PledgeGoal.campaign_slug.in_(list(found)))
    ):
        found[goal.campaign_slug].goal = goal
    for void in db.session.scalars(
        select(PledgeVoid)
        .where(PledgeVoid.campaign_slug.in_(list(found)))
        .order_by(PledgeVoid.voided_at)
    ):
        found[void.campaign_slug].voids.append(void)
    return found


def people_per_campaign() -> dict[str, int]:
    """How many people pledged to each campaign, in one query (for lists and home)."""
    return dict(
        db.session.execute(
            select(Pledge.campaign_slug, func.count())
            .where(counted())
            .group_by(Pledge.campaign_slug)
        ).all()
    )


def all_goals() -> dict[str, PledgeGoal]:
    return {goal.campaign_slug: goal for goal in db.session.scalars(select(PledgeGoal))}


def pledges_per_hour(campaign_slug: str, since: dt.datetime) -> list[tuple[dt.datetime, int, int]]:
    """For editors: each hour since `since` with its pledges counted and voided."""
    hours: Counter[tuple[dt.datetime, bool]] = Counter()
    rows = db.session.execute(
        select(Pledge.made_at, Pledge.void_id).where(
            Pledge.campaign_slug == campaign_slug, Pledge.made_at >= since
        )
    )
    for made_at, void_id in rows:
        hours[(made_at.replace(minute=0, second=0, microsecond=0), void_id is not None)] += 1
    starts = sorted({hour for hour, _ in hours}, reverse=True)
    return [(hour, hours[(hour, False)], hours[(hour, True)]) for hour in starts]


def void_pledges(
    campaign_slug: str,
    start: dt.datetime,
    end: dt.datetime,
    reason: str,
    note: str | None,
    account_id: int | None,
) -> PledgeVoid:
    """Take the campaign's counted pledges made in [start, end) out of the count (the
    caller commits; the pledges stay, marked, so a void can be read back)."""
    void = PledgeVoid(
        campaign_slug=campaign_slug,
        reason=reason,
        note=note,
        start=start,
        end=end,
        count=0,
        account_id=account_id,
    )
    db.session.add(void)
    db.session.flush()
    done = db.session.execute(
        update(Pledge)
        .where(
            Pledge.campaign_slug == campaign_slug,
            counted(),
            Pledge.made_at >= start,
            Pledge.made_at < end,
        )
        .values(void_id=void.id)
    )
    void.count = done.rowcount  # type: ignore[attr-defined]
    return void
