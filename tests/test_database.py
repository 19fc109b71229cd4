"""The schema comes from migrations, the same on SQLite and on PostgreSQL.

Each test runs twice: on a new SQLite file and on a new database of the real
PostgreSQL server the test set-up starts.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask import Flask
from sqlalchemy import inspect, text

from app import create_app, models  # noqa: F401  (every table in the metadata)
from app.config import Config
from app.extensions import db
from tests.conftest import LANGS
from tests.serving import flask_command


@contextmanager
def app_on(url: str, index: Path) -> Iterator[Flask]:
    app = create_app(Config(database_url=url, search_index_dir=index, testing=True))
    yield app
    with app.app_context():
        db.engine.dispose()  # close pooled connections before the database goes


def test_migrations_build_exactly_the_schema_the_models_describe(
    database_url: str, tmp_path: Path
) -> None:
    done = flask_command(database_url, tmp_path / "index", "db", "upgrade")
    assert done.returncode == 0, done.stderr
    with (
        app_on(database_url, tmp_path / "index") as app,
        app.app_context(),
        db.engine.connect() as connection,
    ):
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.parametrize(
    "unversioned",
    # The second is what an earlier failed upgrade of such a database leaves on SQLite.
    ["DROP TABLE alembic_version", "DELETE FROM alembic_version"],
)
def test_a_database_made_before_migrations_is_upgraded_with_its_rows(
    database_url: str, tmp_path: Path, unversioned: str
) -> None:
    """Older versions created the tables directly: the first migration's, with no version."""
    index = tmp_path / "index"
    assert flask_command(database_url, index, "db", "upgrade", "0001").returncode == 0
    with app_on(database_url, index) as app, app.app_context():
        db.session.execute(text(unversioned))
        db.session.execute(text("INSERT INTO site_state (id, version) VALUES (1, 41)"))
        db.session.commit()
    done = flask_command(database_url, index, "db", "upgrade")
    assert done.returncode == 0, done.stderr
    assert "made before migrations" in done.stderr
    with app_on(database_url, index) as app, app.app_context():
        assert db.session.scalar(text("SELECT version FROM site_state")) == 41  # kept
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, db.metadata) == []
    assert flask_command(database_url, index, "content", "load").returncode == 0


def test_an_unversioned_database_that_is_not_the_first_migrations_is_refused_untouched(
    database_url: str, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    assert flask_command(database_url, index, "db", "upgrade").returncode == 0
    with app_on(database_url, index) as app, app.app_context():
        db.session.execute(text("DROP TABLE alembic_version"))  # at the newest, but unmarked
        db.session.commit()
        before = set(inspect(db.engine).get_table_names())
    done = flask_command(database_url, index, "db", "upgrade")
    assert done.returncode == 1
    assert "no record of its migrations" in done.stderr
    assert "Traceback" not in done.stderr
    with app_on(database_url, index) as app, app.app_context():
        assert set(inspect(db.engine).get_table_names()) == before


def test_content_load_refuses_a_database_whose_schema_is_not_current(
    database_url: str, tmp_path: Path
) -> None:
    done = flask_command(database_url, tmp_path / "index", "content", "load")
    assert done.returncode == 1
    assert "db upgrade" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_site_comes_up_on_an_empty_database_with_the_make_load_commands(
    database_url: str, tmp_path: Path
) -> None:
    index = tmp_path / "index"
    for command in (["db", "upgrade"], ["content", "load"]):
        done = flask_command(database_url, index, *command)
        assert done.returncode == 0, done.stderr
    assert "50 indicators" in done.stdout
    with app_on(database_url, index) as app:
        client = app.test_client()
        for lang in LANGS:
            for path in ("", "plans/", "indicators/", "compare/", "provinces/bac-giang/"):
                assert client.get(f"/{lang}/{path}").status_code == 200, path
            found = client.get(f"/api/v1/search?q=rac+thai+bac+giang&lang={lang}").get_json()
            assert "bac-giang-1026-2022" in [r["slug"] for r in found["results"]]
        indicators = client.get("/api/v1/indicators").get_json()["indicators"]
        assert len(indicators) == 50
        # A second load changes nothing and fails nothing (rows are matched, not recreated).
        again = flask_command(database_url, index, "content", "load")
        assert again.returncode == 0, again.stderr
        assert client.get("/api/v1/indicators").get_json()["indicators"] == indicators
