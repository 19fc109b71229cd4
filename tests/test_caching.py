"""Caching a CDN or proxy can use: lifetimes, ETags and 304s, compression, fingerprinted files."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import brotli
import pytest
from flask import Flask
from flask.testing import FlaskClient

from app.config import ROOT
from app.content.loader import load_content
from tests.conftest import make_app

REPORTED = "hai-phong-urban-wastewater-treated"
PUBLIC = [
    "/vi/",
    f"/en/indicators/{REPORTED}/",
    "/vi/plans/bac-giang-1026-2022/",
    "/en/search?q=water",
    "/vi/feed.atom",
    "/sitemap.xml",
    "/api/v1/plans",
    f"/api/v1/indicators/{REPORTED}",
    f"/embed/vi/indicators/{REPORTED}",
]
DECODE = {"gzip": gzip.decompress, "br": brotli.decompress}


@pytest.mark.parametrize("path", PUBLIC)
def test_public_answers_can_be_cached_and_revalidated(client: FlaskClient, path: str) -> None:
    first = client.get(path)
    assert first.status_code == 200
    control = first.cache_control
    if path.startswith("/embed/"):  # widgets: a few minutes anywhere
        assert control.public and control.max_age == 300
    else:  # pages: browsers revalidate every time, shared caches keep them a minute
        assert control.public and control.max_age == 0 and control.s_maxage == 60
    assert "Cookie" not in first.headers.get("Vary", "")  # shared caches may share it
    etag = first.headers["ETag"]
    again = client.get(path, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200


@pytest.mark.parametrize("encoding", ["gzip", "br"])
@pytest.mark.parametrize("path", PUBLIC)
def test_public_answers_are_compressed_for_clients_that_accept_it(
    client: FlaskClient, path: str, encoding: str
) -> None:
    plain = client.get(path)
    packed = client.get(path, headers={"Accept-Encoding": f"{encoding}, deflate"})
    assert packed.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert DECODE[encoding](packed.data) == plain.data
    assert len(packed.data) < len(plain.data) * 0.75
    # Each encoding is its own representation, with its own ETag and its own 304.
    assert packed.headers["ETag"] != plain.headers["ETag"]
    revalidated = client.get(
        path, headers={"Accept-Encoding": encoding, "If-None-Match": packed.headers["ETag"]}
    )
    assert revalidated.status_code == 304
    # A client that asked for nothing compressed never gets a compressed answer.
    assert "Content-Encoding" not in client.get(path, headers={"Accept-Encoding": ""}).headers


def test_a_cached_page_is_compressed_once_and_served_as_it_was(site_app: Flask) -> None:
    client = site_app.test_client()
    path = f"/en/indicators/{REPORTED}/"
    first = client.get(path, headers={"Accept-Encoding": "gzip"})
    second = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert second.data == first.data and second.headers["ETag"] == first.headers["ETag"]
    assert gzip.decompress(second.data) == client.get(path).data


def test_static_files_have_fingerprinted_names_kept_for_a_year(client: FlaskClient) -> None:
    page = client.get("/vi/").get_data(as_text=True)
    names = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
    assert any(n.endswith(".css") for n in names)
    for name in names:
        assert re.search(r"\.[0-9a-f]{10}\.(css|js|svg|woff2)$", name), name
        with client.get(name) as response:
            assert response.status_code == 200
            assert response.cache_control.max_age == 365 * 24 * 3600
            assert response.cache_control.immutable
            plain = re.sub(r"\.[0-9a-f]{10}(\.\w+)$", r"\1", name)
            # A stylesheet names its fonts by their fingerprinted names, too.
            served = re.sub(rb"\.[0-9a-f]{10}(\.woff2)", rb"\1", response.data)
            assert served == (ROOT / plain.removeprefix("/")).read_bytes()


def test_a_changed_file_gets_a_new_name_and_old_names_still_answer(client: FlaskClient) -> None:
    with client.get("/static/css/site.css") as plain:
        assert plain.status_code == 200 and plain.cache_control.max_age == 300
    # A page from another release names another fingerprint: today's file, briefly kept.
    with client.get("/static/css/site.0000000000.css") as old:
        assert old.status_code == 200 and old.cache_control.max_age == 300
        assert not old.cache_control.immutable
    assert client.get("/static/css/nothing.0000000000.css").status_code == 404


def test_editors_pages_and_errors_are_never_kept_by_shared_caches(client: FlaskClient) -> None:
    for path in ("/admin/en/login", "/admin/vi/"):
        response = client.get(path)
        assert "no-store" in response.headers["Cache-Control"], path
        assert not response.cache_control.public, path
    for path in ("/vi/plans/no-such-plan/", "/api/v1/nothing", "/en/indicators/?status=nonsense"):
        response = client.get(path)
        assert response.status_code in (400, 404)
        assert not response.cache_control.public, path


@pytest.mark.parametrize("path", ["/en/search?q=zzsentinel", "/api/v1/search?q=zzsentinel&lang=en"])
def test_a_cached_search_answer_follows_the_servers_index_build(tmp_path: Path, path: str) -> None:
    """Issue 17: the HTML search page's cache key ignored the index build, so a page cached
    between another server's change and this server's rebuild stayed stale."""
    from sqlalchemy import select

    from app.extensions import db
    from app.indicators.models import Indicator
    from app.publishing import mark_published
    from app.search.documents import rebuild_index

    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "index")
    with app.app_context():
        load_content(ROOT / "content")
        rebuild_index()
    client = app.test_client()
    with app.app_context():  # another server publishes a change…
        row = db.session.scalar(select(Indicator).where(Indicator.slug == REPORTED))
        row.title_en = "Urban wastewater zzsentinel"
        mark_published()
        db.session.commit()
    before = client.get(path).get_data(as_text=True)  # …read before this server's rebuild
    assert REPORTED not in before
    with app.app_context():
        rebuild_index()  # this server's index catches up
    after = client.get(path).get_data(as_text=True)
    assert REPORTED in after


def test_every_view_that_answers_get_declares_its_http_policy(site_app: Flask) -> None:
    """Issue 17: caching, framing, cross-origin reading and the cache key come from one
    declaration per view; a view without one would fall back to guesses."""
    from app.http_policy import policy_of

    undeclared = [
        rule.endpoint
        for rule in site_app.url_map.iter_rules()
        if "GET" in (rule.methods or ()) and policy_of(rule.endpoint, site_app) is None
    ]
    assert undeclared == []


def test_junk_query_strings_neither_fill_the_cache_nor_reach_other_readers(
    site_app: Flask,
) -> None:
    """Issue 17: every unknown parameter made a new cache entry (3,000 junk URLs grew a
    worker by 231 MB), and the language link carried the junk to later readers."""
    client = site_app.test_client()
    cache = site_app.extensions["xanh_page_cache"]
    first = client.get("/vi/indicators/?utm_source=evil&x=%22%3E")
    assert first.status_code == 200
    held = len(cache.entries)
    for n in range(40):
        answer = client.get(f"/vi/indicators/?junk={n}&utm_campaign=x{n}")
        assert answer.status_code == 200 and answer.headers["Cache-Status"] == "xanh; hit"
    plain = client.get("/vi/indicators/").get_data(as_text=True)
    assert "utm_source" not in plain and "evil" not in plain
    assert len(cache.entries) == held  # the junk made no entries
    # Links to the same list (other language, canonical, data) keep the filter, not the junk.
    filtered = client.get("/vi/indicators/?province=bac-giang").get_data(as_text=True)
    links = re.findall(r'href="([^"]*\?[^"]*)"', filtered)
    assert links and all(link.endswith("?province=bac-giang") for link in links)


def test_the_page_cache_is_bounded_by_bytes(tmp_path: Path) -> None:
    """Issue 17: the cache counted entries, not bytes; unique searches filled memory."""
    app = make_app(
        tmp_path / "xanh.db",
        ROOT / "content",
        search_index_dir=tmp_path / "index",
        page_cache_bytes=400_000,
    )
    with app.app_context():
        load_content(ROOT / "content")
        from app.search.documents import rebuild_index

        rebuild_index()
    client = app.test_client()
    cache = app.extensions["xanh_page_cache"]
    for n in range(60):
        assert client.get(f"/en/search?q=water+{n}").status_code == 200
    assert 0 < cache.bytes <= 400_000
    assert cache.bytes == sum(entry.size for entry in cache.entries.values())
    assert client.get("/en/search?q=water+59").headers.get("Cache-Status") == "xanh; hit"
