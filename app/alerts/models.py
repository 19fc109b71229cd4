"""Email alerts: who follows what, what happened, and what was sent.

A subscriber is an email address with its language and consent; nothing else
about the person. Scopes are a province, a plan, a target or a campaign. Events
are written where the data changes (a value published, a campaign update, a
pledge goal reached) or by the sender (a deadline near, a report overdue); each
day's digest collects the events of a subscriber's scopes.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utc_now
from app.extensions import Model

# What the digest says, one kind of event each.
VALUE_PUBLISHED = "value_published"
VALUE_CORRECTED = "value_corrected"
STATUS_CHANGED = "status_changed"
DEADLINE_SOON = "deadline_soon"
OVERDUE = "overdue"
CAMPAIGN_UPDATE = "campaign_update"
GOAL_REACHED = "goal_reached"

# A delivery's life: sending is written before the message goes, sent after.
PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"
CONFIRM, DIGEST = "confirm", "digest"
# Someone who follows one thing, confirms, then another, gets a second message; someone
# who types another person's address again and again gets no more than this.
CONFIRMS_PER_DAY = 3


def new_link_key() -> str:
    return secrets.token_urlsafe(12)


class Subscriber(Model):
    __tablename__ = "subscriber"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    lang: Mapped[str] = mapped_column(String(2))
    # Part of every link in the emails; a new one makes every old link void.
    link_key: Mapped[str] = mapped_column(String(24), default=new_link_key)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # The words the subscriber agreed to, in their language, and when.
    consent_text: Mapped[str]
    consent_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    confirmed_at: Mapped[dt.datetime | None]
    # Set on unsubscribing; the address is deleted after a short grace period.
    unsubscribed_at: Mapped[dt.datetime | None]
    # The last event a digest has looked at: the next one starts after it.
    last_event_id: Mapped[int] = mapped_column(default=0)

    subscriptions: Mapped[list[Subscription]] = relationship(
        cascade="all, delete-orphan", order_by="Subscription.created_at"
    )


class Subscription(Model):
    __tablename__ = "subscription"
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscriber.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), primary_key=True)
    confirmed: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    # A pledge that asked for a reminder: the day it is due.
    remind_on: Mapped[dt.date | None]


class AlertEvent(Model):
    __tablename__ = "alert_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    kind: Mapped[str] = mapped_column(String(30))
    indicator_slug: Mapped[str | None] = mapped_column(String(120))
    campaign_slug: Mapped[str | None] = mapped_column(String(120))
    year: Mapped[int | None]
    # A status change's "before>after", a deadline's day, a post's id, a goal's number.
    detail: Mapped[str | None] = mapped_column(String(200))
    # Events found by the sender are found again each run: the key makes them once.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)


class Delivery(Model):
    """One message to one subscriber: a confirmation, or a day's digest."""

    __tablename__ = "delivery"
    __table_args__ = (UniqueConstraint("subscriber_id", "kind", "day", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    subscriber_id: Mapped[int] = mapped_column(
        ForeignKey("subscriber.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(10))
    day: Mapped[dt.date]
    # A digest is the day's only one; confirmations are numbered, CONFIRMS_PER_DAY at most.
    number: Mapped[int] = mapped_column(default=1)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    # A digest holds the events after from_event_id up to last_event_id.
    from_event_id: Mapped[int | None]
    last_event_id: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(String(300))


class Outbox(Model):
    """A single message to someone who is not a subscriber (an officer's invitation or
    password reset), sent by the next `flask alerts send` like every other message. Its
    text holds a secret link: it is emptied once the message is sent."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    to: Mapped[str] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str]
    html: Mapped[str]
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)
    sent_at: Mapped[dt.datetime | None]
    error: Mapped[str | None] = mapped_column(String(300))
    # A reminder's key (account, stage, report date): the same reminder is written once.
    key: Mapped[str | None] = mapped_column(String(200), unique=True)
