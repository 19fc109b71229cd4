"""Absolute URLs: from the configured public address, never from what a client sends.

A page, feed, sitemap, widget snippet or image card that other readers receive
must not carry whatever Host header one client chose: the page cache would hand
that address to everyone. With XANH_PUBLIC_URL set (any public deployment), the
address comes from it and requests for any other host are refused (Flask's
TRUSTED_HOSTS). Without it (a developer's machine), the request's own address is
used, and the page cache keys each host apart.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, request, url_for


def public_url() -> str | None:
    return current_app.config.get("PUBLIC_URL")


def site_root() -> str:
    """ "https://xanh.example": the configured address, else (in development) the request's."""
    return public_url() or request.host_url.rstrip("/")


def site_host() -> str:
    """The host readers use, as in a URL's netloc ("xanh.example", "localhost:5000")."""
    configured = public_url()
    return urlsplit(configured).netloc if configured else request.host


def absolute_url(endpoint: str, **values: Any) -> str:
    """url_for, made absolute on the site's root."""
    return site_root() + url_for(endpoint, **values)
