"""A backup of the whole database restores, on either database, to exactly the same rows."""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from tests.conftest import site_on_the_other_kind_of_database
from tests.test_admin import WASTE, signed_in
from tests.test_editor_data import do_a_years_work, flask, what_the_public_sees


def rows(path: Path) -> list[str]:
    """The backup's row lines (the header says when it was made, so it differs)."""
    with gzip.open(path, "rt", encoding="utf-8") as source:
        return source.read().splitlines()[1:]


@pytest.fixture
def empty_other(site: Flask, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """A migrated, empty database of the other kind than `site`'s."""
    with site_on_the_other_kind_of_database(request, tmp_path) as app:
        yield app


def test_a_backup_restores_into_the_other_database_row_for_row(
    site: Flask, empty_other: Flask, tmp_path: Path
) -> None:
    do_a_years_work(site)
    flask(site, "backup", "create", str(tmp_path / "first.jsonl.gz"))
    restored = flask(empty_other, "backup", "restore", str(tmp_path / "first.jsonl.gz"))
    assert "Search index rebuilt" in restored
    flask(empty_other, "backup", "create", str(tmp_path / "again.jsonl.gz"))
    first = rows(tmp_path / "first.jsonl.gz")
    assert len(first) > 400 and any('"t": "value_change"' in line for line in first)
    assert rows(tmp_path / "again.jsonl.gz") == first
    assert what_the_public_sees(empty_other) == what_the_public_sees(site)
    search = "/api/v1/search?q=forest&lang=en"
    assert (
        empty_other.test_client().get(search).get_json()
        == site.test_client().get(search).get_json()
    )
    # Accounts keep their passwords, and new rows get new ids after the restored ones.
    lan = signed_in(empty_other, "lan@donre.example")
    published = lan.enter(WASTE, year="2024", value="12", source_document="BC 9")
    assert published.status_code == 302
    assert (
        empty_other.test_client()
        .get(f"/api/v1/indicators/{WASTE}")
        .get_json()["observations"][-1]["value"]
        == 12.0
    )


def test_a_restore_refuses_a_database_that_is_not_empty_or_not_at_the_same_schema(
    site: Flask, empty_other: Flask, tmp_path: Path
) -> None:
    backup = tmp_path / "site.jsonl.gz"
    flask(site, "backup", "create", str(backup))
    into_itself = site.test_cli_runner().invoke(args=["backup", "restore", str(backup)])
    assert into_itself.exit_code != 0 and "this database is not empty" in into_itself.output

    with gzip.open(backup, "rt", encoding="utf-8") as source:
        header, *body = source.read().splitlines()
    old = tmp_path / "old.jsonl.gz"
    with gzip.open(old, "wt", encoding="utf-8") as out:
        out.write("\n".join([json.dumps({**json.loads(header), "schema": "0001"}), *body]))
    older = empty_other.test_cli_runner().invoke(args=["backup", "restore", str(old)])
    assert older.exit_code != 0 and "the backup's schema is 0001" in older.output

    broken = tmp_path / "broken.jsonl.gz"
    broken.write_bytes(backup.read_bytes()[:5000])  # cut short, as a failed copy would be
    cut = empty_other.test_cli_runner().invoke(args=["backup", "restore", str(broken)])
    assert cut.exit_code != 0 and "Nothing was restored" in cut.output
    assert "not a readable Xanh backup" in cut.output

    # Issue 17: whole lines cut off (a file re-compressed after `head`, say), a changed
    # row, and an unreadable value were restored in part, or printed a traceback.
    damaged = {
        "cut short: its last line": body[: len(body) // 2],
        "is damaged: it should hold": [body[0].replace('"id": 1', '"id": 7', 1), *body[1:]],
    }
    # A file from before the last line existed, with a date no one can read.
    unchecked = json.dumps({**json.loads(header), "format": "xanh-backup/1"})
    dated = next(n for n, line in enumerate(body) if re.search(r'"20\d\d-\d\d-\d\dT', line))
    bad_date = re.sub(r'"20(\d\d-\d\d-\d\dT)', r'"x0\1', body[dated], count=1)
    damaged["cannot be read"] = [*body[:dated], bad_date, *body[dated + 1 : -1]]
    for number, (problem, lines) in enumerate(damaged.items()):
        path = tmp_path / f"damaged-{number}.jsonl.gz"
        first = unchecked if problem == "cannot be read" else header
        with gzip.open(path, "wt", encoding="utf-8") as out:
            out.write("\n".join([first, *lines]) + "\n")
        answer = empty_other.test_cli_runner().invoke(args=["backup", "restore", str(path)])
        assert answer.exit_code != 0 and "Nothing was restored" in answer.output, answer.output
        assert problem in answer.output and "Traceback" not in answer.output, answer.output
    # Nothing at all went in: a full restore still works afterwards.
    flask(empty_other, "backup", "restore", str(backup))
    assert signed_in(empty_other, "admin@xanh.example")  # with its password hash


def test_a_backup_file_is_readable_by_its_owner_only(site: Flask, tmp_path: Path) -> None:
    """Issue 17: backups (which hold editors' accounts) were written world-readable."""
    path = tmp_path / "backup.jsonl.gz"
    path.write_bytes(b"")
    path.chmod(0o644)  # even over a file someone left open to all
    flask(site, "backup", "create", str(path))
    assert path.stat().st_mode & 0o777 == 0o600
    assert rows(path)  # and it is still a backup
