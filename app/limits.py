"""Limits on how often one address or one browser may do something, counted in the
database every worker and server shares.

Tries of one key are counted one at a time: each writes its row and counts the rows
in the window, its own included, while it holds the key (PostgreSQL: an advisory lock
on the key until the transaction ends; SQLite: the database's one write lock, taken by
the row it writes). However many workers a burst reaches, exactly the limit get
through, and a refused try is not written, so refusals do not extend the wait. Keys
hold a hash, never an address or a cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import DateTime, String, delete, func, select, text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db

# Rows older than this are of no limit's use any more.
LONGEST_WINDOW = dt.timedelta(days=1)


class LimitHit(Model):
    """One counted try, kept for at most a day."""

    __tablename__ = "limit_hit"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


def hashed(kind: str, *parts: str) -> str:
    """A key that names what is limited without holding it (an address, a cookie)."""
    digest = hashlib.sha256("\0".join(parts).encode()).hexdigest()[:40]
    return f"{kind}:{digest}"


@dataclass(frozen=True)
class Limit:
    name: str  # what the refusal is about: "address-hour", "browser-hour", …
    key: str
    most: int
    window: dt.timedelta


def take(limits: list[Limit]) -> Limit | None:
    """Count one try against each limit; None when all allow it, else the first that
    does not (and then the try is not counted). Commits."""
    if not limits:
        return None
    db.session.commit()  # whatever the caller had is its own; this transaction is the try
    if db.session.get_bind().dialect.name == "postgresql":
        for key in sorted({limit.key for limit in limits}):  # always in one order: no deadlock
            db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})
    now = dt.datetime.now(dt.UTC)
    db.session.add_all([LimitHit(key=limit.key, at=now) for limit in limits])
    db.session.flush()  # on SQLite, this takes the write lock until the commit
    refused = next((limit for limit in limits if _count(limit, now) > limit.most), None)
    if refused is not None:
        db.session.rollback()
        return refused
    db.session.execute(
        delete(LimitHit).where(
            LimitHit.key.in_([limit.key for limit in limits]), LimitHit.at < now - LONGEST_WINDOW
        )
    )
    db.session.commit()
    return None


def _count(limit: Limit, now: dt.datetime) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(LimitHit.key == limit.key, LimitHit.at >= now - limit.window)
        )
        or 0
    )


def seconds_until_free(limit: Limit) -> int:
    """How long until the oldest try in the window leaves it (for Retry-After)."""
    now = dt.datetime.now(dt.UTC)
    oldest = db.session.scalar(
        select(func.min(LimitHit.at)).where(
            LimitHit.key == limit.key, LimitHit.at >= now - limit.window
        )
    )
    if oldest is None:
        return 1
    if oldest.tzinfo is None:  # SQLite hands back naive UTC
        oldest = oldest.replace(tzinfo=dt.UTC)
    return max(1, int((oldest + limit.window - now).total_seconds()) + 1)
