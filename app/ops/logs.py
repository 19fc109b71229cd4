"""One JSON line per request on standard error, for log collectors to read as data."""

from __future__ import annotations

import datetime as dt
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


def start_timer() -> None:
    g.started = time.perf_counter()
    offered = request.headers.get("X-Request-ID", "")
    g.request_id = offered if REQUEST_ID.match(offered) else uuid.uuid4().hex


def log_request(response: Response) -> Response:
    started = g.get("started")
    if started is None:  # the request failed before it began
        return response
    response.headers["X-Request-ID"] = g.request_id
    record = {
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"),
        "request_id": g.request_id,
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "bytes": response.content_length,
        "ms": round((time.perf_counter() - started) * 1000, 1),
        "addr": request.remote_addr,
        "cache": "hit" if request.environ.get("xanh.cache_hit") else None,
    }
    logger.info(json.dumps(record, ensure_ascii=False))
    return response


def init_request_log(app: Flask) -> None:
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    logger.setLevel(logging.WARNING if app.testing else logging.INFO)
