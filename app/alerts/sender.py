"""`flask alerts send`: confirmations, then each subscriber's digest of the day.

A message's delivery is written as "sending" and committed before the message
goes, and "sent" after: a failure the SMTP server reports marks it "failed",
and the next run tries again; a crash between the two leaves "sending", which
no run sends again. So a message may, after a crash, not go; it never goes twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.exc import IntegrityError

from app.admin.reminders import queue_reminders
from app.alerts import events as alert_events
from app.alerts.mail import Mailer, MailError, compose, in_language, rendered
from app.alerts.models import (
    CAMPAIGN_UPDATE,
    CONFIRM,
    DIGEST,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    AlertEvent,
    Delivery,
    Outbox,
    Subscriber,
)
from app.alerts.subscribe import forget_the_departed, link_token, scope_item
from app.campaigns.models import Campaign, campaign_indicators
from app.campaigns.posts import CampaignPost
from app.database import utc_now
from app.extensions import db
from app.indicators.models import Indicator
from app.queries import all_indicators
from app.urls import absolute_url

MAX_ATTEMPTS = 5
# Events younger than ALERTS_SETTLE_SECONDS wait for the next run: a transaction that
# wrote one may not have committed yet, and a digest's cursor must not pass it. Events
# are written at the end of their transactions, which last milliseconds (a content load
# at national scale, a few seconds).
Scope = tuple[str, str]


@dataclass
class SendReport:
    confirmations: int = 0
    digests: int = 0
    officers: int = 0  # invitations, password resets and reminders
    reminders: int = 0  # reminders written to the outbox this run
    failed: int = 0
    forgotten: int = 0
    found_events: int = 0

    def __str__(self) -> str:
        return (
            f"{self.confirmations} confirmations, {self.digests} digests and {self.officers} "
            "officers' messages sent, "
            f"{self.failed} failed (tried again at the next run), {self.found_events} new "
            f"deadline or overdue events, {self.forgotten} addresses deleted"
        )


@dataclass
class Line:
    """One entry of a digest."""

    event: AlertEvent
    indicator: Indicator | None = None
    campaign: Campaign | None = None
    post: CampaignPost | None = None


@dataclass
class Digest:
    subscriber: Subscriber
    lines: list[Line] = field(default_factory=list)
    reminders: list[Campaign] = field(default_factory=list)


def send_all(mailer: Mailer, today: dt.date) -> SendReport:
    report = SendReport()
    report.forgotten = forget_the_departed(utc_now())
    report.found_events = alert_events.found_events(all_indicators(), today)
    report.reminders = queue_reminders(today)
    for mail in _due(Outbox):
        message = compose(_sender(), mail.to, mail.subject, mail.text, mail.html, mail.lang)
        sent = _deliver(mailer, mail, message)
        if sent:
            mail.text = mail.html = ""  # its link was a secret: not kept once sent
            db.session.commit()
        if sent is not None:
            report.officers += sent
            report.failed += not sent
    for delivery in _due(Delivery, Delivery.kind == CONFIRM):
        subscriber = db.session.get(Subscriber, delivery.subscriber_id)
        waiting = [s for s in subscriber.subscriptions if not s.confirmed] if subscriber else []
        if subscriber is None or not waiting:
            db.session.delete(delivery)  # confirmed meanwhile, or gone: nothing to ask
            db.session.commit()
            continue
        sent = _deliver(mailer, delivery, _confirmation(subscriber))
        if sent is None:
            continue  # another run took it
        report.confirmations += sent
        report.failed += not sent
    for digest, delivery in _digests(today):
        sent = _deliver(mailer, delivery, _digest_message(digest))
        if sent is None:
            continue
        if sent:
            for subscription in digest.subscriber.subscriptions:
                if subscription.remind_on and subscription.remind_on <= today:
                    subscription.remind_on = None
            db.session.commit()
        report.digests += sent
        report.failed += not sent
    return report


def _due[M: (Delivery, Outbox)](model: type[M], *where: ColumnElement[bool]) -> list[M]:
    """Messages waiting to go: never tried, or refused fewer than MAX_ATTEMPTS times."""
    return list(
        db.session.scalars(
            select(model).where(
                *where,
                (model.status == PENDING)
                | ((model.status == FAILED) & (model.attempts < MAX_ATTEMPTS)),
            )
        )
    )


def _deliver(mailer: Mailer, delivery: Delivery | Outbox, message: object) -> bool | None:
    """Send one message: True once the server took it, False when it refused (tried again
    next run), None when another run (on another server, say) claimed it first."""
    model = type(delivery)
    claimed = db.session.execute(
        update(model)
        .where(model.id == delivery.id, model.status.in_((PENDING, FAILED)))
        .values(status=SENDING, attempts=model.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()  # from here on, a crash leaves "sending": never sent again
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    db.session.refresh(delivery)
    try:
        mailer.send(message)  # type: ignore[arg-type]
    except MailError as error:
        delivery.status, delivery.error = FAILED, str(error)[:300]
        db.session.commit()
        return False
    delivery.status, delivery.sent_at, delivery.error = SENT, utc_now(), None
    db.session.commit()
    return True


def _digests(today: dt.date) -> list[tuple[Digest, Delivery]]:
    """Each subscriber's digest for today that is due: new, or failed before."""
    settle = dt.timedelta(seconds=current_app.config["ALERTS_SETTLE_SECONDS"])
    newest = (
        db.session.scalar(
            select(AlertEvent.id)
            .where(AlertEvent.at <= utc_now() - settle)
            .order_by(AlertEvent.id.desc())
            .limit(1)
        )
        or 0
    )
    subscribers = db.session.scalars(
        select(Subscriber).where(
            Subscriber.confirmed_at.is_not(None), Subscriber.unsubscribed_at.is_(None)
        )
    ).all()
    scopes = _Scopes()
    due: list[tuple[Digest, Delivery]] = []
    for subscriber in subscribers:
        delivery = db.session.scalar(
            select(Delivery).where(
                Delivery.subscriber_id == subscriber.id,
                Delivery.kind == DIGEST,
                Delivery.day == today,
            )
        )
        if delivery is not None and not (
            delivery.status == FAILED and delivery.attempts < MAX_ATTEMPTS
        ):
            continue  # today's digest went, or may have (a crash while sending)
        start = delivery.from_event_id if delivery else subscriber.last_event_id
        end = delivery.last_event_id if delivery else newest
        digest = _digest(subscriber, start or 0, end or 0, today, scopes)
        if delivery is None:
            if not digest.lines and not digest.reminders:
                subscriber.last_event_id = max(subscriber.last_event_id, newest)
                continue
            delivery = Delivery(
                subscriber_id=subscriber.id,
                kind=DIGEST,
                day=today,
                from_event_id=start,
                last_event_id=end,
            )
            db.session.add(delivery)
            subscriber.last_event_id = end or 0
            try:
                db.session.commit()
            except IntegrityError:  # another run made today's digest of this subscriber
                db.session.rollback()
                continue
        due.append((digest, delivery))
    db.session.commit()
    return due


