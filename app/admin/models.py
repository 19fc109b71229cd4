"""Editor accounts, drafts of values, and the record of every change to a value."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utc_now
from app.extensions import Model, link_table
from app.indicators.models import Indicator, ReportedValue
from app.plans.models import Plan
from app.provinces.models import Agency

ADMIN = "admin"
EDITOR_ROLE = "editor"
ROLES = (ADMIN, EDITOR_ROLE)

account_agencies = link_table("account_agency", "account", "agency")
account_plans = link_table("account_plan", "account", "plan")


def new_session_token() -> str:
    return secrets.token_urlsafe(24)


class Account(Model):
    """A person who may sign in to /admin/: made with `flask accounts create`, or invited
    by an administrator (no password until the invitation's link sets one)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    # Empty for an account restored from an export, until a password is set again.
    password_hash: Mapped[str | None] = mapped_column(String(200))
    # Part of every session; a new one signs the account out everywhere.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    last_sign_in_at: Mapped[dt.datetime | None]
    # The language of the admin pages the officer last signed in with: their emails use it.
    lang: Mapped[str] = mapped_column(String(2), default="vi", server_default="vi")

    agencies: Mapped[list[Agency]] = relationship(secondary=account_agencies)
    plans: Mapped[list[Plan]] = relationship(secondary=account_plans)

    # Flask-Login's interface.
    is_anonymous = False

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active and self.password_hash is not None

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_admin(self) -> bool:
        return self.role == ADMIN


class Draft(ReportedValue, Model):
    """A value an editor saved but has not published; the public never sees it."""

    __table_args__ = (UniqueConstraint("indicator_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    reason: Mapped[str | None]
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    saved_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # Where the plan needs a second editor: who sent the draft for approval, and when.
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    submitted_at: Mapped[dt.datetime | None]

    indicator: Mapped[Indicator] = relationship()
    account: Mapped[Account | None] = relationship(foreign_keys=[account_id])
    submitted_by: Mapped[Account | None] = relationship(foreign_keys=[submitted_by_id])


# What happened to a value; only `published` changes are shown to the public.
SAVED, PUBLISHED, DISCARDED = "draft_saved", "published", "draft_discarded"
SUBMITTED = "submitted"  # sent for a second editor's approval
ACTIONS = (SAVED, SUBMITTED, PUBLISHED, DISCARDED)


class ValueChange(Model):
    """One entry of the audit trail: who changed which year's value, when, from what, and why."""

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    year: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    old_value: Mapped[float | None]
    new_value: Mapped[float | None]
    old_achieved: Mapped[bool | None]
    new_achieved: Mapped[bool | None]
    source_document: Mapped[str | None] = mapped_column(String(300))
    source_section: Mapped[str | None] = mapped_column(String(200))
    reason: Mapped[str | None]
    via: Mapped[str] = mapped_column(String(20), default="form")  # form | csv
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    indicator: Mapped[Indicator] = relationship()
    account: Mapped[Account | None] = relationship()
