"""The updates feed and the sitemap, on the real content, in both languages."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.extensions import db
from app.indicators.models import Indicator, Observation
from tests.test_pages import all_paths

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def test_sitemap_lists_every_page_in_both_languages(site_app: Flask, client: FlaskClient) -> None:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    urls = ET.fromstring(response.data).findall(f"{SITEMAP}url")
    locs = {u.find(f"{SITEMAP}loc").text.removeprefix("http://localhost") for u in urls}
    pages = [p for p in all_paths(site_app) if p != "/"] + ["/"]
    assert locs == {f"/{lang}{p}" for p in pages for lang in ("vi", "en")}
    for url in urls:
        alternates = {a.get("hreflang") for a in url.findall(f"{XHTML}link")}
        assert alternates == {"vi", "en", "x-default"}


def test_feed_lists_each_new_value_with_its_status_change(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    response = client.get(f"/{lang}/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    with site_app.app_context():
        values = db.session.scalars(select(Observation)).all()
        wastewater = db.session.scalar(
            select(Indicator).where(Indicator.slug == "hai-phong-urban-wastewater-treated")
        )
        title = wastewater.title_vi if lang == "vi" else wastewater.title_en
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(ids) == len(set(ids)) >= len(values)
    figure = "21,2%" if lang == "vi" else "21.2%"
    entry = next(
        e for e in entries if "hai-phong-urban-wastewater-treated/2021" in e.find(f"{ATOM}id").text
    )
    # The news report gives no year of its own for the value: the title says it is the report's.
    year = "(công bố năm 2021)" if lang == "vi" else "(reported in 2021)"
    assert entry.find(f"{ATOM}title").text == f"{title}: {figure} {year}"
    assert entry.find(f"{ATOM}updated").text.startswith("2021-10-29")
    assert "“" in entry.find(f"{ATOM}summary").text  # status before → after, named in words
    dates = [e.find(f"{ATOM}updated").text for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_feed_marks_milestones_whose_deadline_passed(client: FlaskClient) -> None:
    feed = ET.fromstring(client.get("/en/feed.atom").data)
    passed = [
        e for e in feed.findall(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith("/deadline")
    ]
    records = client.get("/api/v1/indicators").get_json()["indicators"]
    overdue = [r for r in records if r["status_inputs"].get("milestone") == "overdue"]
    assert overdue and len(passed) == len(overdue)


def test_robots_txt_lets_crawlers_in_and_names_the_sitemap(client: FlaskClient) -> None:
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response.mimetype == "text/plain"
    lines = response.get_data(as_text=True).splitlines()
    assert "Disallow: /admin/" in lines and "Disallow: /" not in lines
    [sitemap] = [line.removeprefix("Sitemap: ") for line in lines if line.startswith("Sitemap:")]
    assert sitemap == "http://localhost/sitemap.xml"
    assert client.get(sitemap.removeprefix("http://localhost")).status_code == 200


SCOPES = {
    "provinces/hai-phong": lambda r: r["province"]["slug"] == "hai-phong",
    "provinces/bac-giang": lambda r: r["province"]["slug"] == "bac-giang",
    "plans/bac-giang-1026-2022": lambda r: r["plan"]["slug"] == "bac-giang-1026-2022",
    "plans/binh-duong-1847-2018": lambda r: r["plan"]["slug"] == "binh-duong-1847-2018",
    "indicators/hai-phong-urban-wastewater-treated": (
        lambda r: r["slug"] == "hai-phong-urban-wastewater-treated"
    ),
}


def test_each_province_plan_and_target_has_a_feed_of_exactly_its_own_updates(
    client: FlaskClient, lang: str
) -> None:
    """Issue 20, "follow anything": the same entries as the site's feed, for that scope only."""
    whole = ET.fromstring(client.get(f"/{lang}/feed.atom").data)
    everything = {e.find(f"{ATOM}id").text for e in whole.findall(f"{ATOM}entry")}
    records = client.get("/api/v1/indicators").get_json()["indicators"]
    for scope, belongs in SCOPES.items():
        response = client.get(f"/{lang}/{scope}/feed.atom")
        assert response.status_code == 200 and response.mimetype == "application/atom+xml"
        feed = ET.fromstring(response.data)
        ids = {e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")}
        own = {r["slug"] for r in records if belongs(r)}
        expected = {i for i in everything if i.split("/indicators/")[1].split("/")[0] in own}
        assert ids == expected, scope
        links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
        assert links["self"].endswith(f"/{lang}/{scope}/feed.atom")
        assert links["alternate"].endswith(f"/{lang}/{scope}/")
    # Hai Phong has values, and Binh Duong's plan has a milestone whose deadline passed.
    assert ET.fromstring(client.get(f"/{lang}/provinces/hai-phong/feed.atom").data).findall(
        f"{ATOM}entry"
    )
    assert client.get(f"/{lang}/provinces/nowhere/feed.atom").status_code == 404


def test_every_province_plan_target_and_campaign_page_offers_its_feed(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    pages = [p for p in all_paths(site_app) if p.count("/") == 3 and not p.startswith("/sources")]
    assert len(pages) > 55
    for path in pages:
        html = client.get(f"/{lang}{path}").get_data(as_text=True)
        feed = f"/{lang}{path}feed.atom"
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{feed}"' in html.split("</head>")[0], path
        follow = html[html.index('aria-labelledby="follow"') :]
        assert f'<a href="{feed}" type="application/atom+xml">' in follow, path
        assert client.get(feed).status_code == 200, feed


@pytest.mark.parametrize("size", [1, 2, 4, 8, 50])
def test_the_site_feed_reads_only_the_newest_and_gives_what_going_through_all_gives(
    site: Flask, monkeypatch: pytest.MonkeyPatch, size: int
) -> None:
    """Issue 22: the feed no longer works out every indicator's history to keep the
    newest entries; whatever its size, it holds exactly those entries. An editor's
    correction stands in for the content value it corrects, here as on every page."""
    from app.queries import all_indicators, today
    from app.updates import routes
    from tests.admin_helpers import Editor

    lan = Editor(site)
    assert lan.sign_in("lan@donre.example").status_code == 302
    answer = lan.enter(
        "bac-giang-urban-solid-waste-treated", year="2024", value="87,5", source_document="BC 1"
    )
    assert answer.status_code == 302
    monkeypatch.setattr(routes, "FEED_SIZE", size)
    with site.app_context():
        day = today()
        everything = [(u.key, u.day) for u in routes.updates(all_indicators(), day)]
        read = routes.newest_updated(day)
        newest = [(u.key, u.day) for u in routes.updates(read, day)]
        total = len(all_indicators())
    assert newest == everything and len(newest) == min(size, len(everything))
    if size < 8:
        assert len(read) < total / 2  # it read only what the feed can show
    feed = ET.fromstring(site.test_client().get("/en/feed.atom").data)
    assert len(feed.findall(f"{ATOM}entry")) == len(newest)
