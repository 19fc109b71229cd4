"""CSV import of values: the template, the dry run, row errors, all rows or none.

Every test runs on SQLite and again on the real PostgreSQL server.
"""

from __future__ import annotations

import csv
import io
import re
from html import unescape

import pytest
from flask import Flask
from werkzeug.test import EnvironBuilder, TestResponse

from app.admin.importer import COLUMNS
from app.admin.models import Draft, ValueChange
from app.extensions import db
from app.indicators.models import EDITOR, Observation
from tests.admin_helpers import Editor, csrf_token
from tests.test_admin import AIR, BINH_DUONG, FOREST, WASTE, signed_in, text_of

HEADER = "indicator,year,value,source_document,reason"


def upload(editor: Editor, body: str | bytes, filename: str = "values.csv") -> TestResponse:
    """Send a file to the dry run, the way the upload form does."""
    page = editor.client.get(editor.url("import")).get_data(as_text=True)
    data = body.encode() if isinstance(body, str) else body
    form = EnvironBuilder(
        path=editor.url("import"),
        method="POST",
        data={
            "csrf_token": csrf_token(page),
            "action": "dry_run",
            "file": (io.BytesIO(data), filename),
        },
    )
    request = form.get_request()
    try:
        return editor.client.open(request)
    finally:
        request.environ["wsgi.input"].close()  # a large body is spooled to a temporary file
        form.close()


def apply(editor: Editor, dry_run: str, publish: str = "yes") -> TestResponse:
    """Press Import on a dry run's page: its hidden fields, as they are on the page."""
    hidden = dict(
        (name, unescape(value))
        for name, value in re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', dry_run)
    )
    return editor.client.post(editor.url("import"), data={**hidden, "publish": publish})


def published(app: Flask, slug: str) -> list[tuple[int, float | bool | None]]:
    record = app.test_client().get(f"/api/v1/indicators/{slug}").get_json()
    return [
        (o["year"], o["achieved"] if "achieved" in o else o["value"])
        for o in record["observations"]
    ]


def editor_rows(app: Flask) -> tuple[int, int, int]:
    """How many editor values, drafts and trail entries the database holds."""
    with app.app_context():
        counts = (
            db.session.query(Observation).filter(Observation.origin == EDITOR).count(),
            db.session.query(Draft).count(),
            db.session.query(ValueChange).count(),
        )
        db.session.remove()
    return counts


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_template_lists_the_editors_indicators_and_imports_once_filled_in(
    site: Flask, lang: str
) -> None:
    lan = signed_in(site, "lan@donre.example", lang)
    response = lan.client.get(lan.url("import/template.csv"))
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("\ufeff")  # so that Excel opens the Vietnamese as UTF-8
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert tuple(rows[0]) == COLUMNS
    slugs = [row["indicator"] for row in rows]
    dashboard = lan.client.get(lan.url("")).get_data(as_text=True)
    assert set(slugs) == set(re.findall(r"/indicators/([a-z0-9-]+)\"", dashboard))
    assert WASTE in slugs and AIR in slugs and FOREST not in slugs
    waste = next(row for row in rows if row["indicator"] == WASTE)
    assert waste["unit"] == "%"
    if lang == "vi":
        assert "chất thải rắn" in waste["title"]
    # Filled in for one indicator and sent back as it is: every other row is skipped.
    waste.update(year="2024", value="88,5", source_document="BC 12/BC-STNMT")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    dry_run = upload(lan, "\ufeff" + out.getvalue())
    assert dry_run.status_code == 200
    assert apply(lan, dry_run.get_data(as_text=True)).status_code == 302
    assert published(site, WASTE) == [(2024, 88.5)]


