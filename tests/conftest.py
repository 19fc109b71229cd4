"""Fixtures: an app on the real content, and apps on generated test content."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import ROOT, Config
from app.content.loader import load_content
from app.database import create_schema
from app.extensions import db
from app.search.documents import rebuild_index
from tests.postgres import PostgresServer, postgres_server

LANGS = ["vi", "en"]
DATABASES = ["sqlite", "postgresql"]


def make_app(database: Path | str, content_dir: Path, **settings: object) -> Flask:
    """An app on a new database (a SQLite file path, or any database URL)."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    app = create_app(
        Config(
            database_url=url,
            content_dir=content_dir,
            search_index_dir=Path(settings.pop("search_index_dir", ROOT / "search_index")),
            testing=True,
            **settings,  # type: ignore[arg-type]
        )
    )
    with app.app_context():
        create_schema()
    return app


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """One real PostgreSQL 15 server for the whole run, started on first use."""
    with postgres_server() as server:
        yield server


@pytest.fixture(params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new empty database: SQLite, then the same test again on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'xanh.db'}"
    return request.getfixturevalue("postgres").create_database()


@pytest.fixture(scope="session")
def site_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app with the real content of content/ loaded once (read-only tests)."""
    database = tmp_path_factory.mktemp("site") / "xanh.db"
    app = make_app(database, ROOT / "content")
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
    yield app


@pytest.fixture
def client(site_app: Flask) -> FlaskClient:
    return site_app.test_client()


@pytest.fixture
def empty_app(tmp_path: Path, database_url: str) -> Iterator[Flask]:
    """An app on an empty database (SQLite, then PostgreSQL) for tests that bring content."""
    app = make_app(database_url, tmp_path / "content", search_index_dir=tmp_path / "index")
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param
