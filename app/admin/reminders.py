"""Reminders to officers: a month and a week before a report they are responsible for is
due, and when it has just become overdue. Written to the outbox by `flask alerts send`,
once each (one message per officer, stage and report date, listing every target due)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.admin.models import Account
from app.admin.scope import indicators_in_scope
from app.alerts.mail import in_language, rendered
from app.alerts.models import Outbox
from app.extensions import db
from app.indicators.progress import Progress, progress
from app.urls import absolute_url

SOON, LAST_WEEK, OVERDUE = "30", "7", "overdue"
JUST_OVERDUE = dt.timedelta(days=30)  # older overdue reports are on the dashboard, not mailed


def stage_of(row: Progress, today: dt.date) -> tuple[str, dt.date] | None:
    report = row.report
    if report.overdue and report.last_due and today - report.last_due <= JUST_OVERDUE:
        return OVERDUE, report.last_due
    if report.next_due is None:
        return None
    left = (report.next_due - today).days
    if 0 <= left <= 7:
        return LAST_WEEK, report.next_due
    if 7 < left <= 30:
        return SOON, report.next_due
    return None


def queue_reminders(today: dt.date) -> int:
    """Write the reminders due today that were not written before; how many."""
    written = 0
    accounts = db.session.scalars(
        select(Account).where(Account.active.is_(True), Account.password_hash.is_not(None))
    ).all()
    for account in accounts:
        grouped: dict[tuple[str, dt.date], list[Progress]] = defaultdict(list)
        for indicator in indicators_in_scope(account):
            row = progress(indicator, today)
            found = stage_of(row, today)
            if found:
                grouped[found].append(row)
        for (stage, day), rows in sorted(grouped.items(), key=lambda item: item[0][1]):
            key = f"remind:{account.id}:{stage}:{day.isoformat()}"
            if db.session.scalar(select(Outbox.id).where(Outbox.key == key)):
                continue
            db.session.add(_reminder(account, stage, day, rows, key))
            try:
                db.session.commit()
            except IntegrityError:  # written meanwhile by an overlapping run
                db.session.rollback()
                continue
            written += 1
    return written


def _reminder(account: Account, stage: str, day: dt.date, rows: list[Progress], key: str) -> Outbox:
    lang = account.lang if account.lang in ("vi", "en") else "vi"
    with in_language(lang):
        subject = {
            SOON: _("Xanh: reports due within a month"),
            LAST_WEEK: _("Xanh: reports due within a week"),
            OVERDUE: _("Xanh: a report date has passed"),
        }[stage]
    text, html = rendered(
        "admin/email/reminder",
        lang,
        account=account,
        stage=stage,
        day=day,
        rows=rows,
        dashboard=absolute_url("admin.dashboard", lang=lang),
        links={
            row.indicator.slug: absolute_url("admin.indicator", lang=lang, slug=row.indicator.slug)
            for row in rows
        },
    )
    return Outbox(to=account.email, lang=lang, subject=subject, text=text, html=html, key=key)
