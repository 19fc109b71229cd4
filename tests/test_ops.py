"""Operations: the health check a load balancer asks before sending readers to a server."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from app import create_app
from app.config import ROOT, Config
from tests.serving import BIN, gunicorn_site, gunicorn_workers


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
    app = create_app(Config(database_url=url, search_index_dir=tmp_path / "index", testing=True))
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == {"ok": False, "error": "OperationalError"}


def test_each_request_is_logged_as_one_json_line(site_app: Flask, request_log: list[str]) -> None:
    client = site_app.test_client()
    client.get("/en/indicators/", headers={"Accept-Encoding": "gzip"})
    again = client.get("/en/indicators/", headers={"Accept-Encoding": "gzip"})
    client.get("/vi/no-such-page/", headers={"X-Request-ID": "proxy-abc-123"})
    lines = request_log
    first, second, missing = (json.loads(line) for line in lines)
    assert first["path"] == "/en/indicators/" and first["status"] == 200
    assert first["bytes"] < 20_000  # as sent: compressed
    assert second["cache"] == "hit" and second["ms"] >= 0
    assert again.headers["X-Request-ID"] == second["request_id"]
    assert missing["status"] == 404 and missing["request_id"] == "proxy-abc-123"


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SECRET_KEY": "short"}, "SECRET_KEY is shorter than 32 characters"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL is not a database URL"),
        ({"XANH_TRUSTED_PROXIES": "two"}, "XANH_TRUSTED_PROXIES must be a whole number"),
        ({"XANH_PUBLIC_URL": "xanh.example/vi"}, "XANH_PUBLIC_URL must be the site's public"),
        (
            {"DATABASE_URL": "postgresql+psycopg://xanh:hunter2@/xanh?host=/nowhere"},
            "the database postgresql+psycopg://xanh:***@/xanh?host=/nowhere cannot be reached",
        ),
    ],
)
def test_a_setting_that_cannot_work_stops_the_server_with_one_clear_line(
    env: dict[str, str], message: str
) -> None:
    started = subprocess.run(
        [sys.executable, "-c", "import wsgi"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode == 1
    assert started.stderr.startswith(f"Xanh cannot start: {message}"), started.stderr
    assert "Traceback" not in started.stderr and "hunter2" not in started.stderr


def test_gunicorn_refuses_to_start_on_an_unreachable_database() -> None:
    env = {**os.environ, "DATABASE_URL": "postgresql+psycopg://xanh@/xanh?host=/nowhere"}
    started = subprocess.run(
        [BIN / "gunicorn", "-c", "gunicorn.conf.py", "--bind", "127.0.0.1:0", "wsgi:app"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "Xanh cannot start: the database" in started.stderr


def test_a_worker_that_crashes_is_counted_in_health_and_logged(tmp_path: Path) -> None:
    log = tmp_path / "server.log"
    with gunicorn_site(f"sqlite:///{tmp_path / 'xanh.db'}", tmp_path / "index", 2, log) as base:
        assert health(base)["worker_restarts"] == 0
        crashed = gunicorn_workers(base)[0]
        os.kill(crashed, signal.SIGSEGV)
        for _ in range(100):  # the master notices within a second or so
            if health(base)["worker_restarts"] == 1:
                break
            time.sleep(0.1)
        assert health(base)["worker_restarts"] == 1
        assert len(gunicorn_workers(base)) == 2  # replaced
    exits = [json.loads(line) for line in log.read_text().splitlines() if "worker_exit" in line]
    # Stopping the server is no restart: only the crashed worker is logged.
    assert [(e["pid"], e["worker_restarts"]) for e in exits] == [(crashed, 1)]
    assert f"Worker (pid:{crashed}) was sent SIGSEGV" in log.read_text()


def health(base: str) -> dict:
    with urllib.request.urlopen(f"{base}/health", timeout=10) as answer:
        return json.load(answer)


def test_health_gives_no_restart_count_outside_gunicorn(client: FlaskClient) -> None:
    assert "worker_restarts" not in client.get("/health").get_json()
