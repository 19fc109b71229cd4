"""CSV import of values: a template, a dry run that shows every change, then all rows or none."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import values
from app.admin.entries import Entry, EntryError, read_entry
from app.admin.models import Account
from app.admin.scope import ids_in_scope, indicators_in_scope
from app.extensions import db
from app.i18n import localized
from app.indicators.models import Indicator

COLUMNS = (
    "indicator",
    "title",
    "unit",
    "year",
    "value",
    "source_document",
    "source_section",
    "source_date",
    "note_vi",
    "note_en",
    "reason",
)
REQUIRED = ("indicator", "year", "value", "source_document")
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

NEW, CORRECTION, UNCHANGED, ERROR = "new", "correction", "unchanged", "error"


class ImportFileError(ValueError):
    """The file as a whole cannot be read; nothing in it was looked at row by row."""


@dataclass
class RowResult:
    line: int
    slug: str
    year: str
    outcome: str
    indicator: Indicator | None = None
    entry: Entry | None = None
    old: object | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class ImportPlan:
    rows: list[RowResult]
    revisions: dict[str, int]

    @property
    def errors(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome == ERROR]

    @property
    def changes(self) -> list[RowResult]:
        return [r for r in self.rows if r.outcome in (NEW, CORRECTION)]


def template_csv(account: Account, lang: str) -> str:
    """One row per indicator in the account's scope, ready to fill in (UTF-8 with a BOM)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for indicator in indicators_in_scope(account):
        if indicator.kind == "milestone":
            unit = _("yes or no")
        else:
            unit = str(localized(indicator, "unit", lang))
        writer.writerow(
            [indicator.slug, str(localized(indicator, "title", lang)), unit]
            + [""] * (len(COLUMNS) - 3)
        )
    return out.getvalue()


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The CSV's rows as dicts; comma, semicolon or tab separated, UTF-8 (with or without BOM)."""
    if len(data) > MAX_BYTES:
        raise ImportFileError(_("The file is larger than 2 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again.")
        ) from None
    if "\x00" in text:
        raise ImportFileError(_("The file is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip().lower() for name in reader.fieldnames or []]
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ImportFileError(
            _("The file lacks the columns: %(columns)s.", columns=", ".join(missing))
        )
    reader.fieldnames = header
    rows = []
    try:
        for row in reader:
            rows.append({k: (v or "").strip() for k, v in row.items() if isinstance(k, str)})
            if len(rows) > MAX_ROWS:
                raise ImportFileError(_("The file has more than %(n)d rows.", n=MAX_ROWS))
    except csv.Error:
        raise ImportFileError(
            _("The CSV could not be read near line %(line)d.", line=reader.line_num)
        ) from None
    return rows


def plan_import(account: Account, rows: list[dict[str, str]], today: dt.date) -> ImportPlan:
    """Check every row; nothing is written."""
    slugs = {row.get("indicator", "") for row in rows}
    found = {
        i.slug: i for i in db.session.scalars(select(Indicator).where(Indicator.slug.in_(slugs)))
    }
    allowed = ids_in_scope(account)
    results: list[RowResult] = []
    seen: dict[tuple[str, int], int] = {}
    for line, row in enumerate(rows, start=2):  # line 1 is the header
        slug, year_text = row.get("indicator", ""), row.get("year", "")
        if not any(row.get(k) for k in ("value", "achieved")) and not year_text:
            continue  # a template row left empty
        result = RowResult(line, slug, year_text, ERROR)
        results.append(result)
        indicator = found.get(slug)
        if indicator is None:
            result.problems.append(_("Unknown indicator “%(slug)s”.", slug=slug[:120]))
            continue
        result.indicator = indicator
        if indicator.id not in allowed:
            result.problems.append(_("This indicator is not in your scope."))
            continue
        try:
            entry = read_entry(indicator, row, today)
            values.check_correction(indicator, entry)
        except EntryError as error:
            result.problems.append(str(error))
            continue
        earlier = seen.get((slug, entry.year))
        if earlier is not None:
            result.problems.append(
                _(
                    "Line %(line)d already gives this indicator's value for %(year)d.",
                    line=earlier,
                    year=entry.year,
                )
            )
            continue
        seen[(slug, entry.year)] = line
        result.entry = entry
        result.old = values.published(indicator, entry.year)
        if result.old is None:
            result.outcome = NEW
        else:
            result.outcome = CORRECTION if values.changes_value(result.old, entry) else UNCHANGED
    revisions = {r.indicator.slug: r.indicator.revision for r in results if r.indicator}
    return ImportPlan(results, revisions)


def apply_import(account: Account, plan: ImportPlan, seen: dict[str, int], publish: bool) -> int:
    """Write every change of a plan with no errors, in the caller's transaction.

    `seen` holds each indicator's revision at the dry run; an indicator changed
    since then raises values.Conflict and the caller rolls everything back.
    """
    assert not plan.errors
    by_indicator: dict[str, list[RowResult]] = {}
    for row in plan.changes:
        by_indicator.setdefault(row.slug, []).append(row)
    for slug, rows in by_indicator.items():
        indicator = rows[0].indicator
        assert indicator is not None
        if slug not in seen:
            raise values.Conflict(slug)
        values.claim(indicator, seen[slug])
        for row in rows:
            assert row.entry is not None
            values.save_draft(indicator, row.entry, account, via="csv")
        years = [r.entry.year for r in rows if r.entry]
        if publish and indicator.plan.second_approval:
            # The dry run was this officer's review; a second editor still approves each.
            for year in years:
                values.submit(indicator, year, account)
        elif publish:
            values.publish(indicator, years, account, via="csv")
    return len(plan.changes)
