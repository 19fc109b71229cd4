"""Nothing editors enter is lost: not by reloading content, not by an export and import.

The round trip goes from each database to the other one: SQLite to PostgreSQL
(moving from the embedded default to production) and PostgreSQL to SQLite.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select, true

from app.admin.archive import TABLES
from app.admin.models import Account
from app.config import ROOT
from app.content.loader import load_content
from app.extensions import db
from tests.admin_helpers import PASSWORD, create_account
from tests.conftest import site_on_the_other_kind_of_database
from tests.test_admin import AIR, FOREST, WASTE, signed_in, text_of
from tests.test_import import HEADER, apply, upload

SLUGS = (WASTE, AIR, FOREST)
PLAN = "bac-giang-1026-2022"


def do_a_years_work(app: Flask) -> None:
    """What editors do in a season: values, a correction, drafts kept and dropped, a CSV."""
    lan = signed_in(app, "lan@donre.example")
    lan.enter(
        WASTE,
        year="2023",
        value="70,5",
        source_document="Báo cáo 45/BC-STNMT",
        source_section="Phụ lục 2",
        source_date="25/10/2023",
        note_vi="Số liệu sơ bộ",
        note_en="Preliminary figure",
    )
    lan.enter(WASTE, year="2023", value="71,15", source_document="BC 46", reason="Final figure")
    lan.enter(WASTE, action="draft", year="2025", value="0,1", source_document="BC 50")
    lan.enter(
        WASTE, action="draft", year="2023", value="72", source_document="BC 52", reason="Audit"
    )
    lan.enter(WASTE, action="draft", year="2026", value="99", source_document="BC 51")
    lan.submit(lan.open(WASTE), f"indicators/{WASTE}/drafts/2026/discard")
    dry_run = upload(lan, f"{HEADER}\n{AIR},2024,yes,QĐ 9/QĐ-UBND,\n")
    apply(lan, dry_run.get_data(as_text=True))
    minh = signed_in(app, "minh@dard.example")
    minh.enter(
        FOREST,
        year="2024",
        value="41,237",
        source_document="BC 7/BC-SNN",
        source_section="Mục 3",
        source_date="2024-11-02",
        note_vi="Theo kiểm kê rừng",
        note_en="From the forest inventory",
    )
    runner = app.test_cli_runner()
    create_account(app, "plan@dpi.example", "--plan", PLAN)
    assert runner.invoke(args=["accounts", "disable", "minh@dard.example"]).exit_code == 0


def what_the_public_sees(app: Flask) -> dict[str, object]:
    client = app.test_client()
    seen: dict[str, object] = {}
    for slug in SLUGS:
        seen[f"api {slug}"] = client.get(f"/api/v1/indicators/{slug}").get_json()
        page = client.get(f"/vi/indicators/{slug}/").get_data(as_text=True)
        history = re.search(r'<section aria-labelledby="history">.*?</section>', page, re.S)
        assert history
        seen[f"history {slug}"] = text_of(history.group(0))
    return seen


def what_editors_see(app: Flask) -> dict[str, str]:
    """The trail and an indicator's drafts, less what belongs to one database or session."""
    admin = signed_in(app, "admin@xanh.example")
    pages = {"trail": admin.url("history"), "waste": admin.url(f"indicators/{WASTE}")}
    seen = {name: admin.client.get(url).get_data(as_text=True) for name, url in pages.items()}
    return {
        name: re.sub(r'name="(csrf_token|revision)" value="[^"]+"', "", html)
        for name, html in seen.items()
    }


