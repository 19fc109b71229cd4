"""No input, however odd, gets a 500 or a stack trace."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

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
