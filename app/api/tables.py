"""Indicators and their values as CSV, one row per reported value (UTF-8 with BOM).

The byte-order mark lets spreadsheet programs open Vietnamese text correctly.
An indicator with no value yet still gets one row, with the value columns empty.
Text that a spreadsheet would run as a formula is written with a leading
apostrophe, as OWASP advises for CSV files ("CSV injection"): editors type the
value's source, and a download must not run what they typed on a reader's machine.
Numbers are written as numbers, negative ones too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask import Response

from app.api.openapi import LICENCE
from app.indicators.progress import Progress

COLUMNS = (
    "indicator",
    "title_vi",
    "title_en",
    "part_vi",
    "part_en",
    "province",
    "plan",
    "plan_number",
    "kind",
    "unit_vi",
    "unit_en",
    "direction",
    "target_year",
    "target_comparator",
    "target_value",
    "target_value_high",
    "target_source",
    "status",
    "report_overdue",
    "year",
    "value",
    "achieved",
    "value_source_document",
    "value_source_section",
    "value_source_date",
    "licence",  # a downloaded file keeps no headers: it names its licence itself
)


# A cell starting with one of these is read as a formula by Excel, LibreOffice and Sheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def rows(progress: Progress) -> Iterable[dict[str, object]]:
    indicator, assessment, report = progress
    common: dict[str, object] = {
        "indicator": indicator.slug,
        "title_vi": indicator.title_vi,
        "title_en": indicator.title_en,
        "part_vi": indicator.part_vi,
        "part_en": indicator.part_en,
        "province": indicator.plan.province.slug,
        "plan": indicator.plan.slug,
        "plan_number": indicator.plan.number,
        "kind": indicator.kind,
        "unit_vi": indicator.unit_vi,
        "unit_en": indicator.unit_en,
        "direction": indicator.direction,
        "target_year": indicator.target_year,
        "target_comparator": indicator.target_comparator,
        "target_value": indicator.target_value,
        "target_value_high": indicator.target_value_high,
        "target_source": f"{indicator.source_document}, {indicator.source_section}",
        "status": assessment.status,
        "report_overdue": "yes" if report.overdue else "no",
        "licence": f"{LICENCE['name']} {LICENCE['url']}",
    }
    if not indicator.values:
        yield common
    for o in indicator.values:
        yield {
            **common,
            "year": o.year,
            "value": o.value,
            "achieved": None if o.achieved is None else ("yes" if o.achieved else "no"),
            "value_source_document": o.source_document,
            "value_source_section": o.source_section,
            "value_source_date": o.source_date.isoformat() if o.source_date else None,
        }


def csv_response(progress: Iterable[Progress], filename: str) -> Response:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for item in progress:
        writer.writerows({k: as_text_cell(v) for k, v in row.items()} for row in rows(item))
    return Response(
        out.getvalue().encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )
