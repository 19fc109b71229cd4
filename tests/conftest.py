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

LANGS = ["vi", "en"]


def make_app(database: Path, content_dir: Path) -> Flask:
    app = create_app(
        Config(database_url=f"sqlite:///{database}", content_dir=content_dir, testing=True)
    )
    with app.app_context():
        create_schema()
    return app


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
def empty_app(tmp_path: Path) -> Iterator[Flask]:
    """An app on an empty database, for tests that load their own content."""
    app = make_app(tmp_path / "empty.db", tmp_path / "content")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture(params=LANGS)
def lang(request: pytest.FixtureRequest) -> str:
    return request.param
