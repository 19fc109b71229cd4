"""A per-worker cache of rendered public pages and API answers.

Pages change only when data changes (a content load, later an editor's
publish), and those bump `site_state.version`. Each worker reads that number
at most once per `check_interval` seconds, so every worker serves new data
within that time, and keys its cache on it. Status and deadlines also depend
on the date, which is part of the key.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import Flask, Response, request
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.urls import cache_scope


class SiteState(db.Model):
    """One row: the version of the published data."""

    __tablename__ = "site_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)


def bump_data_version() -> None:
    """Mark the published data as changed (inside the caller's transaction)."""
    state = db.session.get(SiteState, 1)
    if state is None:
        db.session.add(SiteState(id=1, version=1))
    else:
        state.version += 1


def stored_data_version() -> int | None:
    """The version of the published data, as the database holds it (None before a load)."""
    return db.session.scalar(select(SiteState.version).where(SiteState.id == 1))


KEPT_HEADERS = ("Access-Control-Allow-Origin", "Vary", "ETag", "Content-Encoding")


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    mimetype: str
    headers: tuple[tuple[str, str], ...]


# The answers that read the search index; their cache key holds the index build.
SEARCH_ENDPOINTS = frozenset({"api.search", "site.search.page"})


class PageCache:
    def __init__(self, max_entries: int = 4000, check_interval: float = 1.0) -> None:
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.max_entries = max_entries
        self.check_interval = check_interval
        self._version: int | None = None
        self._checked_at = 0.0
        self._lock = threading.Lock()  # a worker's threads share the entries

    def data_version(self) -> int | None:
        now = time.monotonic()
        if self._version is None or now - self._checked_at >= self.check_interval:
            try:
                version = stored_data_version()
            except SQLAlchemyError:
                db.session.rollback()
                return None  # no usable database: do not cache, let the view answer
            with self._lock:
                if version != self._version:
                    self.entries.clear()
                self._version, self._checked_at = version, now
        return self._version

    def key(self) -> tuple | None:
        version = self.data_version()
        if version is None:
            return None
        return (
            version,
            dt.date.today(),
            cache_scope(),
            request.path,
            request.query_string,
            request.headers.get("Accept-Language", "") if request.path.startswith("/api/") else "",
            # Entries are kept compressed, one per encoding a client accepts.
            request.headers.get("Accept-Encoding", "")[:100],
            # Search answers also depend on which index build is current: after a change
            # made on another server, this one's index catches up a moment later.
            index_build() if request.endpoint in SEARCH_ENDPOINTS else None,
        )

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, response: Response) -> None:
        response.add_etag()
        entry = Entry(
            response.get_data(),
            response.status_code,
            response.mimetype,
            tuple((k, v) for k, v in response.headers.items() if k in KEPT_HEADERS),
        )
        with self._lock:
            if key[0] != self._version:
                return  # rendered from data that has changed since
            self.entries[key] = entry
            while len(self.entries) > self.max_entries:
                self.entries.popitem(last=False)


def index_build() -> str | None:
    from app.search.documents import index_root

    try:
        return os.readlink(index_root() / "current")
    except OSError:
        return None


def is_cacheable() -> bool:
    endpoint = request.endpoint or ""
    return request.method in ("GET", "HEAD") and endpoint.startswith(
        ("site.", "api.", "embed.", "embed_host.oembed", "sitemap.")
    )


def init_page_cache(app: Flask) -> None:
    if not app.config["PAGE_CACHE"]:
        return
    cache = PageCache(check_interval=0.0 if app.testing else 1.0)
    app.extensions["xanh_page_cache"] = cache

    @app.before_request
    def serve_from_cache() -> Response | None:
        if not is_cacheable():
            return None
        key = cache.key()
        entry = cache.get(key) if key else None
        if entry is None:
            request.environ["xanh.cache_key"] = key
            return None
        request.environ["xanh.cache_hit"] = True
        response = Response(
            entry.body, entry.status, mimetype=entry.mimetype, headers=list(entry.headers)
        )
        return conditional(response)

    @app.after_request
    def store_in_cache(response: Response) -> Response:
        key = request.environ.pop("xanh.cache_key", None)
        if key is not None and response.status_code == 200 and not response.direct_passthrough:
            cache.put(key, response)
            return conditional(response)
        return response


def conditional(response: Response) -> Response:
    """Answer 304 when the browser already holds this version."""
    return response.make_conditional(request)
