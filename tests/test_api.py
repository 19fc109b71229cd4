"""The JSON API as INTERFACE.md describes it, with JSON errors."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient

INDICATOR_KEYS = {
    "slug",
    "title",
    "province",
    "plan",
    "kind",
    "unit",
    "direction",
    "baseline",
    "target",
    "observations",
    "status",
    "source",
    "url",
    "embed_url",
}
PLAN_KEYS = {
    "slug",
    "number",
    "title",
    "summary",
    "province",
    "issued",
    "period",
    "status",
    "indicators",
    "url",
}


def test_plan_list_and_record(client: FlaskClient) -> None:
    response = client.get("/api/v1/plans")
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    plans = {p["slug"]: p for p in response.get_json()["plans"]}
    assert len(plans) == 5
    for plan in plans.values():
        assert PLAN_KEYS <= plan.keys()
        assert set(plan["title"]) == {"vi", "en"}
    bac_giang = plans["bac-giang-1026-2022"]
    assert bac_giang["number"] == "1026/QĐ-UBND"
    assert bac_giang["issued"] == "2022-10-15"
    assert bac_giang["period"] == {"start": 2021, "end": 2030}
    assert bac_giang["status"] == "in_force"
    assert bac_giang["replaces"] == "bac-giang-682-2018"
    assert plans["bac-giang-682-2018"]["status"] == "replaced"
    assert plans["hai-phong-1463-2014"]["status"] == "ended"
    assert plans["binh-duong-1847-2018"]["issued"] is None
    assert "bac-giang-urban-solid-waste-treated" in bac_giang["indicators"]
    assert bac_giang["url"] == {
        "vi": "/vi/plans/bac-giang-1026-2022/",
        "en": "/en/plans/bac-giang-1026-2022/",
    }
    one = client.get("/api/v1/plans/hai-phong-1463-2014").get_json()
    assert one["reporting"][0]["due"] == {"month": 11, "day": 10, "before": False}
    assert one["province"] == {"slug": "hai-phong", "name": {"vi": "Hải Phòng", "en": "Hai Phong"}}


def test_indicator_record_matches_the_interface(client: FlaskClient) -> None:
    record = client.get("/api/v1/indicators/bac-giang-urban-solid-waste-treated").get_json()
    assert INDICATOR_KEYS <= record.keys()
    assert record["plan"] == {"slug": "bac-giang-1026-2022", "number": "1026/QĐ-UBND"}
    assert record["kind"] == "quantitative"
    assert record["unit"] == {"vi": "%", "en": "%"}
    assert record["target"]["year"] == 2030 and record["target"]["value"] == 95
    assert record["target"]["comparator"] == ">=" and record["target"]["value_high"] is None
    assert record["status"] == "no_data" and record["observations"] == []
    assert record["source"] == {
        "document": "1026/QĐ-UBND",
        "section": "II.3.b (9)",
        "name": {"vi": "1026/QĐ-UBND", "en": "1026/QĐ-UBND"},
        "entry": {
            "vi": "/vi/sources/bac-giang-1026-2022/",
            "en": "/en/sources/bac-giang-1026-2022/",
        },
    }
    assert record["embed_url"]["en"] == "/embed/en/indicators/bac-giang-urban-solid-waste-treated"


def test_range_targets_and_observations(client: FlaskClient) -> None:
    renewable = client.get("/api/v1/indicators/bac-giang-renewable-power-share").get_json()
    assert (renewable["target"]["value"], renewable["target"]["value_high"]) == (2.5, 3)
    wastewater = client.get("/api/v1/indicators/hai-phong-urban-wastewater-treated").get_json()
    assert wastewater["observations"][0]["year"] == 2021
    assert wastewater["observations"][0]["value"] == 21.2
    assert wastewater["observations"][0]["source"]["date"] == "2021-10-29"
    # The article gives no year the value refers to; 2021 is its own year, and the record says so.
    assert wastewater["observations"][0]["year_is"] == "publication"
    entry = wastewater["observations"][0]["source"]["entry"]
    assert entry["en"] == "/en/sources/hai-phong-news-2021/"
    assert renewable["target"]["approximate"] is True  # "khoảng 2,5–3%"
    assert wastewater["status"] == "unable_to_assess"
    water = client.get("/api/v1/indicators/hai-phong-clean-water-households").get_json()
    assert water["observations"][0]["value"] == 100


def test_indicator_list_filters(client: FlaskClient) -> None:
    everything = client.get("/api/v1/indicators").get_json()["indicators"]
    lai_chau = client.get("/api/v1/indicators?province=lai-chau").get_json()["indicators"]
    assert 0 < len(lai_chau) < len(everything)
    assert {i["province"]["slug"] for i in lai_chau} == {"lai-chau"}
    milestones = [i for i in everything if i["kind"] == "milestone"]
    assert {m["slug"] for m in milestones} >= {
        "bac-giang-air-quality-plan",
        "bac-giang-smart-green-city-scheme",
    }


def test_campaigns(client: FlaskClient) -> None:
    campaigns = {c["slug"]: c for c in client.get("/api/v1/campaigns").get_json()["campaigns"]}
    assert {"plastic-bags", "cycling"} <= campaigns.keys()
    assert "bac-giang-plastic-bags-supermarkets" in campaigns["plastic-bags"]["indicators"]
    assert all(a["vi"] and a["en"] for a in campaigns["cycling"]["actions"])


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/api/v1/indicators?province=atlantis", 400, "invalid_parameter"),
        ("/api/v1/indicators?status=%00", 400, "invalid_parameter"),
        ("/api/v1/indicators/no-such-thing", 404, "not_found"),
        ("/api/v1/plans/" + "x" * 5000, 404, "not_found"),
        ("/api/v1/nothing", 404, "not_found"),
    ],
)
def test_errors_are_json(client: FlaskClient, path: str, status: int, code: str) -> None:
    response = client.get(path)
    assert response.status_code == status
    assert response.is_json and response.headers["Access-Control-Allow-Origin"] == "*"
    body = response.get_json()
    assert body["error"]["code"] == code and body["error"]["message"]


def test_error_messages_follow_the_readers_language(client: FlaskClient) -> None:
    vi = client.get("/api/v1/indicators?province=x", headers={"Accept-Language": "vi"}).get_json()
    en = client.get(
        "/api/v1/indicators?province=x&lang=en", headers={"Accept-Language": "vi"}
    ).get_json()
    assert "không phải giá trị hợp lệ" in vi["error"]["message"]
    assert "is not a known value" in en["error"]["message"]


def test_wrong_method_is_a_json_405(client: FlaskClient) -> None:
    response = client.post("/api/v1/plans")
    assert (
        response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"
    )


@pytest.mark.parametrize(
    "path",
    ["/api/v1/plans?lang=fr", "/api/v1/campaigns?lang=en&lang=fr", "/api/v1/search?q=rac&page=0"],
)
def test_a_parameter_outside_its_documented_schema_is_refused(
    client: FlaskClient, path: str
) -> None:
    """Issue 17: a `lang` outside its documented enum was accepted on every list and item."""
    response = client.get(path)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_parameter"


def test_the_document_gives_each_parameter_the_schema_the_api_checks(client: FlaskClient) -> None:
    """Issue 17: search refused a `province` its schema documented as a free string."""
    spec = client.get("/api/v1/openapi.json").get_json()
    search = {p["name"]: p["schema"] for p in spec["paths"]["/search"]["get"]["parameters"]}
    provinces = [v for v in search["province"]["enum"] if v]
    assert provinces and "atlantis" not in provinces
    for province in provinces:
        assert client.get(f"/api/v1/search?q=rac&province={province}").status_code == 200
    assert client.get("/api/v1/search?q=rac&province=atlantis").status_code == 400


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/plans",
        "/api/v1/indicators/hai-phong-rural-solid-waste-treated",
        "/api/v1/indicators/hai-phong-rural-solid-waste-treated.csv",
        "/api/v1/search?q=rac&lang=vi",
        "/api/v1/no-such-thing",
    ],
)
def test_every_answer_names_the_licence_its_data_is_reused_under(
    client: FlaskClient, path: str
) -> None:
    for _ in range(2):  # the second answer may come from the page cache
        answer = client.get(path)
        assert answer.headers["Link"] == (
            '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        )
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["info"]["license"]["name"] == "CC BY 4.0"


def test_every_page_says_the_data_is_free_to_reuse(client: FlaskClient, lang: str) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    wording = {
        "vi": "được dùng lại tự do theo giấy phép CC BY 4.0",
        "en": "free to reuse under the CC BY 4.0 licence",
    }[lang]
    assert wording in html


@pytest.mark.parametrize(
    "path", ["/api/v1/indicators.csv", "/api/v1/indicators/hai-phong-rural-solid-waste-treated.csv"]
)
def test_a_downloaded_csv_names_its_licence_on_every_row(client: FlaskClient, path: str) -> None:
    """A saved file keeps no HTTP headers: the licence travels in the table itself."""
    body = client.get(path).data.decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    assert table and {row["licence"] for row in table} == {
        "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/"
    }


def test_lists_come_a_page_at_a_time_with_their_total_and_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 22: the key stays; `total` and `next` are added. With twenty items to a page,
    following `next` from the first page gives every indicator once, filters kept."""
    from app.api import routes
    from app.content.loader import load_content
    from app.search.documents import rebuild_index
    from tests.conftest import ROOT, make_app

    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "ix")
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
    client = app.test_client()
    whole = client.get("/api/v1/indicators").get_json()
    assert whole["total"] == len(whole["indicators"]) and whole["next"] is None
    monkeypatch.setattr(routes, "LIST_PAGE", 20)
    seen: list[str] = []
    url: str | None = "/api/v1/indicators?lang=en&page=1"
    while url:
        answer = client.get(url.removeprefix("http://localhost")).get_json()
        assert answer["total"] == whole["total"]
        seen += [r["slug"] for r in answer["indicators"]]
        url = answer["next"]
        assert url is None or "lang=en" in url
    assert seen == [r["slug"] for r in whole["indicators"]]
    filtered = client.get("/api/v1/indicators?province=bac-giang&page=2").get_json()
    assert filtered["total"] == 26 and len(filtered["indicators"]) == 6
    assert filtered["next"] is None
    beyond = client.get("/api/v1/indicators?page=99").get_json()
    assert beyond["indicators"] == [] and beyond["next"] is None
    for bad in ("0", "two", "-1"):
        refused = client.get(f"/api/v1/indicators?page={bad}")
        assert refused.status_code == 400 and "page" in refused.get_json()["error"]["message"]


