"""Issue 17: with the database down, readers get cached pages (marked stale) or a clear
503 in their language, and an editor's entry in flight comes back to be sent again."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape
from pathlib import Path

import pytest
from flask import Flask

from app.config import ROOT
from app.content.loader import load_content
from app.search.documents import rebuild_index
from tests.admin_helpers import Editor, create_account
from tests.conftest import make_app, settle
from tests.postgres import PostgresServer, postgres_server

WASTE = "bac-giang-urban-solid-waste-treated"


@pytest.fixture
def stoppable(tmp_path: Path) -> Iterator[tuple[Flask, PostgresServer]]:
    """A site on a PostgreSQL server of its own, which the test may stop and start."""
    with postgres_server() as server:
        app = make_app(
            server.create_database(),
            ROOT / "content",
            migrated=True,
            search_index_dir=tmp_path / "index",
        )
        with app.app_context():
            load_content(ROOT / "content")
            rebuild_index()
        create_account(app, "lan@donre.example", "--agency", "bac-giang-donre")
        yield app, server
        server.resume() if not (server.data / "postmaster.pid").exists() else None
        settle(app)


def kept_fields(page: str) -> dict[str, str]:
    form = page[page.index('id="kept-title"') :]
    inputs = re.findall(
        r'<input (?:type="hidden" |id="kept-\d+" )name="([^"]+)" value="([^"]*)"', form
    )
    return {name: unescape(value) for name, value in inputs if name != "csrf_token"}


def test_a_database_outage_serves_cached_pages_a_503_otherwise_and_keeps_the_entry(
    stoppable: tuple[Flask, PostgresServer],
) -> None:
    app, server = stoppable
    reader = app.test_client()
    cached = reader.get("/en/plans/")
    assert cached.status_code == 200
    lan = Editor(app)
    assert lan.sign_in("lan@donre.example").status_code == 302
    page = lan.open(WASTE)

    server.stop()

    # A page read before the outage: served as it was, and said to be stale.
    again = reader.get("/en/plans/")
    assert again.status_code == 200 and again.data == cached.data
    assert "database unavailable" in again.headers["Cache-Status"]
    assert again.headers["Cache-Control"] == "no-store"  # nobody downstream keeps it

    # A page no one read yet: a readable 503 in the reader's language, with Retry-After.
    for lang, words in (("en", "Temporarily unavailable"), ("vi", "Tạm thời")):
        missing = reader.get(f"/{lang}/campaigns/")
        assert missing.status_code == 503 and int(missing.headers["Retry-After"]) > 0
        assert words in missing.get_data(as_text=True)
    answer = reader.get("/api/v1/campaigns?lang=en")
    assert answer.status_code == 503 and answer.headers["Retry-After"]
    assert answer.get_json()["error"]["code"] == "unavailable"
    assert reader.get("/health").status_code == 503

    # An editor's entry in flight is not saved, and comes back as typed, to send again.
    refused = lan.submit(
        page,
        f"indicators/{WASTE}",
        action="publish",
        year="2024",
        value="66,6",
        source_document="Báo cáo 77/BC-STNMT",
    )
    assert refused.status_code == 503
    body = refused.get_data(as_text=True)
    assert "has not been saved" in body and "a long test passphrase" not in body
    kept = kept_fields(body)
    assert kept["value"] == "66,6" and kept["source_document"] == "Báo cáo 77/BC-STNMT"

    server.resume()
    sent = lan.submit(body, f"indicators/{WASTE}", **kept)
    assert sent.status_code == 302 and lan.publish_reviewed(sent.location).status_code == 302
    record = reader.get(f"/api/v1/indicators/{WASTE}").get_json()
    assert [o["value"] for o in record["observations"] if o["year"] == 2024] == [66.6]
    assert "Cache-Status" not in reader.get("/en/plans/").headers  # fresh again


@pytest.fixture
def on_sqlite(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "index")
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
    create_account(app, "lan@donre.example", "--agency", "bac-giang-donre")
    yield app
    settle(app)


def found(app: Flask, query: str) -> list[str]:
    answer = app.test_client().get(f"/api/v1/search?q={query}&lang=vi").get_json()
    return [r["slug"] for r in answer["results"]]


def test_a_publish_the_index_cannot_take_is_kept_reported_once_and_caught_up_later(
    on_sqlite: Flask, caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 17: the value was committed but the editor got a 500, and the background
    rebuild then logged a traceback every second while /health said 200."""
    app = on_sqlite
    lock = Path(app.config["SEARCH_INDEX_DIR"]) / ".lock"
    lock.unlink()
    lock.mkdir()  # the index can no longer be written
    lan = Editor(app)
    lan.sign_in("lan@donre.example")
    done = lan.enter(WASTE, year="2024", value="61,5", source_document="Báo cáo 901/BC-STNMT")
    assert done.status_code == 302  # the value is published: the index is not the record
    record = app.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert record["observations"][-1]["value"] == 61.5

    updates = app.extensions["xanh_index_updates"]
    assert not updates.wait(3.5)  # it tried, and tries again after 1 and 2 seconds
    health = app.test_client().get("/health")
    assert health.status_code == 503
    failing = health.get_json()["checks"]["search_index"]["update_failing"]
    assert "IsADirectoryError" in failing["error"]
    tracebacks = [r for r in caplog.records if r.exc_info and "search index" in r.getMessage()]
    assert len(tracebacks) == 1

    lock.rmdir()
    assert updates.wait(10)  # the next try succeeds
    assert found(app, "901/BC-STNMT") == [WASTE]
    assert app.test_client().get("/health").status_code == 200


def test_a_full_disk_keeps_the_editors_entry_to_send_again(on_sqlite: Flask) -> None:
    """Issue 17: a full disk gave a 500 and lost the value. SQLite's page limit gives
    the same answer a full disk does: 'database or disk is full'."""
    from sqlalchemy import event, text

    from app.extensions import db

    app = on_sqlite
    lan = Editor(app)
    lan.sign_in("lan@donre.example")
    long_note = "Số liệu tổng hợp từ các huyện, " * 36  # long enough to need new pages
    for year in ("2022", "2023"):  # earlier drafts fill the pages drafts are written to
        kept = lan.enter(
            WASTE,
            action="draft",
            year=year,
            value="60",
            source_document="Báo cáo 11/BC-STNMT",
            note_vi=long_note,
            note_en=long_note,
        )
        assert kept.status_code == 302
    page = lan.open(WASTE)
    full = {"on": True}

    def no_room(connection, _record) -> None:  # noqa: ANN001
        if full["on"]:
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
            connection.execute(f"PRAGMA max_page_count = {pages}")

    with app.app_context():
        db.session.execute(text("VACUUM"))  # no free pages left to write into
        event.listen(db.engine, "connect", no_room)
        db.engine.dispose()
    refused = lan.submit(
        page,
        f"indicators/{WASTE}",
        action="review",
        year="2024",
        value="70",
        source_document="Báo cáo 12/BC-STNMT",
        note_vi=long_note,
        note_en=long_note,
    )
    assert refused.status_code == 503
    body = refused.get_data(as_text=True)
    assert "has not been saved" in body and long_note.strip() in unescape(body)

    full["on"] = False
    with app.app_context():
        db.engine.dispose()
    fields = kept_fields(body)
    for name in ("note_vi", "note_en"):
        fields[name] = unescape(re.search(rf'name="{name}" rows="4">([^<]*)<', body)[1])
    sent = lan.submit(body, f"indicators/{WASTE}", **fields)
    assert sent.status_code == 302 and lan.publish_reviewed(sent.location).status_code == 302
    record = app.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert record["observations"][-1]["value"] == 70
