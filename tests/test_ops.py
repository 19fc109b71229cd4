"""Operations: the health check a load balancer asks before sending readers to a server."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import ROOT, Config
from app.ops.logs import logger


def test_a_loaded_server_is_healthy(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["status"] == "ok"
    assert answer["checks"]["database"]["data_version"] >= 1
    assert answer["checks"]["search_index"]["documents"] > 50
    assert response.headers["Cache-Control"] == "no-store"


def test_an_empty_database_is_reported_unavailable(empty_app: Flask) -> None:
    response = empty_app.test_client().get("/health")
    assert response.status_code == 503
    answer = response.get_json()
    assert answer["status"] == "unavailable"
    assert answer["checks"]["database"]["ok"] is False


def test_a_missing_search_index_is_reported_unavailable(site_app: Flask, tmp_path: Path) -> None:
    url = site_app.config["SQLALCHEMY_DATABASE_URI"]
    app = create_app(Config(database_url=url, search_index_dir=tmp_path / "none", testing=True))
    answer = app.test_client().get("/health")
    assert answer.status_code == 503
    checks = answer.get_json()["checks"]
    assert checks["database"]["ok"] is True and checks["search_index"]["ok"] is False


def test_an_unreachable_database_is_a_503_not_a_500(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://xanh@/xanh?host={tmp_path}/no-server-here"
    app = create_app(Config(database_url=url, search_index_dir=ROOT / "search_index", testing=True))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_each_request_is_logged_as_one_json_line(site_app: Flask) -> None:
    lines: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: lines.append(record.getMessage())  # type: ignore[method-assign]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client = site_app.test_client()
        client.get("/en/indicators/", headers={"Accept-Encoding": "gzip"})
        again = client.get("/en/indicators/", headers={"Accept-Encoding": "gzip"})
        client.get("/vi/no-such-page", headers={"X-Request-ID": "proxy-abc-123"})
    finally:
        logger.removeHandler(handler)
        logger.setLevel(logging.WARNING)
    first, second, missing = (json.loads(line) for line in lines)
    assert first["path"] == "/en/indicators/" and first["status"] == 200
    assert first["bytes"] < 20_000  # as sent: compressed
    assert second["cache"] == "hit" and second["ms"] >= 0
    assert again.headers["X-Request-ID"] == second["request_id"]
    assert missing["status"] == 404 and missing["request_id"] == "proxy-abc-123"
