"""Security headers on every response, and those that depend on the route family:
who may frame a page and how long it may be cached."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.wrappers import Response

from app.cache import is_cacheable
from app.extensions import compress

# Widgets, their images and the host script are made to be used on other sites.
EMBEDDABLE = "/embed/"
# The first prefix that matches wins, so the host script comes before the rest of /embed/.
CACHE_SECONDS = {"/embed/embed.js": 86400, "/oembed": 3600, EMBEDDABLE: 300}
# Public pages, the API and the feed: a proxy or CDN may serve them this long, then
# revalidates by ETag; browsers revalidate each time (a 304 costs little), so an editor
# sees a published value at once and readers behind a CDN within this time.
SHARED_SECONDS = 60


# Everything the site loads is its own: no inline scripts or styles, no other origin.
POLICY = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-src": "'self'",  # the widget preview on indicator pages
    "manifest-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
}
PERMISSIONS = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)
HSTS = "max-age=31536000; includeSubDomains"
# Built once, like the policies below: every public answer carries one of them.
EMBED_CACHE_CONTROL = tuple(
    (prefix, f"public, max-age={seconds}") for prefix, seconds in CACHE_SECONDS.items()
)
SHARED_CACHE_CONTROL = f"public, max-age=0, s-maxage={SHARED_SECONDS}"


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(f"{k} {v}" for k, v in {**POLICY, "frame-ancestors": frame_ancestors}.items())


# Built once: every response carries one of the two.
WIDGET_POLICY = content_security_policy("*")
PAGE_POLICY = content_security_policy("'none'")


def security(response: Response) -> Response:
    headers = response.headers
    if request.path.startswith(EMBEDDABLE):
        headers["Content-Security-Policy"] = WIDGET_POLICY
        del headers["X-Frame-Options"]
        headers["Access-Control-Allow-Origin"] = "*"
    else:
        headers["Content-Security-Policy"] = PAGE_POLICY
        headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = PERMISSIONS
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    return response


def public_caching(response: Response) -> Response:
    """Public answers may be kept by browsers, proxies and CDNs, and revalidated by ETag."""
    policy = next(
        (value for prefix, value in EMBED_CACHE_CONTROL if request.path.startswith(prefix)), None
    )
    if policy is None and is_cacheable():
        policy = SHARED_CACHE_CONTROL
    if policy is None or response.status_code not in (200, 304):
        return response
    response.headers["Cache-Control"] = policy
    if response.status_code == 200 and "ETag" not in response.headers:
        response.add_etag()
        response = response.make_conditional(request)
    return response


def init_headers(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind N proxies, the client's address and scheme come from their X-Forwarded-*
        # headers: sign-in limits count real addresses, and HTTPS is seen (HSTS, cookies).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    # After-request functions run last-registered first: here security headers, then
    # caching headers and the ETag, then compression, then the page cache stores the result.
    compress.init_app(app)
    app.after_request(public_caching)
    app.after_request(security)