def flask(app: Flask, *args: str) -> str:
    result = app.test_cli_runner().invoke(args=list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_reloading_content_keeps_everything_editors_entered(site: Flask) -> None:
    do_a_years_work(site)
    public, editors = what_the_public_sees(site), what_editors_see(site)
    assert "71.15" in str(public[f"api {WASTE}"]) and "41.237" in str(public[f"api {FOREST}"])
    flask(site, "content", "load")
    flask(site, "content", "load")
    assert what_the_public_sees(site) == public
    assert what_editors_see(site) == editors


@pytest.fixture
def other_database(site: Flask, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A fresh site with the same content, on the other kind of database than `site`."""
    with site_on_the_other_kind_of_database(request, tmp_path) as app:
        with app.app_context():
            load_content(ROOT / "content")
            db.session.remove()
        yield app


def test_an_export_imports_into_the_other_database_and_exports_the_same(
    site: Flask, other_database: Flask, tmp_path: Path
) -> None:
    do_a_years_work(site)
    flask(site, "editor-data", "export", str(tmp_path / "first"))
    exported = {t.file: (tmp_path / "first" / t.file).read_text() for t in TABLES}
    assert "Báo cáo 45/BC-STNMT" in exported["changes.csv"]
    assert "71.15" in exported["values.csv"] and "70.5" in exported["changes.csv"]
    assert "draft_discarded" in exported["changes.csv"] and "csv" in exported["changes.csv"]
    assert "argon2" not in exported["accounts.csv"]

    output = flask(other_database, "editor-data", "import", str(tmp_path / "first"))
    assert "flask accounts password" in output
    flask(other_database, "editor-data", "export", str(tmp_path / "again"))
    for table in TABLES:
        assert (tmp_path / "again" / table.file).read_text() == exported[table.file], table.file
    assert what_the_public_sees(other_database) == what_the_public_sees(site)
    flask_with_password(other_database, "admin@xanh.example")
    assert what_editors_see(other_database) == what_editors_see(site)

    # Accounts come back with their scope but no password, until one is set.
    with other_database.app_context():
        restored = db.session.scalar(select(Account).where(Account.email == "plan@dpi.example"))
        assert [p.slug for p in restored.plans] == [PLAN] and restored.password_hash is None
        db.session.remove()
    assert signed_in_status(other_database, "lan@donre.example") == 200  # refused
    flask_with_password(other_database, "lan@donre.example")
    lan = signed_in(other_database, "lan@donre.example")
    assert "0.1%" in text_of(lan.open(WASTE))  # her draft is still hers to publish
    assert signed_in_status(other_database, "minh@dard.example") == 200  # still disabled


def signed_in_status(app: Flask, email: str) -> int:
    from tests.admin_helpers import Editor

    return Editor(app).sign_in(email).status_code


def flask_with_password(app: Flask, email: str) -> None:
    result = app.test_cli_runner().invoke(
        args=["accounts", "password", email, "--password-stdin"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output


def editor_rows(app: Flask) -> int:
    with app.app_context():
        rules = [(t.model, true() if t.rule is None else t.rule) for t in TABLES]
        total = sum(
            db.session.scalar(select(func.count()).select_from(model).where(rule))
            for model, rule in rules
        )
        db.session.remove()
    return total


LINE = r" line \d+: "
DAMAGES = [
    ("values.csv", (WASTE, "no-such-indicator"), LINE + "unknown indicator “no-such-indicator”"),
    ("values.csv", ("71.15", "71.1.5"), LINE + "value “71.1.5” cannot be read"),
    ("values.csv", ("BC 46", "BC " + "4" * 400), LINE + "source_document is longer than 300"),
    ("changes.csv", ("lan@donre.example", "ghost@x.example"), LINE + "unknown account"),
    ("changes.csv", (",published,", ",deleted,"), LINE + "action “deleted” is not one of"),
    ("changes.csv", ("Final figure", "Final figure \udcff"), ": not UTF-8 text"),
    ("accounts.csv", (PLAN, "no-such-plan"), LINE + "unknown plan “no-such-plan”"),
    ("drafts.csv", None, ": the file is missing"),
    # Issue 17: a short row printed a traceback.
    ("values.csv", (",BC 46,", ","), LINE + "9 fields where the header has 10"),
]


def test_a_damaged_export_is_refused_whole_with_its_lines_named(
    site: Flask, other_database: Flask, tmp_path: Path
) -> None:
    do_a_years_work(site)
    flask(site, "editor-data", "export", str(tmp_path / "export"))
    for number, (file, change, problem) in enumerate(DAMAGES):
        folder = shutil.copytree(tmp_path / "export", tmp_path / f"damaged-{number}")
        if change is None:
            (folder / file).unlink()
        else:
            text = (folder / file).read_text()
            assert change[0] in text
            damaged = text.replace(change[0], change[1], 1)
            (folder / file).write_bytes(damaged.encode("utf-8", "surrogateescape"))
        result = other_database.test_cli_runner().invoke(
            args=["editor-data", "import", str(folder)]
        )
        assert result.exit_code != 0
        assert "Nothing was imported" in result.output
        assert re.search(re.escape(file) + problem, result.output), result.output
        assert editor_rows(other_database) == 0


def test_an_import_into_a_database_with_editors_data_is_refused(
    site: Flask, tmp_path: Path
) -> None:
    do_a_years_work(site)
    flask(site, "editor-data", "export", str(tmp_path / "export"))
    before = editor_rows(site)
    result = site.test_cli_runner().invoke(args=["editor-data", "import", str(tmp_path / "export")])
    assert result.exit_code != 0 and "already holds editors' data" in result.output
    assert editor_rows(site) == before


def test_a_spreadsheets_bom_and_formula_like_text_come_back_exactly(
    site: Flask, other_database: Flask, tmp_path: Path
) -> None:
    """Issue 17: the export left "=…" for a spreadsheet to run, and a file saved by a
    spreadsheet (with a byte-order mark) was refused for lacking its first column."""
    lan = signed_in(site, "lan@donre.example")
    formula = '=HYPERLINK("https://example.org/x","BC 45")'
    assert lan.enter(WASTE, year="2024", value="64", source_document=formula).status_code == 302
    lan.enter(WASTE, year="2024", value="65", source_document="'quoted", reason="-2+3")
    flask(site, "editor-data", "export", str(tmp_path / "export"))
    values = (tmp_path / "export" / "values.csv").read_text()
    changes = (tmp_path / "export" / "changes.csv").read_text()
    assert "'=HYPERLINK" in changes and "''quoted" in values and "'-2+3" in changes
    for table in TABLES:  # as a spreadsheet saves "CSV UTF-8"
        path = tmp_path / "export" / table.file
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())

    flask(other_database, "editor-data", "import", str(tmp_path / "export"))
    record = other_database.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert record["observations"][-1]["source"]["document"] == "'quoted"
    with other_database.app_context():
        from app.admin.models import ValueChange

        sources = set(db.session.scalars(select(ValueChange.source_document)))
        reasons = set(db.session.scalars(select(ValueChange.reason)))
        db.session.remove()
    assert formula in sources and "-2+3" in reasons
