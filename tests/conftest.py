"""Fixtures: an app on the real content, and apps on generated test content."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import flask_migrate
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import ROOT, Config
from app.content.loader import load_content
from app.database import create_schema
from app.extensions import db
from app.search.documents import rebuild_index
from tests.admin_helpers import create_account
from tests.mailbox import Mailbox, smtp_server
from tests.postgres import PostgresServer, postgres_server

LANGS = ["vi", "en"]
# `make test-fast` (XANH_TESTS_FAST=1): SQLite only, no PostgreSQL and no browser, for
# everyday work; `make test` and CI run everything.
FAST = os.environ.get("XANH_TESTS_FAST") == "1"
DATABASES = ["sqlite"] if FAST else ["sqlite", "postgresql"]


def make_app(
    database: Path | str, content_dir: Path, migrated: bool = False, **settings: object
) -> Flask:
    """An app on a new database (a SQLite file path, or any database URL).

    The schema is made at once from the models, or `migrated` by the real
    migrations as `make load` does (which the `flask content load` command expects).
    """
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    # Tests never touch the repository's own index (the one `make serve` uses).
    index = Path(settings.pop("search_index_dir", None) or tempfile.mkdtemp(prefix="xanh-index-"))
    assert not index.resolve().is_relative_to(ROOT / "search_index"), index
    app = create_app(
        Config(
            database_url=url,
            content_dir=content_dir,
            search_index_dir=index,
            testing=True,
            **settings,  # type: ignore[arg-type]
        )
    )
    with app.app_context():
        if migrated:
            flask_migrate.upgrade()
        else:
            create_schema()
    return app


def settle(app: Flask) -> None:
    """After a test: let the app's background index update finish, then close its
    connections (a thread still at work would hold one open)."""
    app.extensions["xanh_index_updates"].wait(60)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


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
    folder = tmp_path_factory.mktemp("site")
    app = make_app(folder / "xanh.db", ROOT / "content", search_index_dir=folder / "index")
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
    settle(app)


# The accounts of the editors' tests: two agencies of Bắc Giang and an administrator.
ACCOUNTS = (
    ("lan@donre.example", "--agency", "bac-giang-donre"),
    ("minh@dard.example", "--agency", "bac-giang-dard"),
    ("admin@xanh.example", "--role", "admin"),
)


def _staffed_template(url: str, index: Path) -> str:
    """Load the real content and the accounts once; each test then gets a copy."""
    app = make_app(url, ROOT / "content", migrated=True, search_index_dir=index)
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
        db.session.remove()
    for email, *options in ACCOUNTS:
        create_account(app, email, *options)
    with app.app_context():
        db.engine.dispose()  # PostgreSQL copies a template only while nobody is connected
    return url


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("staffed-sqlite")
    url = _staffed_template(f"sqlite:///{folder / 'xanh.db'}", folder / "index")
    return url, folder / "index"


@pytest.fixture(scope="session")
def postgresql_template(
    postgres: PostgresServer, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path]:
    folder = tmp_path_factory.mktemp("staffed-postgresql")
    return _staffed_template(postgres.create_database(), folder / "index"), folder / "index"


@pytest.fixture(params=DATABASES)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Flask]:
    """The real content and ACCOUNTS on a database of this test's own (SQLite, then PostgreSQL)."""
    template, index = request.getfixturevalue(f"{request.param}_template")
    if request.param == "sqlite":
        shutil.copy(template.removeprefix("sqlite:///"), tmp_path / "xanh.db")
        url = f"sqlite:///{tmp_path / 'xanh.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(template=template)
    shutil.copytree(index, tmp_path / "index", symlinks=True)
    app = make_app(url, ROOT / "content", search_index_dir=tmp_path / "index")
    yield app
    settle(app)


@contextmanager
def site_on_the_other_kind_of_database(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Flask]:
    """A new site, migrated and empty, on the other kind of database than this test's
    `site` (for round trips)."""
    if request.node.callspec.params["site"] == "sqlite":
        url = request.getfixturevalue("postgres").create_database()
    else:
        url = f"sqlite:///{tmp_path / 'other.db'}"
    app = make_app(url, ROOT / "content", migrated=True, search_index_dir=tmp_path / "other-index")
    yield app
    settle(app)


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture
def smtp(tmp_path: Path) -> Iterator[Mailbox]:
    """A real SMTP server in its own process, for this test alone."""
    with smtp_server(tmp_path / "mail") as box:
        yield box


@pytest.fixture
def request_log() -> Iterator[list[str]]:
    """The lines the request log writes while the test runs (each one JSON object)."""
    import logging

    from app.ops.logs import logger

    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
