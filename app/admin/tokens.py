"""Links that let an officer set a password: an invitation, or a reset asked for.

A link is single-use, expires, names one account, and stops working once the
account's password changes (it holds a stamp of the password it was made for).
Only a hash of the secret is stored.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import DateTime, ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.admin.models import Account
from app.database import utc_now
from app.extensions import Model, db

INVITE, RESET = "invite", "reset"
LIFETIME = {INVITE: dt.timedelta(days=7), RESET: dt.timedelta(hours=2)}


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def password_stamp(account: Account) -> str:
    """Changes whenever the password does (an account without one has its own stamp)."""
    return _digest(account.password_hash or f"none:{account.id}")[:16]


class AccountToken(Model):
    __tablename__ = "account_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    purpose: Mapped[str] = mapped_column(String(10))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    stamp: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime)
    used_at: Mapped[dt.datetime | None]

    account: Mapped[Account] = relationship()


def issue(account: Account, purpose: str) -> str:
    """A new link's secret (the caller adds the link to a message and commits)."""
    secret = secrets.token_urlsafe(24)
    db.session.add(
        AccountToken(
            account_id=account.id,
            purpose=purpose,
            secret_hash=_digest(secret),
            stamp=password_stamp(account),
            expires_at=utc_now() + LIFETIME[purpose],
        )
    )
    return secret


def valid(secret: str, purpose: str) -> AccountToken | None:
    """The token a link holds, if it may still be used."""
    if not secret or len(secret) > 100:
        return None
    token = db.session.scalar(
        select(AccountToken).where(
            AccountToken.secret_hash == _digest(secret), AccountToken.purpose == purpose
        )
    )
    if (
        token is None
        or token.used_at is not None
        or token.expires_at < utc_now()
        or token.stamp != password_stamp(token.account)
        or (purpose == RESET and not token.account.active)
    ):
        return None
    return token
