"""Static files under fingerprinted names, so browsers and CDNs may keep them for a year.

`url_for("static", filename="css/site.css")` gives `/static/css/site.1a2b3c4d5e.css`,
the digits being the start of the file's SHA-256. A new version of a file gets a new
name, so a cached copy is never stale. The plain name still works, with a short lifetime.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from flask import Flask, abort, current_app, send_from_directory
from werkzeug.wrappers import Response

from app.http_policy import STATIC, declare

YEAR = 365 * 24 * 3600
PLAIN_SECONDS = 300
FINGERPRINT = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<suffix>\.[^./]+)$")


def fingerprinted(folder: Path) -> dict[str, str]:
    """Every file's path under folder, mapped to its fingerprinted path."""
    names = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        names[name] = f"{name.removesuffix(path.suffix)}.{digest}{path.suffix}"
    return names


def serve_static(filename: str) -> Response:
    plain_names: dict[str, str] = current_app.extensions["xanh_static"]
    folder = str(current_app.static_folder)
    plain = plain_names.get(filename)
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
    names = fingerprinted(Path(str(app.static_folder)))
    app.extensions["xanh_static"] = {hashed: name for name, hashed in names.items()}

    @app.url_defaults
    def add_fingerprint(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and values.get("filename") in names:
            values["filename"] = names[values["filename"]]

    app.view_functions["static"] = declare(STATIC)(serve_static)
