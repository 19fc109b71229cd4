"""Widgets, their images, oEmbed, social tags, framing and caching headers, on the real content."""

from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_babel import force_locale, gettext
from PIL import Image, ImageColor, ImageDraw, ImageFont

from app.config import ROOT
from app.embed.image import FONTS
from app.embed.options import HEIGHTS, WIDTH
from app.indicators.status import Assessment
from tests.test_pages import all_paths, other
from tests.test_security import csp

REPORTED = "hai-phong-urban-wastewater-treated"  # 21.2% in 2021, source dated 29 October 2021
NO_VALUE = "bac-giang-urban-solid-waste-treated"
FIGURE = {"vi": "21,2%", "en": "21.2%"}
HOST = "http://localhost"


def record(client: FlaskClient, slug: str) -> dict:
    return client.get(f"/api/v1/indicators/{slug}").get_json()


def label(app: Flask, lang: str, record: dict) -> str:
    """The status a reader sees: a result with no target says so instead."""
    with app.test_request_context(), force_locale(lang):
        return str(Assessment(record["status"], record["status_inputs"]).info.label)


def say(app: Flask, lang: str, message: str, **values: str) -> str:
    with app.test_request_context(), force_locale(lang):
        return gettext(message, **values)


@pytest.mark.parametrize("theme", ["light", "dark", "auto"])
@pytest.mark.parametrize("view", ["card", "chart"])
def test_widget_shows_figure_target_status_source_and_links(
    site_app: Flask, client: FlaskClient, lang: str, view: str, theme: str
) -> None:
    data = record(client, REPORTED)
    response = client.get(f"/embed/{lang}/indicators/{REPORTED}?view={view}&theme={theme}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}" class="theme-{theme} bg-solid">' in html
    assert data["title"][lang] in html
    # 2021 is the year of the report that gave it (the source names no other): it says so.
    reported = {"vi": "(công bố năm 2021)", "en": "(reported in 2021)"}
    assert FIGURE[lang] in html and reported[lang] in html
    assert label(site_app, lang, data) in html
    assert data["observations"][0]["source"]["document"] in html
    assert f'href="/{lang}/indicators/{REPORTED}/"' in html
    assert f'href="/api/v1/indicators/{REPORTED}.csv"' in html
    assert ("<svg" in html) == (view == "chart")
    assert ("<table" in html) == (view == "chart")  # a chart always comes with its data table
    # Scripts only from files: hosts and Xanh's own policy forbid inline ones.
    assert all('src="' in tag for tag in re.findall(r"<script[^>]*>", html))


def test_widget_without_a_value_says_so_and_cites_the_target(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/embed/{lang}/indicators/{NO_VALUE}?view=chart").get_data(as_text=True)
    assert say(site_app, lang, "No value reported yet") in html
    assert "<svg" not in html
    assert "1026/QĐ-UBND" in html


def test_transparent_background_is_an_option(client: FlaskClient) -> None:
    html = client.get(f"/embed/en/indicators/{REPORTED}?bg=transparent").get_data(as_text=True)
    assert 'class="theme-light bg-transparent"' in html
    with client.get("/static/css/embed.css") as response:
        css = response.get_data(as_text=True)
    assert ".bg-transparent body { background: transparent; }" in css


def test_frozen_widget_shows_only_what_was_public_on_its_date(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    before = client.get(f"/embed/{lang}/indicators/{REPORTED}?as_of=2021-10-28")
    on_the_day = client.get(f"/embed/{lang}/indicators/{REPORTED}?as_of=2021-10-29")
    for response in (before, on_the_day):
        assert response.status_code == 200
        assert "2021" in response.get_data(as_text=True)  # the frozen date is stated
    assert FIGURE[lang] not in before.get_data(as_text=True)
    assert say(site_app, lang, "No value reported yet") in before.get_data(as_text=True)
    assert FIGURE[lang] in on_the_day.get_data(as_text=True)
    assert before.headers["ETag"] != on_the_day.headers["ETag"]


@pytest.mark.parametrize(
    "query", ["view=table", "theme=pink", "bg=none", "as_of=yesterday", "as_of=2999-01-01"]
)
def test_bad_widget_options_get_a_clear_400_inside_the_frame(
    site_app: Flask, client: FlaskClient, lang: str, query: str
) -> None:
    response = client.get(f"/embed/{lang}/indicators/{REPORTED}?{query}")
    assert response.status_code == 400
    name, value = query.split("=")
    message = say(
        site_app,
        lang,
        "“%(value)s” is not a known value for “%(parameter)s”.",
        value=value,
        parameter=name,
    )
    assert unescape(message) in unescape(response.get_data(as_text=True))
    assert csp(response.headers)["frame-ancestors"] == "*"


def oembed(client: FlaskClient, url: str, **params: str):  # noqa: ANN201
    return client.get("/oembed", query_string={"url": url, **params})


def test_oembed_answers_for_an_indicator_page_field_by_field(
    client: FlaskClient, lang: str
) -> None:
    data = record(client, REPORTED)
    response = oembed(client, f"{HOST}/{lang}/indicators/{REPORTED}/", format="json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    answer = response.get_json()
    assert answer["type"] == "rich" and answer["version"] == "1.0"
    assert answer["title"] == f"Xanh: {data['title'][lang]}"
    assert answer["provider_name"] == "Xanh" and answer["provider_url"] == f"{HOST}/"
    assert isinstance(answer["cache_age"], int) and answer["cache_age"] > 0
    assert (answer["width"], answer["height"]) == (WIDTH, HEIGHTS["card"])
    # The html is one iframe and nothing else: no script for the consumer to run.
    html = answer["html"]
    assert re.fullmatch(r"<iframe [^<>]*></iframe>", html)
    src = unescape(re.search(r'src="([^"]+)"', html).group(1))
    assert src == f"{HOST}/embed/{lang}/indicators/{REPORTED}"
    assert f'width="{answer["width"]}"' in html and f'height="{answer["height"]}"' in html
    assert 'loading="lazy"' in html and "title=" in html
    thumb = client.get(answer["thumbnail_url"].removeprefix(HOST))
    png = Image.open(io.BytesIO(thumb.data))
    assert png.size == (answer["thumbnail_width"], answer["thumbnail_height"]) == (1200, 630)


def test_oembed_for_a_widget_url_keeps_its_options(client: FlaskClient) -> None:
    url = f"{HOST}/embed/en/indicators/{REPORTED}?view=chart&theme=dark"
    answer = oembed(client, url).get_json()
    src = unescape(re.search(r'src="([^"]+)"', answer["html"]).group(1))
    assert parse_qs(urlsplit(src).query) == {"view": ["chart"], "theme": ["dark"]}
    assert answer["height"] == HEIGHTS["chart"]


@pytest.mark.parametrize(
    ("maxwidth", "maxheight"), [("400", None), (None, "200"), ("300", "100"), ("100", "50")]
)
def test_oembed_honours_maxwidth_and_maxheight(
    client: FlaskClient, maxwidth: str | None, maxheight: str | None
) -> None:
    params = {k: v for k, v in (("maxwidth", maxwidth), ("maxheight", maxheight)) if v}
    answer = oembed(client, f"{HOST}/vi/indicators/{REPORTED}/", **params).get_json()
    for limit, width_or_height in ((maxwidth, "width"), (maxheight, "height")):
        if limit:
            assert answer[width_or_height] <= int(limit)
            if "thumbnail_url" in answer:
                assert answer[f"thumbnail_{width_or_height}"] <= int(limit)
    if "thumbnail_url" in answer:
        thumb = client.get(answer["thumbnail_url"].removeprefix(HOST))
        size = Image.open(io.BytesIO(thumb.data)).size
        assert size == (answer["thumbnail_width"], answer["thumbnail_height"])


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"url": f"{HOST}/vi/indicators/no-such-target/"}, 404),
        ({"url": f"{HOST}/vi/provinces/bac-giang/"}, 404),  # no card to embed
        ({"url": f"https://elsewhere.example/vi/indicators/{REPORTED}/"}, 404),
        ({"url": f"{HOST}/embed/vi/indicators/{REPORTED}?view=table"}, 404),
        ({"url": "not a url"}, 404),
        ({}, 404),
        ({"url": f"{HOST}/vi/indicators/{REPORTED}/", "format": "xml"}, 501),
        ({"url": f"{HOST}/vi/indicators/{REPORTED}/", "maxwidth": "wide"}, 400),
    ],
)
def test_oembed_errors(client: FlaskClient, params: dict, status: int) -> None:
    response = client.get("/oembed", query_string=params)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_indicator_pages_carry_oembed_discovery_that_answers(
    client: FlaskClient, lang: str
) -> None:
    html = client.get(f"/{lang}/indicators/{REPORTED}/").get_data(as_text=True)
    link = re.search(r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html)
    assert link
    answer = client.get(unescape(link.group(1)).removeprefix(HOST)).get_json()
    assert answer["type"] == "rich" and f"/embed/{lang}/indicators/{REPORTED}" in answer["html"]
    # A consumer that sends the format empty means the default, JSON.
    empty = client.get(unescape(link.group(1)).removeprefix(HOST) + "&format=")
    assert empty.status_code == 200 and empty.get_json() == answer