def test_the_dry_run_shows_each_change_and_writes_nothing_then_the_import_applies_it(
    site: Flask,
) -> None:
    lan = signed_in(site, "lan@donre.example")
    lan.enter(WASTE, year="2023", value="70", source_document="BC 1")
    lan.enter(WASTE, year="2024", value="80", source_document="BC 1")
    before = editor_rows(site)
    csv_text = "\n".join(
        [
            HEADER,
            f"{WASTE},2023,70,BC 1,",  # the same as published
            f"{WASTE},2024,82,BC 2,Typo in BC 1",
            f'{WASTE},2025,"85,5",BC 2,',
            f"{AIR},2024,yes,QĐ 9/QĐ-UBND,",
            ",,,,",  # an empty line, as spreadsheets leave them
        ]
    )
    dry_run = upload(lan, csv_text)
    assert dry_run.status_code == 200
    page = text_of(dry_run.get_data(as_text=True))
    assert "3 changes, 0 rows with errors, 4 rows in all" in page
    assert "Unchanged, skipped" in page
    assert "Correction: Typo in BC 1" in page and "80% → 82%" in page
    assert "— → 85.5%" in page
    assert editor_rows(site) == before
    assert published(site, WASTE) == [(2023, 70.0), (2024, 80.0)]

    assert apply(lan, dry_run.get_data(as_text=True)).status_code == 302
    assert published(site, WASTE) == [(2023, 70.0), (2024, 82.0), (2025, 85.5)]
    assert published(site, AIR) == [(2024, True)]
    history = text_of(site.test_client().get(f"/en/indicators/{WASTE}/").get_data(as_text=True))
    assert "80% → 82%" in history and "Typo in BC 1" in history
    trail = text_of(lan.client.get(lan.url("history")).get_data(as_text=True))
    assert "CSV" in trail


def test_an_import_as_drafts_stays_private_until_published(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    dry_run = upload(lan, f"{HEADER}\n{WASTE},2024,66,BC 3,\n")
    assert apply(lan, dry_run.get_data(as_text=True), publish="no").status_code == 302
    assert published(site, WASTE) == []
    page = lan.open(WASTE)
    assert "Drafts (not public)" in page and "66%" in text_of(page)
    lan.submit(page, f"indicators/{WASTE}/drafts/2024/publish")
    assert published(site, WASTE) == [(2024, 66.0)]


GOOD_ROW = f"{WASTE},2024,50,BC 1,"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (["no-such-indicator,2024,5,BC 1,"], "Unknown indicator “no-such-indicator”"),
        ([f'{WASTE},2023,"12,5,3",BC 1,'], "“12,5,3” is not a number"),
        ([f"{WASTE},2023,about 40,BC 1,"], "“about 40” is not a number"),
        ([f"{WASTE},2023,,BC 1,"], "The value is empty"),
        ([f"{WASTE},1999,40,BC 1,"], "is before this plan's first year"),
        ([f"{WASTE},twenty,40,BC 1,"], "four digits"),
        ([f'{WASTE},2023,"120,5",BC 1,'], "out of range"),
        ([f"{WASTE},2023,-3,BC 1,"], "out of range"),
        ([f"{AIR},2023,maybe,BC 1,"], "yes or no"),
        ([f"{WASTE},2023,40,,"], "Name the source document"),
        ([f"{FOREST},2023,40,BC 1,"], "not in your scope"),
        ([f"{BINH_DUONG},2023,yes,BC 1,"], "not in your scope"),
        ([GOOD_ROW], "Line 2 already gives this indicator's value for 2024"),
    ],
)
def test_each_bad_row_is_named_in_plain_language_and_nothing_is_imported(
    site: Flask, rows: list[str], message: str
) -> None:
    lan = signed_in(site, "lan@donre.example")
    before = editor_rows(site)
    dry_run = upload(lan, "\n".join([HEADER, GOOD_ROW, *rows]))
    assert dry_run.status_code == 400
    html = dry_run.get_data(as_text=True)
    page = text_of(html)
    assert "1 changes, 1 rows with errors" in page
    row = re.search(r"<tr><th scope=\"row\">3</th>.*?</tr>", html, re.S)
    assert row and message in text_of(row.group(0))  # the error is on the file's line 3
    assert "Nothing was imported" in page
    assert 'name="action" value="apply"' not in html  # no Import button
    # Sending the apply anyway, with the good row beside the bad one, imports neither.
    forced = lan.client.post(
        lan.url("import"),
        data={
            "csrf_token": csrf_token(html),
            "action": "apply",
            "publish": "yes",
            "csv": "\n".join([HEADER, GOOD_ROW, *rows]),
            f"revision:{WASTE}": "0",
        },
    )
    assert forced.status_code == 400
    assert editor_rows(site) == before
    assert published(site, WASTE) == []


