"""Static files under fingerprinted names, so browsers and CDNs may keep them for a year.

`url_for("static", filename="css/site.css")` gives `/static/css/site.1a2b3c4d5e.css`,
the digits being the start of the file's SHA-256. A new version of a file gets a new
name, so a cached copy is never stale. The plain name still works, with a short lifetime.
A stylesheet's own references (its fonts) are rewritten to their fingerprinted names when
the app starts, and its fingerprint is that of the rewritten text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, request, send_from_directory
from werkzeug.wrappers import Response

from app.http_policy import STATIC, declare

YEAR = 365 * 24 * 3600
PLAIN_SECONDS = 300
FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[^./]+)$")


CSS_URL = re.compile(r"url\((?P<quote>[\"']?)(?P<ref>[^\"')]+)(?P=quote)\)")


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()[:10]


def _named(name: str, digest: str) -> str:
    suffix = Path(name).suffix
    return f"{name.removesuffix(suffix)}.{digest}{suffix}"


def fingerprinted(folder: Path) -> tuple[dict[str, str], dict[str, bytes]]:
    """Every file's path under folder, mapped to its fingerprinted path; and the text of
    each stylesheet with its references rewritten, by fingerprinted path."""
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    names = {
        path.relative_to(folder).as_posix(): _named(
            path.relative_to(folder).as_posix(), _digest(path.read_bytes())
        )
        for path in files
        if path.suffix != ".css"
    }
    stylesheets: dict[str, bytes] = {}
    for path in (p for p in files if p.suffix == ".css"):
        name = path.relative_to(folder).as_posix()

        def rewrite(match: re.Match[str], here: Path = path.parent) -> str:
            target = (here / match["ref"]).resolve()
            if not target.is_relative_to(folder.resolve()):
                return match[0]
            hashed = names.get(target.relative_to(folder.resolve()).as_posix())
            if hashed is None:
                return match[0]
            ref = match["ref"].rsplit("/", 1)[0] + "/" + hashed.rsplit("/", 1)[-1]
            return f'url("{ref}")'

        text = CSS_URL.sub(rewrite, path.read_text(encoding="utf-8")).encode("utf-8")
        names[name] = _named(name, _digest(text))
        stylesheets[names[name]] = text
    return names, stylesheets


def serve_static(filename: str) -> Response:
    plain_names: dict[str, str] = current_app.extensions["xanh_static"]
    folder = str(current_app.static_folder)
    plain = plain_names.get(filename)
    rewritten = current_app.extensions["xanh_stylesheets"].get(filename)
    if rewritten is not None:
        response = Response(rewritten, mimetype="text/css")
        response.set_etag(FINGERPRINT.match(filename)["digest"])  # type: ignore[index]
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
        return response.make_conditional(request)
    if plain is not None:
        response = send_from_directory(folder, plain, max_age=YEAR)
        response.cache_control.immutable = True
        return response
    found = FINGERPRINT.match(filename)
    if found and not (Path(folder) / filename).is_file():
        # A name from another release (servers mid-deploy): today's file, briefly.
        filename = found["stem"] + found["suffix"]
        if filename not in plain_names.values():
            abort(404)
    return send_from_directory(folder, filename, max_age=PLAIN_SECONDS)


def init_static_files(app: Flask) -> None:
    names, stylesheets = fingerprinted(Path(str(app.static_folder)))
    app.extensions["xanh_static"] = {hashed: name for name, hashed in names.items()}
    app.extensions["xanh_stylesheets"] = stylesheets

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    app.view_functions["static"] = declare(STATIC)(serve_static)
