"""Following by email: double opt-in, links that need no password, and leaving.

Every link in an email carries a signed token naming the subscriber and their
current link key; whoever holds an email of theirs may manage what they follow.
Asking to follow never says whether an address is already known.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.alerts.models import (
    CONFIRM,
    CONFIRMS_PER_DAY,
    FAILED,
    PENDING,
    AlertEvent,
    Delivery,
    Subscriber,
    Subscription,
)
from app.database import utc_now
from app.extensions import db
from app.updates.routes import SCOPES  # the kinds of page a reader can follow

EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")
EMAIL_LENGTH = 254
# Days an unsubscribed address is kept (to undo a mistaken click), and an unconfirmed one.
GRACE_DAYS = 7
UNCONFIRMED_DAYS = 7


def normal_email(text: str) -> str | None:
    """The address as stored (its domain in lower case), or None when it is not one."""
    text = text.strip()
    if len(text) > EMAIL_LENGTH or not EMAIL.match(text):
        return None
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def scope_item(kind: str, slug: str) -> Any:
    """The province, plan, target or campaign a scope names, or None."""
    if kind not in SCOPES or len(slug) > 120:
        return None
    model: Any = SCOPES[kind][0]
    return db.session.scalar(select(model).where(model.slug == slug))


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="alerts")


def link_token(subscriber: Subscriber) -> str:
    return _serializer().dumps([subscriber.id, subscriber.link_key])


def subscriber_of(token: str) -> Subscriber | None:
    try:
        data: Any = _serializer().loads(token)
        subscriber_id, key = data
    except (BadSignature, ValueError, TypeError):
        return None
    found = db.session.get(Subscriber, subscriber_id) if isinstance(subscriber_id, int) else None
    return found if found is not None and found.link_key == key else None


def follow(
    email: str,
    kind: str,
    slug: str,
    lang: str,
    consent: str,
    remind_on: dt.date | None = None,
) -> None:
    """Add a scope, unconfirmed, and ask for a confirmation (one message a day at most).
    Commits."""
    subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
    if subscriber is None:
        subscriber = Subscriber(email=email, lang=lang, consent_text=consent)
        db.session.add(subscriber)
        try:
            db.session.flush()
        except IntegrityError:  # the same address, asked for at the same moment
            db.session.rollback()
            subscriber = db.session.scalar(select(Subscriber).where(Subscriber.email == email))
            if subscriber is None:
                raise
    existing = next((s for s in subscriber.subscriptions if (s.kind, s.slug) == (kind, slug)), None)
    if existing is None:
        existing = Subscription(kind=kind, slug=slug)
        subscriber.subscriptions.append(existing)
    if remind_on is not None:
        existing.remind_on = remind_on
    if not existing.confirmed:
        # What the subscriber agrees to when confirming is what this form said.
        subscriber.consent_text = consent
        subscriber.consent_at = utc_now()
        _ask_to_confirm(subscriber)
    db.session.commit()


def _ask_to_confirm(subscriber: Subscriber) -> None:
    """Queue a confirmation, unless one waits to go (it will hold every scope waiting then)
    or CONFIRMS_PER_DAY went today."""
    today = dt.date.today()
    asked = list(
        db.session.scalars(
            select(Delivery).where(
                Delivery.subscriber_id == subscriber.id,
                Delivery.kind == CONFIRM,
                Delivery.day == today,
            )
        )
    )
    if any(d.status in (PENDING, FAILED) for d in asked) or len(asked) >= CONFIRMS_PER_DAY:
        return
    db.session.add(
        Delivery(subscriber_id=subscriber.id, kind=CONFIRM, day=today, number=len(asked) + 1)
    )


def confirm(subscriber: Subscriber) -> list[Subscription]:
    """Confirm every scope waiting; the caller commits."""
    waiting = [s for s in subscriber.subscriptions if not s.confirmed]
    for subscription in waiting:
        subscription.confirmed = True
    if subscriber.confirmed_at is None:
        # A first digest tells what happens from now on, not everything that ever did.
        subscriber.last_event_id = db.session.scalar(select(func.max(AlertEvent.id))) or 0
        subscriber.confirmed_at = utc_now()
    subscriber.unsubscribed_at = None
    return waiting


def leave(subscriber: Subscriber) -> None:
    """Unsubscribe from everything: nothing more is sent, the scopes go at once, and the
    address goes after GRACE_DAYS. The caller commits."""
    subscriber.subscriptions.clear()
    subscriber.unsubscribed_at = utc_now()


def forget_the_departed(now: dt.datetime) -> int:
    """Delete addresses unsubscribed GRACE_DAYS ago and those never confirmed."""
    gone = list(
        db.session.scalars(
            select(Subscriber).where(
                (Subscriber.unsubscribed_at < now - dt.timedelta(days=GRACE_DAYS))
                | (
                    Subscriber.confirmed_at.is_(None)
                    & (Subscriber.created_at < now - dt.timedelta(days=UNCONFIRMED_DAYS))
                )
            )
        )
    )
    for subscriber in gone:
        db.session.delete(subscriber)
    db.session.commit()
    return len(gone)
