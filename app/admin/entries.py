"""An editor's value for one year, read from a form or a CSV row and checked.

Every problem is a sentence in the editor's language; the form and the CSV
import share these checks, so a value refused in one is refused in the other.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from flask_babel import format_decimal
from flask_babel import gettext as _

from app.indicators.models import Indicator

MAX_TEXT = 300
_GROUPED = re.compile(r"^\d{1,3}([.,\s\u00a0]\d{3})+$")


class EntryError(ValueError):
    """A value that cannot be accepted, with the reason in the editor's language; `fields`
    holds each problem under the field it is about, for the form to show beside it."""

    def __init__(self, message: str = "", fields: dict[str, str] | None = None) -> None:
        self.fields = fields or {}
        super().__init__(message or " ".join(self.fields.values()))


def parse_number(text: str) -> float:
    """Read a number written the Vietnamese way (12,5 or 1.234,5) or the English way.

    With both separators, the last one is the decimal mark. A lone comma is a
    decimal comma. Groups of exactly three digits after the first separator
    (1.234.567) are thousands. Anything else is refused rather than guessed.
    """
    raw = text.strip().replace("\u00a0", " ")
    if not raw:
        raise EntryError(_("The value is empty."))
    sign = -1.0 if raw.startswith("-") else 1.0
    body = raw.lstrip("+-").strip().removesuffix("%").strip()
    if not re.fullmatch(r"[\d.,\s]+", body) or not re.search(r"\d", body):
        raise EntryError(_("“%(text)s” is not a number.", text=text.strip()[:40]))
    if "." in body and "," in body:
        decimal = "," if body.rfind(",") > body.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _sep, fraction = body.rpartition(decimal)
        if not _GROUPED.match(whole.replace(thousands, ",")) and thousands in whole:
            raise EntryError(_("“%(text)s” is not a number.", text=text.strip()[:40]))
        body = whole.replace(thousands, "") + "." + fraction
    elif body.count(",") > 1 or body.count(".") > 1 or " " in body:
        if not _GROUPED.match(body):
            raise EntryError(_("“%(text)s” is not a number.", text=text.strip()[:40]))
        body = re.sub(r"[.,\s]", "", body)
    else:
        body = body.replace(",", ".")
    try:
        number = sign * float(body)
    except ValueError:
        raise EntryError(_("“%(text)s” is not a number.", text=text.strip()[:40])) from None
    if not math.isfinite(number):
        raise EntryError(_("“%(text)s” is not a number.", text=text.strip()[:40]))
    return number


def value_range(indicator: Indicator) -> tuple[float | None, float | None]:
    """The values an indicator can take: a share 0–100, a yearly rate ±100, else at least 0."""
    unit = (indicator.unit_en or indicator.unit_vi or "").strip()
    if unit == "%":
        return 0.0, 100.0
    if "%" in unit:
        return -100.0, 100.0
    return 0.0, None


def year_range(indicator: Indicator, today: dt.date) -> tuple[int, int]:
    """From the plan's start (or its baseline) to its last target year, and not in the future."""
    plan = indicator.plan
    starts = [y for y in (plan.period_start, indicator.baseline_year) if y]
    if plan.issued:
        starts.append(plan.issued.year)
    ends = [y for y in (plan.period_end, plan.vision_year, indicator.target_year) if y]
    first = min(starts) if starts else 1990
    last = min(max(ends) if ends else today.year, today.year)
    return first, last


@dataclass(frozen=True)
class Entry:
    year: int
    value: float | None
    achieved: bool | None
    source_document: str
    source_section: str | None
    source_date: dt.date | None
    note_vi: str | None
    note_en: str | None
    reason: str | None


def _text(raw: dict[str, Any], name: str) -> str | None:
    value = str(raw.get(name) or "").strip()
    if len(value) > MAX_TEXT * 4:
        raise EntryError(_("“%(field)s” is too long.", field=name))
    return value or None


def read_entry(indicator: Indicator, raw: dict[str, Any], today: dt.date) -> Entry:
    """Check one year's value for an indicator; raise EntryError with every problem found,
    each under its field."""
    problems: dict[str, list[str]] = {}

    def about(field: str) -> list[str]:
        return problems.setdefault(field, [])

    year = _year(indicator, str(raw.get("year") or ""), today, about("year"))
    value, achieved = None, None
    if indicator.kind == "milestone":
        achieved = _achieved(str(raw.get("achieved") or raw.get("value") or ""), about("achieved"))
    else:
        try:
            value = parse_number(str(raw.get("value") or ""))
            _check_range(indicator, value)
        except EntryError as error:
            about("value").append(str(error))
    source = (str(raw.get("source_document") or "")).strip()
    if not source:
        about("source_document").append(_("Name the source document (its number or title)."))
    elif len(source) > MAX_TEXT:
        about("source_document").append(_("The source document's name is too long."))
    texts: dict[str, str | None] = {}
    for name in ("source_section", "note_vi", "note_en", "reason"):
        try:
            texts[name] = _text(raw, name)
        except EntryError as error:
            about(name).append(str(error))
            texts[name] = None
    source_date = _date(str(raw.get("source_date") or ""), today, about("source_date"))
    found = {field: " ".join(said) for field, said in problems.items() if said}
    if found or year is None:
        raise EntryError(fields=found)
    return Entry(
        year,
        value,
        achieved,
        source,
        texts["source_section"],
        source_date,
        texts["note_vi"],
        texts["note_en"],
        texts["reason"],
    )


def _year(indicator: Indicator, text: str, today: dt.date, problems: list[str]) -> int | None:
    first, last = year_range(indicator, today)
    if not re.fullmatch(r"\s*\d{4}\s*", text):
        problems.append(_("The year must be four digits, such as %(year)d.", year=last))
        return None
    year = int(text)
    if year < first:
        problems.append(
            _("%(year)d is before this plan's first year (%(first)d).", year=year, first=first)
        )
        return None
    if year > last:
        if year > today.year:
            problems.append(
                _(
                    "%(year)d has not come yet: values can be entered up to %(last)d.",
                    year=year,
                    last=last,
                )
            )
        else:
            problems.append(
                _("%(year)d is after this plan's last year (%(last)d).", year=year, last=last)
            )
        return None
    return year


def _check_range(indicator: Indicator, value: float) -> None:
    low, high = value_range(indicator)
    if (low is not None and value < low) or (high is not None and value > high):
        if high is None:
            raise EntryError(
                _("%(value)s is out of range: it cannot be negative.", value=format_decimal(value))
            )
        raise EntryError(
            _(
                "%(value)s is out of range: it must be between %(low)s and %(high)s.",
                value=format_decimal(value),
                low=format_decimal(low),
                high=format_decimal(high),
            )
        )


YES = {"yes", "có", "co", "1", "true", "done", "đạt", "dat", "x"}
NO = {"no", "không", "khong", "0", "false", "chưa", "chua"}


def _achieved(text: str, problems: list[str]) -> bool | None:
    word = text.strip().lower()
    if word in YES:
        return True
    if word in NO:
        return False
    problems.append(_("Say whether the milestone was reached: yes or no."))
    return None


def _date(text: str, today: dt.date, problems: list[str]) -> dt.date | None:
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            day = dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
        if day > today:
            problems.append(_("The source's date is in the future."))
            return None
        return day
    problems.append(_("Write the source's date as 2024-10-25 or 25/10/2024."))
    return None
