"""No input, however odd, gets a 500 or a stack trace."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.admin_helpers import csrf_token

ODD = [
    "",
    " ",
    "%00",
    "%FF%FE",
    "'; DROP TABLE plan; --",
    "<script>alert(1)</script>",
    "a" * 5000,
    "..%2F..%2Fetc%2Fpasswd",
    "%E0%A4%A",
    "🌱🚲",
    "đi xe đạp",
    "\u202e",
    "%0d%0aSet-Cookie:x=1",
    "{{7*7}}",
    "null",
    "-1",
    "1e309",
]
PATHS = [
    "/{lang}/plans/{x}/",
    "/{lang}/indicators/{x}/",
    "/{lang}/campaigns/{x}/",
    "/{lang}/provinces/{x}/",
    "/{lang}/indicators/?province={x}",
    "/{lang}/indicators/?plan={x}&status={x}&theme={x}",
    "/{lang}/?{x}={x}",
    "/api/v1/plans/{x}",
    "/api/v1/indicators/{x}",
    "/api/v1/campaigns/{x}",
    "/api/v1/indicators?province={x}&lang={x}",
    "/{x}/",
    "/{x}/plans/",
]


@pytest.mark.parametrize("template", PATHS)
def test_odd_input_never_breaks_a_page(client: FlaskClient, template: str) -> None:
    for value in ODD:
        for lang in ("vi", "en"):
            url = template.format(lang=lang, x=value)
            response = client.get(url)
            assert response.status_code < 500, url
            body = response.get_data(as_text=True)
            assert "Traceback" not in body, url
            if response.mimetype == "text/html":
                assert "<script>alert(1)</script>" not in body, url
            else:
                assert response.is_json, url


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_other_methods_are_refused_cleanly(client: FlaskClient, method: str) -> None:
    for url in ["/vi/", "/en/plans/", "/api/v1/indicators"]:
        response = client.open(url, method=method)
        assert response.status_code == 405, url


@pytest.mark.parametrize(
    "path", ["/api/v1/plans", "/en/", "/sitemap.xml", "/embed/vi/indicators/x"]
)
def test_a_method_a_route_does_not_take_is_answered_with_the_ones_it_does(
    client: FlaskClient, path: str
) -> None:
    """Issue 17: 405 answers lacked the Allow header RFC 9110 requires."""
    answer = client.delete(path)
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["Allow"].split(",")} >= {"GET", "HEAD"}


def test_a_nul_byte_in_an_editors_entry_comes_back_without_it_and_nothing_is_lost(
    site: Flask,
) -> None:
    """Issue 17: NUL in an admin field gave a 500 and lost the entry on PostgreSQL (and
    on SQLite it was stored, so the backup could not be restored into PostgreSQL)."""
    from tests.test_admin import WASTE, signed_in

    lan = signed_in(site, "lan@donre.example")
    page = lan.open(WASTE)
    fields = {"action": "publish", "year": "2024", "value": "63", "source_document": "BC\x0012"}
    refused = lan.submit(page, f"indicators/{WASTE}", **fields)
    assert refused.status_code == 400
    body = refused.get_data(as_text=True)
    assert "NUL" in body and 'value="BC12"' in body and 'value="63"' in body
    sent = lan.submit(body, f"indicators/{WASTE}", **{**fields, "source_document": "BC12"})
    assert sent.status_code == 302
    stranger = site.test_client()
    token = csrf_token(stranger.get("/admin/en/login").get_data(as_text=True))
    form = {"csrf_token": token, "email": "lan@donre.example\x00", "password": "x"}
    answer = stranger.post("/admin/en/login", data=form)
    assert answer.status_code == 400 and 'value="lan@donre.example"' in answer.get_data(True)
    assert 'value="x"' not in answer.get_data(as_text=True)  # a password is never echoed
