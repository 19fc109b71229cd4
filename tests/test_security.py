"""Security headers on every kind of response, and HTTPS seen through a trusted proxy."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from app.config import ROOT
from tests.conftest import make_app

REPORTED = "hai-phong-urban-wastewater-treated"

# One response of every kind the site gives.
EVERY_KIND = [
    "/",
    "/vi/",
    "/en/plans/bac-giang-1026-2022/",
    f"/vi/indicators/{REPORTED}/",
    "/en/search?q=water",
    "/vi/feed.atom",
    "/sitemap.xml",
    "/api/v1/plans",
    f"/api/v1/indicators/{REPORTED}.csv",
    "/api/v1/nothing",
    "/vi/no-such-page/",
    "/en/indicators/?status=nonsense",
    "/static/css/site.css",
    "/admin/en/login",
    f"/embed/vi/indicators/{REPORTED}",
    f"/embed/en/indicators/{REPORTED}.png",
    "/embed/embed.js",
    f"/oembed?url=http://localhost/vi/indicators/{REPORTED}/",
]


def csp(headers: Headers) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    policy = headers["Content-Security-Policy"]
    return {
        part.split(None, 1)[0]: part.split(None, 1)[1] if " " in part.strip() else ""
        for part in (p.strip() for p in policy.split(";"))
        if part
    }


@pytest.mark.parametrize("path", EVERY_KIND)
def test_every_response_carries_the_security_headers(client: FlaskClient, path: str) -> None:
    with client.get(path) as response:
        headers = response.headers
    policy = csp(headers)
    assert policy["default-src"] == "'none'"
    for directive, sources in policy.items():
        # Only the site itself: no inline code, no eval, no other origin, no wildcard
        # (except who may frame a widget).
        allowed = {"'self'", "'none'"} | ({"*"} if directive == "frame-ancestors" else set())
        assert set(sources.split()) <= allowed, (path, directive, sources)
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["Permissions-Policy"]
    assert "geolocation=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would mean nothing


def test_hsts_is_sent_over_https(client: FlaskClient) -> None:
    with client.get("/vi/", base_url="https://xanh.example") as response:
        assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")


@pytest.fixture
def behind_a_proxy(tmp_path: Path) -> Flask:
    return make_app(tmp_path / "x.db", ROOT / "content", trusted_proxies=1)


def test_behind_a_trusted_proxy_https_and_the_client_address_come_from_its_headers(
    behind_a_proxy: Flask, client: FlaskClient
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    with behind_a_proxy.test_client().get("/vi/no-such-page/", headers=forwarded) as response:
        assert "Strict-Transport-Security" in response.headers
    # Without a proxy configured, nobody can claim HTTPS (or another address) by a header.
    with client.get("/vi/no-such-page/", headers=forwarded) as response:
        assert "Strict-Transport-Security" not in response.headers


def test_sign_in_limits_count_the_address_the_proxy_reports(behind_a_proxy: Flask) -> None:
    from tests.admin_helpers import Editor

    attackers = []
    for address in ("203.0.113.9", "198.51.100.7"):
        editor = Editor(behind_a_proxy)
        editor.client.environ_base["HTTP_X_FORWARDED_FOR"] = address
        for n in range(20):
            assert editor.sign_in(f"nobody{n}@{address}.example", "guess").status_code == 200
        attackers.append(editor)
    # Each address had its own 20 tries; the proxy's own address did not pool them.
    assert attackers[0].sign_in("someone@example.org", "guess").status_code == 429


@pytest.mark.parametrize("path", ["/admin/en/login", "/admin/vi/import"])
def test_a_huge_request_body_is_refused_before_it_is_read(client: FlaskClient, path: str) -> None:
    """Issue 17: a 1 GiB anonymous POST to the sign-in page was spooled to disk first."""
    body = b"email=" + b"x" * (5 * 1024 * 1024)
    answer = client.post(path, data=body, content_type="application/x-www-form-urlencoded")
    assert answer.status_code == 413
    assert answer.mimetype == "text/html" and "<h1>" in answer.get_data(as_text=True)
