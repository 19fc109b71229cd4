"""The headers every answer carries, and those its view's declared policy calls for:
who may frame it, who may read it cross-origin (Flask-CORS, fed from the declarations),
and how long it may be cached (app/http_policy.py)."""

from __future__ import annotations

from flask import Flask, Response, request
from flask_cors.core import get_cors_options, set_cors_headers
from werkzeug.middleware.proxy_fix import ProxyFix

from app.extensions import compress
from app.http_policy import request_policy

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


def content_security_policy(frame_ancestors: str) -> str:
    return "; ".join(f"{k} {v}" for k, v in {**POLICY, "frame-ancestors": frame_ancestors}.items())


# Built once: every response carries one of the two.
WIDGET_POLICY = content_security_policy("*")
PAGE_POLICY = content_security_policy("'none'")


def declared_headers(response: Response) -> Response:
    """Security headers, and the caching and framing the view declared. A cached answer
    already carries them."""
    if request.environ.get("xanh.cache_hit"):
        return response
    policy = request_policy()
    headers = response.headers
    if policy.embeddable:
        headers["Content-Security-Policy"] = WIDGET_POLICY
        del headers["X-Frame-Options"]
    else:
        headers["Content-Security-Policy"] = PAGE_POLICY
        headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Permissions-Policy"] = PERMISSIONS
    if request.is_secure:
        headers["Strict-Transport-Security"] = HSTS
    if policy.by_browser_language:
        response.vary.add("Accept-Language")
    if not policy.cached:
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = policy.cache_control
        return response
    if response.status_code in (200, 304):
        headers["Cache-Control"] = policy.cache_control
        if response.status_code == 200 and "ETag" not in headers:
            response.add_etag()
    return response


class CrossOrigin:
    """Cross-origin headers by Flask-CORS, on the answers whose view declares them
    (errors included, so a script can read why it failed). Always the fixed "*", never
    the caller's Origin echoed back: the page cache shares answers between callers."""

    def __init__(self, app: Flask) -> None:
        self.options = get_cors_options(
            app,
            {
                "origins": "*",
                "send_wildcard": True,
                "methods": ["GET", "HEAD", "OPTIONS"],
                "vary_header": False,
            },
        )

    def __call__(self, response: Response) -> Response:
        if request.environ.get("xanh.cache_hit") or not request_policy().cross_origin:
            return response
        return set_cors_headers(response, self.options)


def trust_proxies(app: Flask) -> None:
    proxies = app.config["TRUSTED_PROXIES"]
    if proxies:
        # Behind N proxies, the client's address and scheme come from their X-Forwarded-*
        # headers: sign-in limits count real addresses, and HTTPS is seen (HSTS, cookies).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]


def compressed(response: Response) -> Response:
    """Flask-Compress, skipped for an answer from the cache: it is kept compressed."""
    if request.environ.get("xanh.cache_hit"):
        return response
    return compress.after_request(response)
