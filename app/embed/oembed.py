"""oEmbed (https://oembed.com/), JSON, type `rich`: an indicator page or widget URL embeds the
widget; a plan or campaign page embeds its card, linked to the page."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from werkzeug.datastructures import MultiDict

from app.embed import image
from app.embed.options import WIDTH, WidgetOptions, parse_options
from app.embed.panel import iframe_html, widget_title
from app.http_policy import HttpPolicy
from app.indicators.models import Indicator
from app.queries import today
from app.urls import absolute_url, site_host

PAGE = re.compile(r"^/(?P<lang>vi|en)/indicators/(?P<slug>[a-z0-9-]{1,120})/?$")
CARD_PAGE = re.compile(
    r"^/(?P<lang>vi|en)/(?P<section>plans|campaigns)/(?P<slug>[a-z0-9-]{1,120})/?$"
)
CARD_WIDTH = 600  # the card's width in an article: half of the image's
WIDGET = re.compile(r"^/embed/(?P<lang>vi|en)/indicators/(?P<slug>[a-z0-9-]{1,120})$")
CACHE_AGE = 86400  # the iframe's address does not change with the data
# The answer is read by other sites' scripts, but is no page to frame.
POLICY = HttpPolicy(
    3600,
    browser_seconds=3600,
    cross_origin=True,
    params=("url", "format", "maxwidth", "maxheight"),
)


class NotOurs(Exception):
    """The URL is not an indicator page or widget of this site."""


def _ours(url: str) -> tuple[str, str]:
    """Path and query of a URL of this site."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or parts.netloc != site_host():
        raise NotOurs
    return parts.path, parts.query


def _rich(title: str, html: str, width: int, height: int) -> dict[str, Any]:
    """The fields every answer of Xanh's has: type `rich`, its markup and size."""
    return {
        "type": "rich",
        "version": "1.0",
        "title": title,
        "provider_name": "Xanh",
        "provider_url": absolute_url("root.choose_language"),
        "cache_age": CACHE_AGE,
        "html": html,
        "width": width,
        "height": height,
    }


def _image_width(largest: int, maxwidth: int | None, maxheight: int | None) -> int:
    """The widest card image up to `largest` that fits within maxwidth and maxheight."""
    width = min(largest, maxwidth or largest)
    if maxheight:
        width = min(width, maxheight * image.WIDTH // image.HEIGHT)
    return width


def resolve_card(url: str) -> tuple[str, str, str] | None:
    """The language, section ("plans" or "campaigns") and slug of a page embedded as its
    card; None for any other URL."""
    try:
        path, _ = _ours(url)
    except NotOurs:
        return None
    match = CARD_PAGE.match(path)
    return (match["lang"], match["section"], match["slug"]) if match else None


def card_answer(
    page_url: str,
    image_endpoint: str,
    lang: str,
    slug: str,
    title: str,
    maxwidth: int | None,
    maxheight: int | None,
) -> dict[str, Any]:
    """The page's PNG card as a link to the page."""
    width = max(_image_width(CARD_WIDTH, maxwidth, maxheight), image.MIN_WIDTH)
    height = image.scaled_height(width)
    src = absolute_url(image_endpoint, lang=lang, slug=slug, width=str(width))
    html = (
        f'<a href="{escape(page_url)}"><img src="{escape(src)}" width="{width}" '
        f'height="{height}" alt="{escape(title)}"></a>'
    )
    return _rich(title, html, width, height) | {
        "thumbnail_url": src,
        "thumbnail_width": width,
        "thumbnail_height": height,
    }


def resolve(url: str) -> tuple[str, str, WidgetOptions]:
    """Return the language, slug and widget options a URL names."""
    path, query = _ours(url)
    match = PAGE.match(path) or WIDGET.match(path)
    if match is None:
        raise NotOurs
    options = WidgetOptions()
    if match.re is WIDGET:
        options, errors = parse_options(MultiDict(parse_qsl(query)), today())
        if errors:
            raise NotOurs
    return match["lang"], match["slug"], options


def size_limit(args: Mapping[str, str], name: str) -> int | None:
    """maxwidth/maxheight as a positive whole number; ValueError when it is not one."""
    raw = args.get(name)
    if raw is None or raw == "":
        return None
    if not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) < 100_000:
        raise ValueError(name)
    return int(raw)


def answer(
    indicator: Indicator,
    lang: str,
    options: WidgetOptions,
    maxwidth: int | None,
    maxheight: int | None,
) -> dict[str, Any]:
    width = min(WIDTH, maxwidth or WIDTH)
    height = min(options.height, maxheight or options.height)
    src = absolute_url("embed.widget", lang=lang, slug=indicator.slug, **options.query)
    title = widget_title(indicator, lang)
    record = _rich(title, iframe_html(src, title, width, height), width, height)
    thumb_width = _image_width(image.WIDTH, maxwidth, maxheight)
    if thumb_width >= image.MIN_WIDTH:
        query = {} if thumb_width == image.WIDTH else {"width": str(thumb_width)}
        record |= {
            "thumbnail_url": absolute_url(
                "embed.indicator_image", lang=lang, slug=indicator.slug, **query
            ),
            "thumbnail_width": thumb_width,
            "thumbnail_height": image.scaled_height(thumb_width),
        }
    return record
