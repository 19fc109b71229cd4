"""The typeface: Be Vietnam Pro, cut down to the characters Xanh uses, sent by the site
itself under fingerprinted names (issue 19)."""

from __future__ import annotations

import re
import unicodedata
from html import unescape

from flask import Flask
from flask.testing import FlaskClient
from fontTools.ttLib import TTFont

from app.config import ROOT
from tests.test_pages import all_paths

FONTS = sorted((ROOT / "static" / "fonts").glob("be-vietnam-pro-*.woff2"))


def test_the_typeface_has_every_letter_the_pages_use(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    """Letters, digits, punctuation and currency signs: a page never mixes typefaces in a
    word. Symbols (the status marks ↗ ∅ ✔) come from the system's fonts. When this fails,
    `make fonts` cuts the fonts again with the new characters."""
    assert [f.name for f in FONTS] == ["be-vietnam-pro-400.woff2", "be-vietnam-pro-700.woff2"]
    covered = []
    for file in FONTS:
        with TTFont(file) as font:
            covered.append({chr(c) for c in font.getBestCmap()})
    seen: set[str] = set()
    for path in all_paths(site_app):
        html = client.get(f"/{lang}{path}").get_data(as_text=True)
        text = unescape(re.sub(r"<[^>]+>", " ", html.split("<body", 1)[1]))
        seen |= set(unicodedata.normalize("NFC", text))
    needed = {
        c for c in seen if unicodedata.category(c)[0] in "LNP" or unicodedata.category(c) == "Sc"
    }
    if lang == "vi":
        assert {"ư", "ơ", "đ", "Đ", "ữ", "ặ"} <= needed
    for font in covered:
        assert sorted(needed - font) == []


def test_fonts_are_the_sites_own_fingerprinted_and_kept_a_year(client: FlaskClient) -> None:
    page = client.get("/vi/").get_data(as_text=True)
    stylesheet = re.search(r'href="(/static/css/site\.\w{10}\.css)"', page).group(1)
    css = client.get(stylesheet)
    assert "immutable" in css.headers["Cache-Control"]
    fonts = re.findall(
        r'url\("\.\./(fonts/be-vietnam-pro-\d00\.\w{10}\.woff2)"\)', css.get_data(True)
    )
    # Text never waits for the font, and never moves when it arrives late.
    assert len(fonts) == 2 and css.get_data(True).count("font-display: optional") == 2
    for font in fonts:
        assert f'href="/static/{font}" as="font"' in page  # preloaded, at the same address
        with client.get(f"/static/{font}") as answer:
            assert answer.status_code == 200 and answer.mimetype == "font/woff2"
            assert "immutable" in answer.headers["Cache-Control"]
    assert (ROOT / "static" / "fonts" / "OFL.txt").read_text().startswith("Copyright")
