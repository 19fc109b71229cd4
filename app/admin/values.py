"""Saving, publishing and discarding editors' values, with the audit trail.

Every change first claims the indicator at the revision the editor's page
showed (one UPDATE … WHERE revision = :seen). If another save came in
between, nothing is written and the editor is told: no silent overwrite.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import CursorResult, select, update

from app.admin.entries import Entry, EntryError, parse_number
from app.admin.models import (
    DISCARDED,
    PUBLISHED,
    SAVED,
    SUBMITTED,
    Account,
    Draft,
    ValueChange,
)
from app.alerts import events as alert_events
from app.database import utc_now
from app.extensions import db
from app.indicators.models import EDITOR, VALUE_FIELDS, Indicator, Observation
from app.indicators.progress import AsOf
from app.indicators.status import assess
from app.publishing import mark_published
from app.queries import today
from app.templating import format_number


class Conflict(Exception):
    """The indicator changed after the editor's page was loaded."""


def claim(indicator: Indicator, seen_revision: int) -> None:
    """Take the indicator from `seen_revision` to the next one, or raise Conflict."""
    done: CursorResult[Any] = db.session.execute(  # type: ignore[assignment]
        update(Indicator)
        .where(Indicator.id == indicator.id, Indicator.revision == seen_revision)
        .values(revision=Indicator.revision + 1)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:
        raise Conflict(indicator.slug)
    db.session.refresh(indicator, ["revision"])


def published(indicator: Indicator, year: int) -> Observation | None:
    """The value the public sees for that year (an editor's, else the content files')."""
    return next((o for o in indicator.values if o.year == year), None)


def changes_value(before: Observation | None, entry: Entry) -> bool:
    """Whether the entry says something other than the published value of its year."""
    return before is None or (before.value, before.achieved) != (entry.value, entry.achieved)


def check_correction(indicator: Indicator, entry: Entry) -> None:
    """A change to a published value needs a reason; a new year's value does not."""
    before = published(indicator, entry.year)
    if before is None or entry.reason:
        return
    if changes_value(before, entry):
        raise EntryError(fields={"reason": correction_needs_a_reason(entry.year)})


def correction_needs_a_reason(year: int) -> str:
    return _(
        "This changes the published value for %(year)d: say why in “Reason for the change”.",
        year=year,
    )


def unexplained_correction(indicator: Indicator, form: dict[str, str]) -> str | None:
    """For a form refused for other reasons: whether it also lacks the reason its
    correction needs, so that every problem is shown at once."""
    year = form.get("year", "").strip()
    if (form.get("reason") or "").strip() or not year.isdecimal() or len(year) != 4:
        return None
    before = published(indicator, int(year))
    if before is None:
        return None
    try:
        value = parse_number(form.get("value", ""))
    except EntryError:
        return None
    return correction_needs_a_reason(int(year)) if value != before.value else None


def with_draft(indicator: Indicator, draft: Draft) -> AsOf:
    """The indicator as it will be once the draft is published (nothing is written)."""
    shown = Observation(year=draft.year, origin=EDITOR, created_at=utc_now())
    for name in VALUE_FIELDS:
        setattr(shown, name, getattr(draft, name))
    others = [
        o for o in indicator.observations if not (o.year == draft.year and o.origin == EDITOR)
    ]
    return AsOf(indicator, [*others, shown])


def form_of(indicator: Indicator, published: Observation | Draft) -> dict[str, str]:
    """A published value as the form shows it, for a correction to start from."""
    form = {
        "year": str(published.year),
        "source_document": published.source_document or "",
        "source_section": published.source_section or "",
        "source_date": published.source_date.isoformat() if published.source_date else "",
        "note_vi": published.note_vi or "",
        "note_en": published.note_en or "",
    }
    if indicator.kind == "milestone":
        form["achieved"] = "yes" if published.achieved else "no"
    else:
        form["value"] = format_number(published.value)
    return form


def last_entry_by(account: Account) -> ValueChange | None:
    """The officer's last value saved or published: its source is likely the next one's."""
    return db.session.scalar(
        select(ValueChange)
        .where(ValueChange.account_id == account.id, ValueChange.action.in_((SAVED, PUBLISHED)))
        .order_by(ValueChange.at.desc(), ValueChange.id.desc())
        .limit(1)
    )


def value_changes(
    indicator_ids: list[int], *, published_only: bool = False, limit: int | None = None
) -> list[ValueChange]:
    """The audit trail of these indicators, newest first."""
    query = select(ValueChange).where(ValueChange.indicator_id.in_(indicator_ids))
    if published_only:
        query = query.where(ValueChange.action == PUBLISHED)
    order = query.order_by(ValueChange.at.desc(), ValueChange.id.desc()).limit(limit)
    return list(db.session.scalars(order))


def drafts_of(indicator: Indicator) -> list[Draft]:
    return list(
        db.session.scalars(
            select(Draft).where(Draft.indicator_id == indicator.id).order_by(Draft.year)
        )
    )


def _draft(indicator: Indicator, year: int) -> Draft | None:
    return db.session.scalar(
        select(Draft).where(Draft.indicator_id == indicator.id, Draft.year == year)
    )


def _change(
    indicator: Indicator,
    year: int,
    action: str,
    account: Account | None,
    via: str,
    old: Observation | Draft | None,
    new: Entry | Draft | None,
) -> ValueChange:
    change = ValueChange(
        indicator_id=indicator.id,
        year=year,
        action=action,
        old_value=old.value if old else None,
        old_achieved=old.achieved if old else None,
        new_value=new.value if new else None,
        new_achieved=new.achieved if new else None,
        source_document=new.source_document if new else None,
        source_section=new.source_section if new else None,
        reason=new.reason if new else None,
        via=via,
        account_id=account.id if account else None,
        at=utc_now(),
    )
    db.session.add(change)
    return change


def save_draft(indicator: Indicator, entry: Entry, account: Account, via: str = "form") -> Draft:
    """Keep the entry as the year's draft (replacing an earlier draft of that year)."""
    draft = _draft(indicator, entry.year)
    previous = published(indicator, entry.year)
    if draft is None:
        draft = Draft(indicator_id=indicator.id, year=entry.year)
        db.session.add(draft)
    for name in (*VALUE_FIELDS, "reason"):
        setattr(draft, name, getattr(entry, name))
    draft.account_id = account.id
    draft.saved_at = utc_now()
    draft.submitted_by_id = draft.submitted_at = None  # changed: it needs approving anew
    _change(indicator, entry.year, SAVED, account, via, previous, entry)
    return draft


class NeedsApproval(Exception):
    """The plan needs a second editor: this one sent the draft, or nobody did yet."""


def submit(indicator: Indicator, year: int, account: Account) -> bool:
    """Send a draft for a second editor's approval (plans that ask for one)."""
    draft = _draft(indicator, year)
    if draft is None:
        return False
    draft.submitted_by_id, draft.submitted_at = account.id, utc_now()
    _change(indicator, year, SUBMITTED, account, "form", published(indicator, year), draft)
    return True


def check_approval(indicator: Indicator, draft: Draft, account: Account) -> None:
    if not indicator.plan.second_approval:
        return
    if draft.submitted_by_id is None or draft.submitted_by_id == account.id:
        raise NeedsApproval(indicator.slug)


def awaiting_approval(indicator_ids: list[int], account: Account) -> list[Draft]:
    """Drafts other editors sent for approval that this account may approve."""
    return list(
        db.session.scalars(
            select(Draft)
            .where(
                Draft.indicator_id.in_(indicator_ids),
                Draft.submitted_by_id.is_not(None),
                Draft.submitted_by_id != account.id,
            )
            .order_by(Draft.submitted_at)
        )
    )


def publish(indicator: Indicator, years: Iterable[int], account: Account, via: str = "form") -> int:
    """Make the drafts of these years public; corrections keep the old value in the trail."""
    count = 0
    status_before = assess(indicator, today()).status
    written: list[tuple[int, bool]] = []
    for year in sorted(set(years)):
        draft = _draft(indicator, year)
        if draft is None:
            continue
        check_approval(indicator, draft, account)
        before = published(indicator, year)
        _change(indicator, year, PUBLISHED, account, via, before, draft)
        _write_observation(indicator, draft)
        db.session.delete(draft)
        written.append((year, before is not None))
        count += 1
    if count:
        mark_published([f"indicator:{indicator.slug}"])
        db.session.add_all(
            alert_events.values_published(
                indicator, written, status_before, assess(indicator, today()).status
            )
        )
    return count


def _write_observation(indicator: Indicator, draft: Draft) -> None:
    row = next(
        (o for o in indicator.observations if o.year == draft.year and o.origin == EDITOR), None
    )
    if row is None:
        row = Observation(year=draft.year, origin=EDITOR, created_at=utc_now())
        indicator.observations.append(row)
    for name in VALUE_FIELDS:
        setattr(row, name, getattr(draft, name))


def discard(indicator: Indicator, year: int, account: Account) -> bool:
    draft = _draft(indicator, year)
    if draft is None:
        return False
    _change(indicator, year, DISCARDED, account, "form", draft, None)
    db.session.delete(draft)
    return True