def test_a_correction_in_a_file_needs_a_reason(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    lan.enter(WASTE, year="2024", value="80", source_document="BC 1")
    dry_run = upload(lan, f"{HEADER}\n{WASTE},2024,81,BC 2,\n")
    assert dry_run.status_code == 400
    assert "Reason for the change" in text_of(dry_run.get_data(as_text=True))
    assert published(site, WASTE) == [(2024, 80.0)]


def test_excel_with_a_vietnamese_locale_semicolons_and_decimal_commas_is_read(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example", "vi")
    body = f"indicator;year;value;source_document\r\n{WASTE};2024;77,25;Báo cáo 3\r\n"
    dry_run = upload(lan, "\ufeff" + body)
    assert dry_run.status_code == 200
    assert apply(lan, dry_run.get_data(as_text=True)).status_code == 302
    assert published(site, WASTE) == [(2024, 77.25)]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"indicator,year,note_en\nx,2024,y\n", "lacks the columns: value, source_document"),
        (b"", "lacks the columns"),
        (f"{HEADER}\n{WASTE},2024,50,Báo cáo 3,\n".encode("cp1258"), "not UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not UTF-8"),
        (b"indicator,year,value,source_document\n" + b"x" * (2 * 1024 * 1024), "larger than 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_whole(
    site: Flask, body: bytes, message: str
) -> None:
    lan = signed_in(site, "lan@donre.example")
    refused = upload(lan, body)
    assert refused.status_code == 400
    assert message in text_of(refused.get_data(as_text=True))
    assert editor_rows(site) == (0, 0, 0)


def test_errors_are_given_in_the_editors_language(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example", "vi")
    dry_run = upload(lan, f'{HEADER}\n{FOREST},2024,"1,2,3",BC,\nkhong-co,2024,1,BC,\n')
    page = text_of(dry_run.get_data(as_text=True))
    assert dry_run.status_code == 400
    assert "không thuộc phạm vi" in page and "Không có chỉ tiêu" in page
    assert "not in your scope" not in page and "Unknown indicator" not in page
    refused = upload(lan, "x".encode("utf-16"))
    assert "UTF-8" in text_of(refused.get_data(as_text=True))
    assert "Save it as" not in text_of(refused.get_data(as_text=True))


def test_an_indicator_changed_after_the_dry_run_stops_the_whole_import(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    # Two indicators; the one changed by someone else comes last, so the first one's
    # rows are already written when the conflict is found, and must be rolled back.
    dry_run = upload(lan, f"{HEADER}\n{WASTE},2024,50,BC 1,\n{AIR},2024,yes,QĐ 9,\n")
    assert dry_run.status_code == 200
    boss = signed_in(site, "admin@xanh.example")
    assert boss.enter(AIR, year="2023", achieved="no", source_document="BC 0").status_code == 302
    before = editor_rows(site)

    late = apply(lan, dry_run.get_data(as_text=True))
    assert late.status_code == 409
    page = text_of(late.get_data(as_text=True))
    assert "nothing was imported" in page
    assert "2 changes, 0 rows with errors" in page  # the rows checked again, with a fresh button
    assert editor_rows(site) == before
    assert published(site, WASTE) == []
    assert published(site, AIR) == [(2023, False)]
    again = apply(lan, late.get_data(as_text=True))
    assert again.status_code == 302
    assert published(site, WASTE) == [(2024, 50.0)]
    assert published(site, AIR) == [(2023, False), (2024, True)]
