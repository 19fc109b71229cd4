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

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from flask import Flask, Response, current_app, request
from flask_compress.flask_compress import _choose_algorithm
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.http import HTTP_STATUS_CODES, is_resource_modified, unquote_etag
from werkzeug.wrappers import Request

from app.extensions import compress, db
from app.http_policy import HttpPolicy, policy_of, request_policy
from app.i18n import language_accepted
from app.ops.logs import request_id, write_line
from app.publishing import changes_since, data_published, version_watch
from app.queries import today
from app.scopes import touched_by

# Headers that belong to one request and never to a stored answer.
PER_REQUEST_HEADERS = frozenset({"set-cookie", "x-request-id", "content-length", "date"})
# While the database does not answer, readers get what was cached this long after its
# last answer: long enough to ride out a restart or failover, short enough that nobody
# reads old figures for long without the site saying it is down.
STALE_SECONDS = 300
# How long a request waits for another thread of its worker that is rendering the same
# answer: the usual render is milliseconds; past this the waiter renders it itself.
FLIGHT_SECONDS = 10
HIT = "xanh; hit"
STALE = 'xanh; hit; detail="database unavailable, answer from before"'


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    headers: tuple[tuple[str, str], ...]
    about: str | None = None  # the item (`kind:slug`) whose data alone it shows

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
        self._flights: dict[tuple, threading.Event] = {}  # answers being rendered now
        self.version: int | None = None  # the data version the entries are of

    def lead(self, key: tuple, wait: float = FLIGHT_SECONDS) -> bool:
        """Whether this request is to render a missing answer. When another thread of the
        worker is already rendering it, wait until it lands (then look again) and say no:
        concurrent misses of one page render it once."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is None:
                self._flights[key] = threading.Event()
                return True
        flight.wait(wait)
        return False

    def landed(self, key: tuple) -> None:
        """The leader's answer is stored, or will not be: wake whoever waits for it."""
        with self._lock:
            flight = self._flights.pop(key, None)
        if flight is not None:
            flight.set()

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

    def keep_only(self, version: int, touched: set[str] | None = None) -> None:
        """Move to data `version`: an entry about one item the change did not touch is
        kept as it is (its data did not change); every other entry is dropped.
        `touched` None: the change may have touched anything."""
        with self._lock:
            kept: OrderedDict[tuple, Entry] = OrderedDict()
            for key, entry in self.entries.items():
                if key[0] == version:
                    kept[key] = entry
                elif touched is not None and entry.about is not None and entry.about not in touched:
                    kept[(version, *key[1:])] = entry
                else:
                    self.bytes -= entry.size
            self.entries = kept
            self.version = version


def index_build(root: Path) -> str | None:
    """Which index this server's search answers come from: its build and data version."""
    try:
        build = os.readlink(root / "current")
        version = (root / "current" / "data_version").read_text(encoding="utf-8")
    except OSError:
        return None
    return f"{build}@{version}"


def cache_key(
    version: int, pledges: int, policy: HttpPolicy, asked: Request, config: Mapping[str, Any]
) -> tuple:
    """What an answer depends on, read from the request the same way whether Flask is
    handling it or the cache front (`asked` is Flask's request, or Werkzeug's there)."""
    args = asked.args
    return (
        version,
        pledges if policy.shows_pledges else None,
        today(),  # the date every status and deadline on the page follows
        asked.scheme,  # HSTS and, in development, absolute URLs follow it
        "" if config["PUBLIC_URL"] else asked.host,
        asked.path,
        tuple((name, args[name]) for name in policy.params if name in args),
        (
            language_accepted(asked.headers.get("Accept-Language", ""))
            if policy.by_browser_language
            else None
        ),
        # Entries are kept compressed, one per encoding a reader can get.
        _choose_algorithm(
            compress.enabled_algorithms, asked.headers.get("Accept-Encoding", "")[:200]
        ),
        index_build(Path(config["SEARCH_INDEX_DIR"])) if policy.reads_index else None,
    )


def repeated(asked: Request, policy: HttpPolicy) -> bool:
    return any(len(asked.args.getlist(name)) > 1 for name in policy.params)


def page_cache() -> PageCache | None:
    return current_app.extensions.get("xanh_page_cache")


