"""Headers that depend on the route family: who may frame a page, how long it may be cached."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.wrappers import Response

# Widgets, their images and the host script are made to be used on other sites.
EMBEDDABLE = "/embed/"
# The first prefix that matches wins, so the host script comes before the rest of /embed/.
CACHE_SECONDS = {"/embed/embed.js": 86400, "/oembed": 3600, EMBEDDABLE: 300}


def framing(response: Response) -> Response:
    if request.path.startswith(EMBEDDABLE):
        response.headers["Content-Security-Policy"] = "frame-ancestors *"
        del response.headers["X-Frame-Options"]
        response.headers["Access-Control-Allow-Origin"] = "*"
    else:
        response.headers["Content-Security-Policy"] = "frame-ancestors 'none'"
        response.headers["X-Frame-Options"] = "DENY"
    return response


def embed_caching(response: Response) -> Response:
    """Widgets stay live: caches may keep them a few minutes, then revalidate by ETag."""
    seconds = next(
        (age for prefix, age in CACHE_SECONDS.items() if request.path.startswith(prefix)), None
    )
    if seconds is None or response.status_code not in (200, 304):
        return response
    response.cache_control.public = True
    response.cache_control.max_age = seconds
    if response.status_code == 200 and "ETag" not in response.headers:
        response.add_etag()
        response = response.make_conditional(request)
    return response


def init_headers(app: Flask) -> None:
    app.after_request(embed_caching)
    app.after_request(framing)