def meta(html: str, key: str) -> str | None:
    found = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return unescape(found.group(1)) if found else None


OPEN_GRAPH_LOCALE = {"vi": "vi_VN", "en": "en_GB"}


def test_every_page_has_a_social_card_in_its_language_with_a_working_image(
    site_app: Flask, client: FlaskClient, lang: str
) -> None:
    """Issue 19: a shared home, province, compare, method or search page shows a card too,
    and a Vietnamese page says it is Vietnamese."""
    pages = [*all_paths(site_app), "/search?q=r%C3%A1c"]
    assert len(pages) > 60
    images: set[str] = set()
    for path in pages:
        html = client.get(f"/{lang}{path}").get_data(as_text=True)
        title = re.search(r"<title>(.*?) · Xanh</title>", html).group(1)
        assert meta(html, "og:title") == unescape(title), path
        assert meta(html, "og:url") == f"{HOST}/{lang}{path}"
        assert meta(html, "og:locale") == OPEN_GRAPH_LOCALE[lang], path
        assert meta(html, "og:locale:alternate") == OPEN_GRAPH_LOCALE[other(lang)], path
        share = html[html.index('class="share"') :]
        assert f'id="share-url" type="url" readonly value="{HOST}/{lang}{path}"' in share, path
        assert meta(html, "og:description") and meta(html, "twitter:description")
        assert meta(html, "twitter:card") == "summary_large_image"
        image = meta(html, "og:image")
        assert image == meta(html, "twitter:image") and image.startswith(f"{HOST}/embed/{lang}/")
        assert meta(html, "og:image:alt")
        images.add(image)
    for image in list(images)[:: max(1, len(images) // 8)]:  # a sample: each one is drawn
        response = client.get(image.removeprefix(HOST))
        assert response.mimetype == "image/png"
        assert Image.open(io.BytesIO(response.data)).size == (1200, 630)


def test_png_decodes_at_the_right_size_and_is_not_blank(client: FlaskClient) -> None:
    for path, size in [
        (f"/embed/vi/indicators/{REPORTED}.png", (1200, 630)),
        (f"/embed/en/indicators/{NO_VALUE}.png?width=600", (600, 315)),
        ("/embed/vi/plans/bac-giang-1026-2022.png", (1200, 630)),
        ("/embed/en/campaigns/plastic-bags.png?width=300", (300, 157)),
    ]:
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "image/png"
        png = Image.open(io.BytesIO(response.data))
        png.load()
        assert png.size == size
        colours = png.convert("L").getcolors(maxcolors=256 * 256)
        assert len(colours) > 16  # text, a heading bar and a background, not one flat colour
    for lang, words in (("vi", "phải là một số nguyên"), ("en", "must be a whole number")):
        bad = client.get(f"/embed/{lang}/indicators/{REPORTED}.png?width=5")
        assert bad.status_code == 400 and words in bad.get_data(as_text=True)


def glyph(face: ImageFont.FreeTypeFont, char: str) -> bytes:
    image = Image.new("L", (64, 64))
    ImageDraw.Draw(image).text((8, 4), char, font=face, fill=255)
    return image.tobytes()


def test_the_shipped_font_draws_every_vietnamese_letter() -> None:
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        face = ImageFont.truetype(str(FONTS / name), 40)
        missing = glyph(face, "\U000e0100")  # no font has this character: its "missing" box
        text = "Tỷ lệ chất thải rắn đô thị được thu gom ĐĂÂÊÔƠƯ ≥ ≤ ✔ ∅ ⋯ ↗ ↘ →"
        for char in sorted(set(text) - {" "}):
            drawn = glyph(face, char)
            assert drawn != missing and any(drawn), (name, char)


def test_the_image_draws_the_vietnamese_title_it_is_given(client: FlaskClient) -> None:
    """Two titles that differ only in their tone marks give different images."""
    first = client.get("/embed/vi/indicators/bac-giang-urban-solid-waste-treated.png").data
    second = client.get("/embed/vi/indicators/lai-chau-urban-solid-waste-collected.png").data
    assert first != second


def test_embed_panel_previews_the_chosen_widget_and_gives_a_snippet(
    client: FlaskClient, lang: str
) -> None:
    html = client.get(
        f"/{lang}/indicators/{REPORTED}/?view=chart&theme=dark&embed_lang=en"
    ).get_data(as_text=True)
    preview = re.search(r'<iframe class="embed-preview" src="([^"]+)"', html)
    assert (
        unescape(preview.group(1)) == f"{HOST}/embed/en/indicators/{REPORTED}?view=chart&theme=dark"
    )
    snippet = unescape(re.search(r"<textarea[^>]*>(.*?)</textarea>", html, re.S).group(1))
    iframe, script = snippet.splitlines()
    assert re.fullmatch(r"<iframe [^<>]*></iframe>", iframe)
    assert (
        'loading="lazy"' in iframe
        and f'height="{HEIGHTS["chart"]}"' in iframe
        and "border:0" in iframe
    )
    assert 'title="Xanh: ' in iframe
    assert script == f'<script src="{HOST}/embed/embed.js" async></script>'
    bad = client.get(f"/{lang}/indicators/{REPORTED}/?theme=pink")
    assert bad.status_code == 400 and "pink" in bad.get_data(as_text=True)


def test_host_script_is_small_and_can_be_loaded_from_anywhere(client: FlaskClient) -> None:
    with client.get("/embed/embed.js") as response:
        assert response.status_code == 200 and response.mimetype == "text/javascript"
        assert len(response.data) < 1024
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        assert response.data == (ROOT / "static/embed/host.js").read_bytes()


FRAMEABLE = [
    f"/embed/vi/indicators/{REPORTED}",
    f"/embed/en/indicators/{REPORTED}?view=chart",
    f"/embed/vi/indicators/{REPORTED}.png",
    "/embed/en/plans/bac-giang-1026-2022.png",
    "/embed/embed.js",
    "/embed/vi/indicators/no-such-target",
]


def test_widgets_images_and_host_script_may_be_framed(client: FlaskClient) -> None:
    for path in FRAMEABLE:
        with client.get(path) as response:
            headers = response.headers
        assert csp(headers)["frame-ancestors"] == "*", path
        assert "X-Frame-Options" not in headers, path


def test_every_other_page_refuses_framing(site_app: Flask, client: FlaskClient) -> None:
    paths = [f"/{lang}{p}" for p in all_paths(site_app) for lang in ("vi", "en")]
    paths += [
        "/",
        "/vi/no-such-page/",
        "/en/indicators/?status=nonsense",
        "/vi/search?q=rac",
        "/vi/feed.atom",
        "/sitemap.xml",
        "/api/v1/plans",
        "/api/v1/nothing",
        f"/oembed?url={HOST}/vi/indicators/{REPORTED}/",
        "/static/css/site.css",
    ]
    for path in paths:
        with client.get(path) as response:
            headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert csp(headers)["frame-ancestors"] == "'none'", path


@pytest.mark.parametrize(
    "path",
    [
        f"/embed/vi/indicators/{REPORTED}?view=chart",
        f"/embed/en/indicators/{REPORTED}.png",
        f"/oembed?url={HOST}/vi/indicators/{REPORTED}/",
        "/embed/embed.js",
    ],
)
def test_cache_headers_and_304_for_a_matching_etag(client: FlaskClient, path: str) -> None:
    with client.get(path) as first:
        pass
    assert first.status_code == 200
    assert (
        "public" in first.headers["Cache-Control"] and "max-age=" in first.headers["Cache-Control"]
    )
    etag = first.headers["ETag"]
    with client.get(path, headers={"If-None-Match": etag}) as again:
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == etag
    with client.get(path, headers={"If-None-Match": '"other"'}) as other:
        assert other.status_code == 200


@pytest.mark.parametrize(
    "path, image",
    [
        ("plans/bac-giang-1026-2022/", "plans/bac-giang-1026-2022.png"),
        ("campaigns/cycling/", "campaigns/cycling.png"),
    ],
)
def test_oembed_embeds_a_plan_or_campaign_as_its_card_linked_to_the_page(
    client: FlaskClient, lang: str, path: str, image: str
) -> None:
    page = f"{HOST}/{lang}/{path}"
    html = client.get(page.removeprefix(HOST)).get_data(as_text=True)
    discovery = re.search(
        r'<link rel="alternate" type="application/json\+oembed" href="([^"]+)"', html
    )
    assert discovery and parse_qs(urlsplit(unescape(discovery.group(1))).query)["url"] == [page]
    answer = oembed(client, page, maxwidth="400").get_json()
    assert answer["type"] == "rich" and answer["provider_name"] == "Xanh"
    assert answer["width"] == 400 and answer["height"] == 210
    title = re.search(r"<title>(.*?) · Xanh</title>", html).group(1)
    assert answer["title"] == unescape(title)
    src = f"{HOST}/embed/{lang}/{image}?width=400"
    alt = unescape(title)
    assert unescape(answer["html"]) == (
        f'<a href="{page}"><img src="{src}" width="400" height="210" alt="{alt}"></a>'
    )
    drawn = client.get(src.removeprefix(HOST))
    assert Image.open(io.BytesIO(drawn.data)).size == (400, 210)
    assert oembed(client, f"{HOST}/{lang}/plans/no-such-plan/").status_code == 404


def test_an_indicators_card_draws_its_value_as_a_bar(client: FlaskClient) -> None:
    """The share card shows the figure as a bar (21.2% of the way), and draws none when
    nothing has been reported."""
    from app.embed.image import BRAND, MARGIN, TRACK, WIDTH

    def bar_rows(slug: str) -> list[int]:
        data = client.get(f"/embed/vi/indicators/{slug}.png").data
        pixels = Image.open(io.BytesIO(data)).convert("RGB")
        inner = WIDTH - 2 * MARGIN
        fill, track = (ImageColor.getrgb(c) for c in (BRAND, TRACK))
        return [
            y
            for y in range(pixels.height)
            if pixels.getpixel((MARGIN + 5, y)) == fill
            and pixels.getpixel((MARGIN + int(inner * 0.15), y)) == fill
            and pixels.getpixel((MARGIN + int(inner * 0.25), y)) == track
            and pixels.getpixel((MARGIN + inner - 5, y)) == track
        ]

    assert len(bar_rows(REPORTED)) >= 20
    assert bar_rows(NO_VALUE) == []