class _Scopes:
    """What each event is about, as scopes: a target's value concerns the target, its
    plan, its province and the campaigns it serves."""

    def __init__(self) -> None:
        self.campaigns_of: dict[int, set[str]] = {}
        for indicator_id, slug in db.session.execute(
            select(campaign_indicators.c.indicator_id, Campaign.slug).join(
                Campaign, Campaign.id == campaign_indicators.c.campaign_id
            )
        ):
            self.campaigns_of.setdefault(indicator_id, set()).add(slug)
        self.indicators: dict[str, Indicator | None] = {}

    def indicator(self, slug: str) -> Indicator | None:
        if slug not in self.indicators:
            self.indicators[slug] = db.session.scalar(
                select(Indicator).where(Indicator.slug == slug)
            )
        return self.indicators[slug]

    def of(self, event: AlertEvent) -> set[Scope]:
        if event.campaign_slug:
            return {("campaigns", event.campaign_slug)}
        indicator = self.indicator(event.indicator_slug or "")
        if indicator is None:
            return set()
        return {
            ("indicators", indicator.slug),
            ("plans", indicator.plan.slug),
            ("provinces", indicator.plan.province.slug),
            *(("campaigns", c) for c in self.campaigns_of.get(indicator.id, ())),
        }


def _digest(
    subscriber: Subscriber, start: int, end: int, today: dt.date, scopes: _Scopes
) -> Digest:
    followed = {(s.kind, s.slug) for s in subscriber.subscriptions if s.confirmed}
    digest = Digest(subscriber)
    found = db.session.scalars(
        select(AlertEvent)
        .where(AlertEvent.id > start, AlertEvent.id <= end)
        .order_by(AlertEvent.id)
    )
    for event in found:
        if not scopes.of(event) & followed:
            continue
        line = Line(event)
        if event.indicator_slug:
            line.indicator = scopes.indicator(event.indicator_slug)
        if event.campaign_slug:
            line.campaign = db.session.scalar(
                select(Campaign).where(Campaign.slug == event.campaign_slug)
            )
            if line.campaign is None:
                continue
        if event.kind == CAMPAIGN_UPDATE:
            line.post = db.session.get(CampaignPost, int(event.detail or 0))
            if line.post is None:
                continue  # taken down before the digest went
        digest.lines.append(line)
    for subscription in subscriber.subscriptions:
        if subscription.confirmed and subscription.remind_on and subscription.remind_on <= today:
            campaign = db.session.scalar(select(Campaign).where(Campaign.slug == subscription.slug))
            if campaign is not None:
                digest.reminders.append(campaign)
    return digest


def _links(subscriber: Subscriber) -> dict[str, str]:
    token = link_token(subscriber)
    return {
        "manage": absolute_url("site.alerts.manage", lang=subscriber.lang, token=token),
        "unsubscribe": absolute_url("alerts_one_click.unsubscribe", token=token),
        "privacy": absolute_url("site.pages.free_standing", lang=subscriber.lang, slug="privacy"),
    }


def _sender() -> str:
    return str(current_app.config["ALERTS_FROM"])


def _confirmation(subscriber: Subscriber) -> object:
    lang = subscriber.lang
    waiting = [(s, scope_item(s.kind, s.slug)) for s in subscriber.subscriptions if not s.confirmed]
    with in_language(lang):
        subject = _("Xanh: confirm that you want these emails")
    text, html = rendered(
        "alerts/email/confirm",
        lang,
        subscriber=subscriber,
        waiting=waiting,
        links=_links(subscriber),
    )
    return compose(_sender(), subscriber.email, subject, text, html, lang)


def _digest_message(digest: Digest) -> object:
    subscriber, lang = digest.subscriber, digest.subscriber.lang
    links = _links(subscriber)
    followed = [scope_item(s.kind, s.slug) for s in subscriber.subscriptions if s.confirmed]
    with in_language(lang):
        count = len(digest.lines) + len(digest.reminders)
        subject = _("Xanh: %(n)d new for what you follow", n=count)
    text, html = rendered(
        "alerts/email/digest",
        lang,
        digest=digest,
        followed=[item for item in followed if item is not None],
        links=links,
    )
    return compose(
        _sender(), subscriber.email, subject, text, html, lang, unsubscribe_url=links["unsubscribe"]
    )
