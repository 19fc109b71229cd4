"""One JSON line per request on standard error, for log collectors to read as data."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import logging
import re
import sys
import time
import uuid

from flask import Flask, Response, g, request

logger = logging.getLogger("xanh.requests")
# A proxy's request id is kept when it looks like one, so a request can be followed
# from the proxy's log to this one; anything else is replaced.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id(offered: str) -> str:
    return offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


# The links in alert emails carry the subscriber's token, and an officer's invitation or
# reset link its secret: whoever reads the logs must not be able to use them.
SECRET_IN_PATH = re.compile(
    r"^(/(?:[a-z]{2}/)?alerts/(?:unsubscribe/)?(?!follow$)|/[a-z]{2}/follow/"
    r"|/admin/[a-z]{2}/(?:welcome|reset)/)[^/]+$"
)


def loggable(path: str) -> str:
    return SECRET_IN_PATH.sub(r"\1…", path)


def network_of(addr: str | None) -> str | None:
    """The reader's network, not the reader: an IPv4 address cut to /24, an IPv6 one to
    /48. Enough to see a burst from one place; too little to tell one person."""
    if not addr:
        return None
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return None
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def start_timer() -> None:
    g.started = time.perf_counter()
    g.request_id = request_id(request.headers.get("X-Request-ID", ""))


def write_line(
    rid: str,
    method: str,
    path: str,
    status: int,
    size: int | None,
    started: float,
    addr: str | None,
    cache: str | None,
) -> None:
    """The one JSON line of a request (also written for answers the cache front gives)."""
    record = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "request_id": rid,
        "method": method,
        "path": loggable(path),
        "status": status,
        "bytes": size,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "network": network_of(addr),
        "cache": cache,
    }
    logger.info(json.dumps(record, ensure_ascii=False))


def log_request(response: Response) -> Response:
    started = g.get("started")
    if started is None:  # the request failed before it began
        return response
    response.headers["X-Request-ID"] = g.request_id
    cache = "hit" if request.environ.get("xanh.cache_hit") else None
    write_line(
        g.request_id,
        request.method,
        request.path,
        response.status_code,
        response.content_length,
        started,
        request.remote_addr,
        cache,
    )
    return response


def init_request_log(app: Flask) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.WARNING if app.testing else logging.INFO)
