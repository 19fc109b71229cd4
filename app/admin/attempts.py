"""Limits on guessing passwords, counted in the database that every worker shares.

Each try is written (and committed) before the password is checked, then the
tries in the window are counted, the new one included: however many workers a
burst reaches, no more than the limit get a password checked. A try that
succeeds is taken back. Limits are per account *and* address, so nobody can
lock an editor out from the editor's own address by guessing elsewhere; per
address, against one address trying many accounts; and a wider one per
account, against guesses spread over many addresses. Flask-Limiter's storages
(memory, Redis, Memcached, MongoDB) are not shared through the database the
site already has, which is why this is not done with it.
"""

from __future__ import annotations

import datetime as dt

from flask import request
from sqlalchemy import DateTime, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db
from app.limits import hashed

WINDOW = dt.timedelta(minutes=15)
LIMITS = {
    "account+address": 5,
    "address": 20,
    "account": 100,
    "current-password": 5,  # the password page asks for it: the same guessing, signed in
}


class FailedAttempt(Model):
    """One try at a password, kept for WINDOW. Keys hold a hash, never the address."""

    __tablename__ = "failed_attempt"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


def sign_in_keys(email: str) -> dict[str, str]:
    address = request.remote_addr or ""
    return {
        "account+address": hashed("aa", email, address),
        "address": hashed("ad", address),
        "account": hashed("ac", email),
    }


def password_keys(account_id: int) -> dict[str, str]:
    return {"current-password": hashed("cp", str(account_id))}


class Attempt:
    """One try: `allowed` says whether its password may be checked."""

    def __init__(self, keys: dict[str, str]) -> None:
        self.keys = keys
        now = dt.datetime.now(dt.UTC)
        self.rows = [FailedAttempt(key=key, at=now) for key in keys.values()]
        db.session.add_all(self.rows)
        db.session.execute(delete(FailedAttempt).where(FailedAttempt.at < now - WINDOW))
        db.session.commit()
        counts = dict(
            db.session.execute(
                select(FailedAttempt.key, func.count())
                .where(FailedAttempt.key.in_(keys.values()), FailedAttempt.at >= now - WINDOW)
                .group_by(FailedAttempt.key)
            ).all()
        )
        self.allowed = all(counts.get(key, 0) <= LIMITS[kind] for kind, key in keys.items())
        if not self.allowed:  # only tries whose password was checked count
            self._take_back()
            db.session.commit()

    def _take_back(self) -> None:
        ids = [row.id for row in self.rows]
        db.session.execute(delete(FailedAttempt).where(FailedAttempt.id.in_(ids)))

    def succeeded(self) -> None:
        """A right password: this try does not count (the caller commits)."""
        self._take_back()
