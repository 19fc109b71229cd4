"""Every page, in both languages: status, language, alternates, language switch."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.config import ROOT
from app.extensions import db
from app.indicators.models import Indicator
from app.pages.models import Page
from app.plans.models import Plan
from app.provinces.models import Province
from app.sources.models import SourceDocument
from app.templating import long_date
from tests.conftest import LANGS


def all_paths(app: Flask) -> list[str]:
    with app.app_context():
        plans = db.session.scalars(select(Plan.slug)).all()
        indicators = db.session.scalars(select(Indicator.slug)).all()
        campaigns = db.session.scalars(select(Campaign.slug)).all()
        provinces = db.session.scalars(select(Province.slug)).all()
        pages = db.session.scalars(select(Page.slug).where(Page.slug != "methodology")).all()
        documents = db.session.scalars(select(SourceDocument.key)).all()
    return [
        "/",
        "/plans/",
        "/indicators/",
        "/campaigns/",
        "/provinces/",
        "/compare/",
        "/methodology/",
        "/sources/",
        "/api/",
        *[f"/plans/{s}/" for s in plans],
        *[f"/indicators/{s}/" for s in indicators],
        *[f"/campaigns/{s}/" for s in campaigns],
        *[f"/provinces/{s}/" for s in provinces],
        *[f"/{s}/" for s in pages],
        *[f"/sources/{s}/" for s in documents],
    ]


def other(lang: str) -> str:
    return "en" if lang == "vi" else "vi"


def test_every_page_answers_in_both_languages_with_alternates_and_switch(site_app: Flask) -> None:
    client = site_app.test_client()
    paths = all_paths(site_app)
    assert len(paths) > 60
    for path in paths:
        for lang in LANGS:
            url = f"/{lang}{path}"
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.get_data(as_text=True)
            assert f'<html lang="{lang}">' in html, url
            for code in LANGS:
                assert f'hreflang="{code}" href="http://localhost/{code}{path}"' in html, url
            assert f'hreflang="x-default" href="http://localhost/vi{path}"' in html, url
            switch = re.search(r'<a class="lang-switch" href="([^"]+)"', html)
            assert switch and switch.group(1) == f"/{other(lang)}{path}", url


def test_pages_speak_the_language_of_their_url(client: FlaskClient) -> None:
    vi = client.get("/vi/indicators/bac-giang-urban-solid-waste-treated/").get_data(as_text=True)
    en = client.get("/en/indicators/bac-giang-urban-solid-waste-treated/").get_data(as_text=True)
    assert "Mục tiêu" in vi and "Chất thải rắn" in vi or "chất thải rắn" in vi
    assert "Target" in en and "Urban solid waste collected and treated" in en
    assert "Mục tiêu" not in en


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("en-US,en;q=0.9", "/en/"),
        ("vi-VN,vi;q=0.9,en;q=0.5", "/vi/"),
        ("fr-FR,fr;q=0.9", "/vi/"),
        ("", "/vi/"),
    ],
)
def test_root_redirects_by_accept_language(client: FlaskClient, header: str, expected: str) -> None:
    response = client.get("/", headers={"Accept-Language": header} if header else {})
    assert response.status_code == 302
    assert response.headers["Location"] == expected
    assert "Accept-Language" in response.headers["Vary"]


@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/de/plans/",
        "/vi/plans/no-such-plan/",
        "/en/indicators/no-such-indicator/",
        "/vi/campaigns/nope/",
        "/en/provinces/atlantis/",
        "/vi/nothing-here/",
        "/xx",
    ],
)
def test_unknown_items_and_languages_are_localized_404s(client: FlaskClient, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    if path.startswith("/en/"):
        assert '<html lang="en">' in html and "Page not found" in html
    else:
        assert '<html lang="vi">' in html and "Không tìm thấy trang" in html


def test_indicator_page_shows_target_values_table_and_citation(client: FlaskClient) -> None:
    html = client.get("/vi/indicators/hai-phong-urban-wastewater-treated/").get_data(as_text=True)
    assert "21,2%" in html  # Vietnamese decimal comma
    assert "<table>" in html and '<th scope="row">2021<br>' in html
    # The value comes from the news article, whose date is all it gives: the year says so.
    news = "Cổng tin tức thành phố Hải Phòng, 29/10/2021"
    assert f'href="/vi/sources/hai-phong-news-2021/">{news}</a>' in html
    assert "năm công bố: nguồn không nói giá trị thuộc năm nào" in html
    assert "1463/QĐ-UBND, mục" not in html  # the plan is not where the figure comes from
    en = client.get("/en/indicators/hai-phong-urban-wastewater-treated/").get_data(as_text=True)
    assert "21.2%" in en
    assert ">Hai Phong city news portal, 29 October 2021</a>, paragraph 2" in en


def test_indicator_without_values_says_so_and_when_reports_were_due(client: FlaskClient) -> None:
    html = client.get("/en/indicators/lai-chau-forest-cover/").get_data(as_text=True)
    assert "No value has been reported yet." in html
    assert "No published figure yet" in html
    assert "&gt; 50%" in html and "by 2020" in html
    hp = client.get("/en/plans/hai-phong-1463-2014/").get_data(as_text=True)
    assert "Every year, by 10 November." in hp and "Last due: 10 November 2020." in hp
    vi = client.get("/vi/plans/hai-phong-1463-2014/").get_data(as_text=True)
    assert "Hằng năm, hạn gửi ngày 10 tháng 11." in vi and "Hạn gần nhất đã qua: 10/11/2020." in vi


def test_plan_page_groups_tasks_by_lead_agency_and_shows_legal_basis(client: FlaskClient) -> None:
    html = client.get("/en/plans/bac-giang-1026-2022/").get_data(as_text=True)
    assert 'id="agency-bac-giang-dpi"' in html
    assert "1658/QĐ-TTg" in html and "882/QĐ-TTg" in html
    assert "Replaces" in html and "/en/plans/bac-giang-682-2018/" in html
    old = client.get("/en/plans/bac-giang-682-2018/").get_data(as_text=True)
    assert "Replaced" in old and "/en/plans/bac-giang-1026-2022/" in old


def test_binh_duong_themes_with_activity_counts(client: FlaskClient) -> None:
    html = client.get("/vi/plans/binh-duong-1847-2018/").get_data(as_text=True)
    for taken, national in [(4, 8), (18, 20), (22, 25), (11, 13)]:
        assert f"{taken} trên {national}" in html
    assert "Hằng năm, trước ngày 25 tháng 10." in html


@pytest.mark.parametrize(
    ("query", "expected", "absent"),
    [
        ("province=lai-chau", "lai-chau-forest-cover", "bac-giang-forest-cover"),
        ("theme=forest", "bac-giang-forest-cover", "bac-giang-hdi"),
        (
            "plan=bac-giang-1026-2022&theme=water",
            "bac-giang-clean-water-rural",
            "hai-phong-clean-water",
        ),
        ("status=unable_to_assess", "hai-phong-urban-wastewater-treated", "lai-chau-forest-cover"),
    ],
)
def test_indicator_filters(
    client: FlaskClient, lang: str, query: str, expected: str, absent: str
) -> None:
    html = client.get(f"/{lang}/indicators/?{query}").get_data(as_text=True)
    assert f"/indicators/{expected}/" in html
    assert f"/indicators/{absent}" not in html


def test_unknown_filter_value_gets_400_with_a_message_in_the_readers_language(
    client: FlaskClient,
) -> None:
    response = client.get("/en/indicators/?province=atlantis")
    assert response.status_code == 400
    assert "“atlantis” is not a known value for “province”." in response.get_data(as_text=True)
    vi = client.get("/vi/indicators/?status=great")
    assert vi.status_code == 400
    assert "không phải giá trị hợp lệ" in vi.get_data(as_text=True)


def test_campaign_page_lists_actions_targets_and_agencies(client: FlaskClient) -> None:
    html = client.get("/en/campaigns/plastic-bags/").get_data(as_text=True)
    assert "What you can do" in html and "<ol>" in html
    assert "/en/indicators/bac-giang-plastic-bags-supermarkets/" in html
    assert "65%" in html
    assert "III.8.9.a" in html
    cycling = client.get("/vi/campaigns/cycling/").get_data(as_text=True)
    assert "xe đạp" in cycling and "1463/QĐ-UBND" in cycling


def test_pages_load_nothing_from_other_hosts_and_need_no_script(
    client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/").get_data(as_text=True)
    # One small script of the site's own, deferred, for the copy and share buttons: the
    # page is whole without it (the browser tests run with scripts off).
    scripts = re.findall(r"<script[^>]*>", html)
    own = r'<script src="/static/js/copy\.\w+\.js" defer>'
    assert len(scripts) == 1 and re.fullmatch(own, scripts[0])
    assert not re.search(r'(src|href)="(https?:)?//', html.replace("http://localhost/", "/"))


def test_a_failure_gets_a_localized_500_page_without_a_trace(tmp_path) -> None:  # noqa: ANN001
    from app import create_app
    from app.config import Config

    # No tables at all: every query fails.
    broken = create_app(
        Config(
            database_url=f"sqlite:///{tmp_path}/none.db",
            search_index_dir=tmp_path / "index",
            testing=False,
        )
    )
    client = broken.test_client()
    for lang, words in [("en", "Something went wrong"), ("vi", "Đã có lỗi xảy ra")]:
        response = client.get(f"/{lang}/plans/")
        html = response.get_data(as_text=True)
        assert response.status_code == 500
        assert f'<html lang="{lang}">' in html and words in html
        assert "Traceback" not in html and "sqlite" not in html.lower()
    api = client.get("/api/v1/plans")
    assert api.status_code == 500 and api.get_json()["error"]["code"] == "internal_server_error"


US_DATE = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|"
    r"November|December) \d{1,2}, \d{4}"
)
LOOSE_VI_DATE = re.compile(r"tháng \d{1,2}, \d{4}|\bthg \d")


def test_dates_are_written_the_way_each_languages_readers_write_them(site_app: Flask) -> None:
    """Vietnamese the administrative way (03/7/2014), English the British way (3 July 2014)."""
    client = site_app.test_client()
    for path in all_paths(site_app):
        for lang in LANGS:
            html = client.get(f"/{lang}{path}").get_data(as_text=True)
            assert not US_DATE.search(html), f"/{lang}{path}: {US_DATE.search(html)}"
            assert not LOOSE_VI_DATE.search(html), f"/{lang}{path}: {LOOSE_VI_DATE.search(html)}"
    en = client.get("/en/plans/hai-phong-1463-2014/").get_data(as_text=True)
    vi = client.get("/vi/plans/hai-phong-1463-2014/").get_data(as_text=True)
    assert "<dd>3 July 2014</dd>" in en and "<dd>03/7/2014</dd>" in vi


@pytest.mark.parametrize(
    ("day", "vi", "en"),
    [
        (dt.date(2014, 7, 3), "03/7/2014", "3 July 2014"),
        (dt.date(2021, 10, 1), "01/10/2021", "1 October 2021"),
        (dt.date(2020, 2, 25), "25/02/2020", "25 February 2020"),
        (dt.date(2012, 11, 30), "30/11/2012", "30 November 2012"),
    ],
)
def test_a_date_takes_a_leading_zero_in_vietnamese_only_where_the_rules_ask(
    site_app: Flask, day: dt.date, vi: str, en: str
) -> None:
    for lang, expected in (("vi", vi), ("en", en)):
        with site_app.test_request_context(f"/{lang}/"):
            site_app.preprocess_request()
            assert long_date(day) == expected


def test_every_free_standing_page_of_the_content_has_its_address(tmp_path: Path, lang: str) -> None:
    """Issue 17: content/README.md promises free-standing pages, but only /methodology/
    was routed; a new page file gave a 404 (and search linked every page to methodology)."""
    from app.content.loader import load_content
    from app.search.documents import rebuild_index
    from tests.conftest import make_app

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "pages" / "data-use.vi.md").write_text(
        "---\ntitle: Sử dụng dữ liệu\n---\nDữ liệu của Xanh được dùng lại tự do, ghi rõ nguồn.\n",
        encoding="utf-8",
    )
    (content / "pages" / "data-use.en.md").write_text(
        "---\ntitle: Using the data\n---\nXanh's data may be reused freely, naming the source.\n",
        encoding="utf-8",
    )
    app = make_app(tmp_path / "xanh.db", content, search_index_dir=tmp_path / "index")
    with app.app_context():
        load_content(content)
        rebuild_index()
    client = app.test_client()
    page = client.get(f"/{lang}/data-use/")
    assert page.status_code == 200
    assert ("Using the data" if lang == "en" else "Sử dụng dữ liệu") in page.get_data(True)
    assert f"/{lang}/data-use/" in client.get("/sitemap.xml").get_data(as_text=True)
    hits = client.get(f"/api/v1/search?q=reused+freely&lang={lang}").get_json()["results"]
    assert any(h["url"] == f"/{lang}/data-use/" for h in hits)
    assert client.get(f"/{lang}/no-such-page/").status_code == 404


def test_a_page_cannot_take_the_address_of_a_section(site_app: Flask) -> None:
    from app.content.references import SECTIONS

    sections = {
        rule.rule.split("/")[2]
        for rule in site_app.url_map.iter_rules()
        if rule.rule.startswith("/<lang>/") and rule.rule.count("/") >= 2
    } - {"", "<slug>", "methodology"}
    assert sections == SECTIONS


def test_no_list_numbers_its_items_twice(site_app: Flask, client: FlaskClient, lang: str) -> None:
    """A list whose items carry the plan's own numbers is not numbered again ("1. 1.")."""
    for path in all_paths(site_app):
        html = client.get(f"/{lang}{path}").get_data(as_text=True)
        for listing in re.findall(r"<ol[^>]*>(.*?)</ol>", html, flags=re.S):
            for item in re.findall(r"<li[^>]*>(.*?)</li>", listing, flags=re.S):
                assert not re.match(r"\s*(<[^>]+>\s*)*[\dIVX]+\.\s", item), (path, item[:60])


