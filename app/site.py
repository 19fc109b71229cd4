"""The `/<lang>/` blueprint that every HTML page lives under.

Flask's URL-processor pattern: the language is taken out of the URL once, put
on `g`, and added back by `url_for`, so views and templates never pass it.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, abort, g, request, url_for

from app.i18n import LANGUAGES


def build_site(*features: Blueprint) -> Blueprint:
    """Return the `/<lang>` blueprint with every feature's pages nested in it.

    Built anew for each app, because a blueprint cannot take new children
    once an app has registered it.
    """
    site = Blueprint("site", __name__, url_prefix="/<lang>")
    site.url_value_preprocessor(take_language)
    site.url_defaults(add_language)
    for feature in features:
        site.register_blueprint(feature)
    return site


def take_language(endpoint: str | None, values: dict[str, Any] | None) -> None:
    lang = (values or {}).pop("lang", None)
    if lang not in LANGUAGES:
        abort(404)
    g.lang = lang


def add_language(endpoint: str, values: dict[str, Any]) -> None:
    if "lang" not in values and g.get("lang"):
        values["lang"] = g.lang


def same_page_in(lang: str) -> str | None:
    """Return this page's URL in another language, keeping the query string."""
    if (
        request.url_rule is None
        or request.endpoint is None
        or not request.endpoint.startswith(("site.", "admin."))
    ):
        return None
    args = {**(request.view_args or {}), "lang": lang}
    url = url_for(request.endpoint, **args)
    # The parameters the view read: a public page's are cut to those it declared, so a
    # junk parameter never lands in a link other readers get from the cache.
    query = urlencode(list(request.args.items(multi=True)))
    return f"{url}?{query}" if query else url