@pytest.mark.parametrize("key", ["indicators", "plans", "campaigns", "comparisons"])
def test_per_page_chooses_how_many_items_an_answer_carries(client: FlaskClient, key: str) -> None:
    """INTERFACE.md: `?per_page=` (default 100, at most 500) with `?page=`; `next` keeps
    it, and following `next` gives every item once."""
    whole = client.get(f"/api/v1/{key}").get_json()
    assert whole["total"] == len(whole[key]) > 1
    seen: list[str] = []
    url: str | None = f"/api/v1/{key}?per_page=1"
    while url:
        answer = client.get(url.removeprefix("http://localhost")).get_json()
        assert len(answer[key]) == 1 and answer["total"] == whole["total"]
        seen += [r["slug"] for r in answer[key]]
        url = answer["next"]
        assert url is None or "per_page=1" in url
    assert seen == [r["slug"] for r in whole[key]]
    assert len(client.get(f"/api/v1/{key}?per_page=500").get_json()[key]) == whole["total"]
    for bad in ("0", "501", "ten"):
        refused = client.get(f"/api/v1/{key}?per_page={bad}&lang=en")
        assert refused.status_code == 400
        assert (
            "“per_page” must be a whole number from 1 to 500"
            in refused.get_json()["error"]["message"]
        )


def test_a_campaign_record_carries_its_public_pledge_count(client: FlaskClient) -> None:
    """INTERFACE.md: the campaign record gains `pledges`, as the count's own answer."""
    listed = client.get("/api/v1/campaigns").get_json()["campaigns"]
    for record in listed:
        own = client.get(f"/api/v1/campaigns/{record['slug']}/pledges").get_json()
        expected = {k: v for k, v in own.items() if k not in ("campaign", "url")}
        assert record["pledges"] == expected
        assert client.get(f"/api/v1/campaigns/{record['slug']}").get_json() == record
