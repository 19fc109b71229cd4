"""Limits on how often one address or one browser may do something, counted in the
database every worker and server shares.

A try is written and committed before it is counted, its own row included: however
many workers a burst reaches, no more than the limit get through (two tries racing
may both be refused, never both let through past it). A refused try is taken back,
so refusals do not extend the wait. Keys hold a hash, never an address or a cookie.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from sqlalchemy import DateTime, String, delete, func, select
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
    now = dt.datetime.now(dt.UTC)
    rows = [LimitHit(key=limit.key, at=now) for limit in limits]
    db.session.add_all(rows)
    db.session.execute(
        delete(LimitHit).where(
            LimitHit.key.in_([limit.key for limit in limits]), LimitHit.at < now - LONGEST_WINDOW
        )
    )
    db.session.commit()
    refused = next((limit for limit in limits if _count(limit, now) > limit.most), None)
    if refused is not None:
        db.session.execute(delete(LimitHit).where(LimitHit.id.in_([row.id for row in rows])))
        db.session.commit()
    return refused


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