def serve_from_cache() -> Response | None:
    """Before the view: answer from the cache when this answer is there."""
    cache = page_cache()
    policy = request_policy()
    if cache is None or not policy.cached or request.method not in ("GET", "HEAD"):
        return None
    if request.environ.get("xanh.repeated"):  # noted before the view's args were cut
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
    key = cache_key(version, watch.pledges, policy, request, current_app.config)
    entry = cache.get(key)
    if entry is None and not stale:
        if cache.lead(key):
            request.environ["xanh.flight"] = key  # landed at teardown, whatever happens
        else:
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
    policy = request_policy()
    slug = (request.view_args or {}).get("slug") or request.endpoint  # a page of its own
    about = f"{policy.about}:{slug}" if policy.about else None
    cache.put(key, Entry(response.get_data(), response.status_code, headers, about))
    return cast(Response, response.make_conditional(request))


def touched_since(app: Flask, version: int | None) -> set[str] | None:
    """The items whose pages the changes after `version` touched (None: any, or unknown)."""
    if version is None:
        return None
    with app.app_context():
        try:
            return touched_by(changes_since(version))
        except SQLAlchemyError:
            return None
        finally:
            db.session.remove()


def init_page_cache(app: Flask) -> None:
    if not app.config["PAGE_CACHE"]:
        return
    cache = PageCache(max_bytes=app.config["PAGE_CACHE_BYTES"])
    app.extensions["xanh_page_cache"] = cache

    def drop_changed(sender: Flask, version: int, **_: object) -> None:
        cache.keep_only(version, touched_since(app, cache.version))

    data_published.connect(drop_changed, sender=app, weak=False)

    @app.teardown_request
    def land(_error: BaseException | None) -> None:
        key = request.environ.pop("xanh.flight", None)
        if key is not None:
            cache.landed(key)


class CacheFront:
    """Answers cache hits in front of Flask: a hit then costs a URL look-up, a key and a
    log line, not a request context and a dozen hooks. Anything else (a miss, a form, a
    host the site does not answer to, the database down) goes on to Flask, which also
    fills the cache. The key is the one Flask's path computes (`cache_key`), read from
    Werkzeug's request object built on the same environ, so both find the same entries.
    """

    def __init__(self, app: Flask, inner: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.inner = inner
        self.policies: dict[str, HttpPolicy | None] = {}

    def policy(self, asked: Request) -> HttpPolicy | None:
        """The declared policy of the view a path leads to (remembered per path)."""
        path = asked.path
        if path not in self.policies:
            if len(self.policies) > 4096:  # junk paths must not grow it for ever
                self.policies.clear()
            try:
                endpoint, _ = self.app.url_map.bind_to_environ(asked.environ).match()
            except HTTPException:  # a 404, a redirect, a 405: Flask answers those
                endpoint = None
            self.policies[path] = policy_of(str(endpoint), self.app) if endpoint else None
        return self.policies[path]

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        started = time.perf_counter()
        cache = self.app.extensions.get("xanh_page_cache")
        if cache is None or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.inner(environ, start_response)
        asked = Request(environ)
        asked.trusted_hosts = self.app.config["TRUSTED_HOSTS"]
        try:
            asked.host  # noqa: B018 (reading it checks it against the trusted hosts)
        except SecurityError:
            return self.inner(environ, start_response)
        policy = self.policy(asked)
        watch = self.app.extensions["xanh_version_watch"]
        if policy is None or not policy.cached or repeated(asked, policy):
            return self.inner(environ, start_response)
        version = watch.current()
        if version is None:
            return self.inner(environ, start_response)
        entry = cache.get(cache_key(version, watch.pledges, policy, asked, self.app.config))
        if entry is None:
            return self.inner(environ, start_response)
        rid = request_id(environ.get("HTTP_X_REQUEST_ID", ""))
        headers = [*entry.headers, ("Cache-Status", HIT), ("X-Request-ID", rid)]
        etag = next((v for k, v in entry.headers if k == "ETag"), None)
        body = entry.body
        status = entry.status
        if etag and not is_resource_modified(environ, etag=unquote_etag(etag)[0]):
            status, body = 304, b""
            headers = [(k, v) for k, v in headers if k != "Content-Encoding"]
        else:
            headers.append(("Content-Length", str(len(body))))
        start_response(f"{status} {HTTP_STATUS_CODES[status]}", headers)
        write_line(
            rid, asked.method, asked.path, status, len(body), started, asked.remote_addr, "hit"
        )
        return [] if asked.method == "HEAD" else [body]
