"""A per-worker cache of rendered public answers, bounded by bytes.

An answer is stored when its view declares a shared lifetime (app/http_policy.py),
keyed on what it depends on and nothing else: the data version, the date (status
and deadlines follow it), the site's address, the path, the declared query
parameters, the reader's language where it follows the browser, the encoding and,
for answers that read the search index, the index build. A query string full of
junk, a made-up header or a new Host cannot make a new entry or change an entry
other readers get.

Entries hold the answer with its final headers, so a hit costs a dictionary look-up,
the logging and nothing else. When the database cannot be read, what was cached
from the last version seen is served for a while, marked stale (see `STALE_SECONDS`).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import cast

from flask import Flask, Response, current_app, request
from flask_compress.flask_compress import _choose_algorithm

from app.extensions import compress
from app.http_policy import HttpPolicy, declared_params, request_policy
from app.i18n import browser_language
from app.publishing import data_published, version_watch
from app.urls import cache_scope

# Headers that belong to one request and never to a stored answer.
PER_REQUEST_HEADERS = frozenset({"set-cookie", "x-request-id", "content-length", "date"})
# While the database does not answer, readers get what was cached this long after its
# last answer: long enough to ride out a restart or failover, short enough that nobody
# reads old figures for long without the site saying it is down.
STALE_SECONDS = 300
HIT = "xanh; hit"
STALE = 'xanh; hit; detail="database unavailable, answer from before"'


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]

    @property
    def size(self) -> int:
        # The body, its headers and about 600 bytes of key, tuple and dictionary slot.
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 600


class PageCache:
    def __init__(self, max_bytes: int) -> None:
        self.entries: OrderedDict[tuple, Entry] = OrderedDict()
        self.max_bytes = max_bytes
        self.bytes = 0
        self._lock = threading.Lock()  # a worker's threads share the entries

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if entry.size > self.max_bytes // 8:
            return  # one huge answer must not push out everything else
        with self._lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.bytes -= old.size
            self.entries[key] = entry
            self.bytes += entry.size
            while self.bytes > self.max_bytes:
                _, dropped = self.entries.popitem(last=False)
                self.bytes -= dropped.size

    def keep_only(self, version: int) -> None:
        """Drop what was rendered from any other data version."""
        with self._lock:
            for key in [k for k in self.entries if k[0] != version]:
                self.bytes -= self.entries.pop(key).size


def index_build() -> str | None:
    """Which index this server's search answers come from: its build and data version."""
    from app.search.documents import index_root

    root = index_root()
    try:
        build = os.readlink(root / "current")
        version = (root / "current" / "data_version").read_text(encoding="utf-8")
    except OSError:
        return None
    return f"{build}@{version}"


def encoding() -> str | None:
    """The compression this reader gets: entries are kept compressed, one per encoding."""
    algorithms = compress.enabled_algorithms
    return _choose_algorithm(algorithms, request.headers.get("Accept-Encoding", "")[:200])


def cache_key(version: int, policy: HttpPolicy) -> tuple:
    return (
        version,
        dt.date.today(),
        cache_scope(),
        request.path,
        declared_params(),
        browser_language() if policy.by_browser_language else None,
        encoding(),
        index_build() if policy.reads_index else None,
    )


def page_cache() -> PageCache | None:
    return current_app.extensions.get("xanh_page_cache")


def serve_from_cache() -> Response | None:
    """Before the view: answer from the cache when this answer is there."""
    cache = page_cache()
    policy = request_policy()
    if cache is None or not policy.cached or request.method not in ("GET", "HEAD"):
        return None
    if request.environ.get("xanh.repeated"):
        return None  # a parameter given twice: the view says what it makes of that
    watch = version_watch()
    version = watch.current()
    stale = version is None and watch.failed
    if stale:
        version = watch.last_known()
        if version is None or watch.seconds_since_answer() > STALE_SECONDS:
            return None  # the view will fail to read the database: a 503 page
    if version is None:
        return None  # nothing loaded yet
    key = cache_key(version, policy)
    entry = cache.get(key)
    if entry is None:
        if not stale:
            request.environ["xanh.cache_key"] = key
        return None
    request.environ["xanh.cache_hit"] = True
    response = Response(entry.body, entry.status, headers=list(entry.headers))
    if stale:
        # Nobody downstream may keep an answer the site cannot vouch for now.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Cache-Status"] = STALE
        return response
    response.headers["Cache-Status"] = HIT
    return cast(Response, response.make_conditional(request))


def store_in_cache(response: Response) -> Response:
    """After the view and the headers: keep a 200 answer for the next reader."""
    key = request.environ.pop("xanh.cache_key", None)
    cache = page_cache()
    if (
        key is None
        or cache is None
        or response.status_code != 200
        or response.direct_passthrough
        or version_watch().last_known() != key[0]  # rendered from data changed since
    ):
        return response
    headers = tuple(
        (k, v) for k, v in response.headers.items() if k.lower() not in PER_REQUEST_HEADERS
    )
    cache.put(key, Entry(response.get_data(), response.status_code, headers))
    return cast(Response, response.make_conditional(request))


def init_page_cache(app: Flask) -> None:
    if not app.config["PAGE_CACHE"]:
        return
    cache = PageCache(max_bytes=app.config["PAGE_CACHE_BYTES"])
    app.extensions["xanh_page_cache"] = cache

    def drop_older(sender: Flask, version: int, **_: object) -> None:
        cache.keep_only(version)

    data_published.connect(drop_older, sender=app, weak=False)
