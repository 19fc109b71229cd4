"""Absolute URLs come from the configured public address, never from a client's Host header.

Issue 17: after a data change, a burst of requests with `Host: evil.example` made
every later reader's sitemap, canonical links, feed, oEmbed answer, image card and
copy-paste embed snippet point at the attacker, because the page cache ignored the
host the URLs were built from.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from app.config import ROOT
from app.content.loader import load_content
from tests.conftest import LANGS, make_app

REPORTED = "hai-phong-urban-wastewater-treated"
PAGES = [
    "/sitemap.xml",
    "/{lang}/",
    "/{lang}/feed.atom",
    f"/{{lang}}/indicators/{REPORTED}/",
    f"/embed/{{lang}}/indicators/{REPORTED}",
    f"/oembed?url=https://xanh.example/en/indicators/{REPORTED}/",
]
ABSOLUTE = re.compile(r"https?://([a-z0-9.-]+(?::\d+)?)")


@pytest.fixture(scope="module")
def public_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    folder = tmp_path_factory.mktemp("public")
    app = make_app(
        folder / "xanh.db",
        ROOT / "content",
        search_index_dir=folder / "index",
        public_url="https://xanh.example",
        extra_hosts=("internal.example",),
    )
    with app.app_context():
        load_content(ROOT / "content")
    yield app


def hosts_in(text: str) -> set[str]:
    # Links to other sites (the legal database named on the sources page) are not ours.
    return {
        h for h in ABSOLUTE.findall(text) if h not in {"www.w3.org", "www.sitemaps.org", "vbpl.vn"}
    }


@pytest.mark.parametrize("lang", LANGS)
def test_every_absolute_url_is_the_public_one_whatever_host_was_asked(
    public_app: Flask, lang: str
) -> None:
    client = public_app.test_client()
    for path in PAGES:
        url = path.format(lang=lang)
        # Asked through another name the servers answer to (a health check's, say)…
        inside = client.get(url, base_url="http://internal.example")
        assert inside.status_code == 200, url
        assert hosts_in(inside.get_data(as_text=True)) == {"xanh.example"}, url
        # …and then by a reader: the cached answer carries only the public address.
        reader = client.get(url, base_url="https://xanh.example")
        assert hosts_in(reader.get_data(as_text=True)) == {"xanh.example"}, url
    card = client.get(
        f"/embed/{lang}/indicators/{REPORTED}.png", base_url="http://internal.example"
    )
    assert card.status_code == 200 and card.mimetype == "image/png"


@pytest.mark.parametrize("lang", LANGS)
def test_a_request_for_an_unknown_host_is_refused_in_the_readers_language(
    public_app: Flask, lang: str
) -> None:
    client = public_app.test_client()
    for _ in range(20):  # the burst that used to poison the cache
        page = client.get(f"/{lang}/", headers={"Host": "evil.example"})
        assert page.status_code == 400
    assert "evil.example" not in page.get_data(as_text=True)
    expected = {"vi": "Trang này không phục vụ", "en": "This site does not answer"}
    assert expected[lang] in page.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page.get_data(as_text=True)
    api = client.get("/api/v1/plans", headers={"Host": "evil.example"})
    assert api.status_code == 400 and api.get_json()["error"]["code"] == "unknown_host"
    # Readers asking for the real host are not affected.
    sitemap = client.get("/sitemap.xml", base_url="https://xanh.example").get_data(as_text=True)
    assert hosts_in(sitemap) == {"xanh.example"}


def test_without_a_public_address_each_host_is_cached_apart(tmp_path: Path) -> None:
    """On a developer's machine URLs follow the request, so the cache keys hosts apart."""
    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "index")
    with app.app_context():
        load_content(ROOT / "content")
    client = app.test_client()
    for _ in range(20):
        client.get("/sitemap.xml", headers={"Host": "evil.example"})
        client.get(f"/embed/en/indicators/{REPORTED}?view=figure", headers={"Host": "evil.example"})
    sitemap = client.get("/sitemap.xml", base_url="http://localhost:5000")
    assert hosts_in(sitemap.get_data(as_text=True)) == {"localhost:5000"}
    snippet = client.get(f"/en/indicators/{REPORTED}/", base_url="http://localhost:5000")
    assert "evil.example" not in snippet.get_data(as_text=True)
