"""The OpenAPI document is valid, complete, and every endpoint answers as it says."""

from __future__ import annotations

import csv
import io
import re
from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from app.api.tables import COLUMNS


@pytest.fixture(scope="module")
def spec(site_app: Flask) -> dict[str, Any]:
    return site_app.test_client().get("/api/v1/openapi.json").get_json()


def test_the_document_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_api_route_is_described(site_app: Flask, spec: dict[str, Any]) -> None:
    routes = {
        re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule.removeprefix("/api/v1"))
        for rule in site_app.url_map.iter_rules()
        # Every other address answers the documented JSON 404 (api.not_found).
        if rule.rule.startswith("/api/v1/") and rule.endpoint != "api.not_found"
    }
    assert routes == set(spec["paths"])


def check(spec: dict[str, Any], path: str, response: Any) -> None:
    """The status is one the document lists, and the body fits the schema given for it."""
    documented = spec["paths"][path]["get"]["responses"]
    assert str(response.status_code) in documented, (path, response.status_code)
    [(media, content)] = documented[str(response.status_code)]["content"].items()
    assert response.mimetype == media
    if media == "application/json":
        schema = {**content["schema"], "components": spec["components"]}
        Draft202012Validator(schema).validate(response.get_json())


def values_for(parameter: dict[str, Any], slugs: list[str]) -> st.SearchStrategy:
    schema = parameter["schema"]
    odd = st.text(max_size=30)
    if parameter["in"] == "path":
        return st.sampled_from(slugs) | odd.filter(lambda s: s and "/" not in s)
    if "enum" in schema:
        return st.sampled_from(schema["enum"]) | odd
    if schema.get("type") == "integer":
        return st.integers(-5, 50).map(str) | odd
    return odd


def slugs_for(client: FlaskClient, path: str) -> list[str]:
    if path.startswith("/plans"):
        return [p["slug"] for p in client.get("/api/v1/plans").get_json()["plans"]]
    if path.startswith("/campaigns"):
        return [c["slug"] for c in client.get("/api/v1/campaigns").get_json()["campaigns"]]
    return [i["slug"] for i in client.get("/api/v1/indicators").get_json()["indicators"]]


PATHS = [
    "/plans",
    "/plans/{slug}",
    "/indicators",
    "/indicators.csv",
    "/indicators/{slug}",
    "/indicators/{slug}.csv",
    "/campaigns",
    "/campaigns/{slug}",
    "/search",
    "/openapi.json",
]


@pytest.mark.parametrize("path", PATHS)
def test_every_endpoint_answers_as_documented(
    site_app: Flask, spec: dict[str, Any], path: str
) -> None:
    client = site_app.test_client()
    parameters = spec["paths"][path]["get"]["parameters"]
    slugs = slugs_for(client, path)
    strategy = st.fixed_dictionaries(
        {p["name"]: values_for(p, slugs) for p in parameters if p["in"] == "path"},
        optional={p["name"]: values_for(p, slugs) for p in parameters if p["in"] == "query"},
    )

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
    @given(strategy)
    def answers(values: dict[str, str]) -> None:
        url = path
        for name in re.findall(r"{(\w+)}", path):
            url = url.replace("{" + name + "}", quote(values.pop(name), safe=""))
        response = client.get("/api/v1" + url, query_string=values)
        check(spec, path, response)

    answers()


def test_csv_opens_in_spreadsheets_with_vietnamese_intact(client: FlaskClient) -> None:
    records = client.get("/api/v1/indicators").get_json()["indicators"]
    reported = next(r for r in records if r["observations"])
    body = client.get(f"/api/v1/indicators/{reported['slug']}.csv").data
    assert body.startswith("\ufeff".encode())
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert tuple(table[0]) == COLUMNS
    assert [float(row["value"]) for row in table] == [o["value"] for o in reported["observations"]]
    assert table[0]["title_vi"] == reported["title"]["vi"]  # diacritics survive


def test_all_indicators_csv_has_every_indicator_and_value(client: FlaskClient) -> None:
    records = client.get("/api/v1/indicators").get_json()["indicators"]
    body = client.get("/api/v1/indicators.csv").data.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert {row["indicator"] for row in table} == {r["slug"] for r in records}
    assert len(table) == sum(max(len(r["observations"]), 1) for r in records)
    filtered = client.get("/api/v1/indicators.csv?province=lai-chau").data.decode("utf-8-sig")
    assert {row["province"] for row in csv.DictReader(io.StringIO(filtered))} == {"lai-chau"}


def test_the_api_page_reads_the_document_for_people_in_their_language(
    site_app: Flask, client: FlaskClient, spec: dict[str, Any], lang: str
) -> None:
    """Issue 19: every path, each parameter and what it accepts, answers, the licence, and
    an address to try that works; the JSON document itself stays English."""
    from html import unescape

    from flask_babel import force_locale, gettext

    html = unescape(client.get(f"/{lang}/api/").get_data(as_text=True))
    for path, item in spec["paths"].items():
        section = html[html.index(f"<code>GET /api/v1{path}</code>") :]
        section = section[: section.index("</section>")]
        with site_app.test_request_context(), force_locale(lang):
            assert gettext(item["get"]["summary"]) in section, path
        for parameter in item["get"]["parameters"]:
            assert f"<code>{parameter['name']}</code>" in section, (path, parameter["name"])
            for value in parameter["schema"].get("enum", [])[1:3]:
                assert value in section
        assert all(f"<dt><code>{code}</code></dt>" in section for code in item["get"]["responses"])
        tried = re.search(r'<a href="(/api/v1[^"]+)">', section)
        if "{" not in path or path.startswith(("/plans", "/indicators")):
            assert tried, path
            assert client.get(tried.group(1)).status_code == 200, tried.group(1)
    assert "CC BY 4.0" in html and spec["info"]["license"]["url"] in html
    if lang == "vi":  # the document's words, in Vietnamese on the page, English in the JSON
        assert "Mọi kế hoạch" in html and spec["paths"]["/plans"]["get"]["summary"] == "All plans"