def test_a_long_free_standing_page_has_its_contents_and_a_way_back_up(
    client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/methodology/").get_data(as_text=True)
    toc = html[html.index('class="toc"') : html.index("</nav>", html.index('class="toc"'))]
    anchors = re.findall(r'href="#([^"]+)"', toc)
    assert len(anchors) >= 5 and "status" in anchors  # the id the text gives is kept
    for anchor in anchors:
        assert re.fullmatch(r"[a-z0-9-]+", anchor)  # typeable, even for Vietnamese headings
        assert html.count(f'id="{anchor}"') == 1
    assert '<a href="#top">' in html and '<body id="top">' in html


def test_the_list_of_targets_comes_a_page_at_a_time_filters_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    """Issue 22: with ten targets to a page, following "Next" shows every target of the
    filtered list once; a page that does not exist is a clear 400."""
    from app import paging
    from app.content.loader import load_content
    from app.search.documents import rebuild_index
    from tests.conftest import ROOT, make_app

    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "ix")
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
    client = app.test_client()
    every = re.findall(
        r'<li class="card indicator-card">\s*<h3><a href="([^"]+)"',
        client.get(f"/{lang}/indicators/?province=bac-giang").get_data(as_text=True),
    )
    assert len(every) == 26
    monkeypatch.setattr(paging, "PAGE_SIZE", 10)
    seen: list[str] = []
    url: str | None = f"/{lang}/indicators/?province=bac-giang&page=1"  # not the cached page
    while url:
        html = client.get(unescape(url)).get_data(as_text=True)
        seen += re.findall(r'<li class="card indicator-card">\s*<h3><a href="([^"]+)"', html)
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = found.group(1) if found else None
        assert url is None or "province=bac-giang" in url
    assert seen == every
    assert "3" in re.search(r'<nav class="pager".*?</nav>', html, re.S).group(0)
    refused = client.get(f"/{lang}/indicators/?province=bac-giang&page=4")
    assert refused.status_code == 400 and "page" in refused.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "setting", "size", "item"),
    [
        (
            "/plans/",
            "app.paging.PAGE_SIZE",
            2,
            r'<li class="card">\s*<h2><a href="[^"]*/plans/([\w-]+)/"',
        ),
        (
            "/compare/",
            "app.compare.routes.COMPARE_PAGE",
            3,
            r'<section aria-labelledby="([\w-]+)">',
        ),
    ],
)
def test_the_lists_of_plans_and_comparisons_come_a_page_at_a_time(
    client: FlaskClient,
    monkeypatch: pytest.MonkeyPatch,
    lang: str,
    path: str,
    setting: str,
    size: int,
    item: str,
) -> None:
    """Issue 22: at national scale a list shows a page, and "Next" leads through every
    item once; a page that does not exist is a clear 400 in the reader's language."""
    every = re.findall(item, client.get(f"/{lang}{path}").get_data(as_text=True))
    assert len(every) > size
    monkeypatch.setattr(setting, size)
    seen: list[str] = []
    url: str | None = f"/{lang}{path}?page=1"  # not the page cached above
    while url:
        html = client.get(unescape(url)).get_data(as_text=True)
        shown = re.findall(item, html)
        assert 0 < len(shown) <= size
        seen += shown
        found = re.search(r'<a rel="next" href="([^"]+)"', html)
        url = found.group(1) if found else None
    assert seen == every
    refused = client.get(f"/{lang}{path}?page=99")
    assert refused.status_code == 400
    text = refused.get_data(as_text=True)
    assert "99" in text and (
        "không phải" in text if lang == "vi" else "is not a known value" in text
    )
