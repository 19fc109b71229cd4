"""`/health`: whether this server can answer, for load balancers and monitoring."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, jsonify
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response

from app.extensions import db
from app.http_policy import PRIVATE, declare
from app.ops.workers import worker_restarts
from app.publishing import stored_data_version
from app.search.documents import index_root, search_index
from app.search.engine import built_from

bp = Blueprint("ops", __name__)


def database_check() -> dict[str, Any]:
    try:
        version = stored_data_version()
    except SQLAlchemyError as error:
        db.session.rollback()
        return {"ok": False, "error": type(error).__name__}
    return {"ok": version is not None, "data_version": version}


def index_check() -> dict[str, Any]:
    try:
        documents = search_index().document_count()
    except Exception as error:  # noqa: BLE001  (any failure to open the index is "not ok")
        return {"ok": False, "error": type(error).__name__}
    answer: dict[str, Any] = {
        "ok": documents > 0,
        "documents": documents,
        # Behind the database's data version for a moment after a change elsewhere.
        "data_version": built_from(index_root()),
    }
    failure = current_app.extensions["xanh_index_updates"].failure()
    if failure is not None:  # new data cannot reach this server's search
        answer.update(ok=False, update_failing=failure)
    return answer


@bp.get("/health")
@declare(PRIVATE)
def health() -> Response:
    """200 when the database holds loaded data and the search index opens; 503 otherwise."""
    checks = {"database": database_check(), "search_index": index_check()}
    healthy = all(check["ok"] for check in checks.values())
    answer: dict[str, Any] = {"status": "ok" if healthy else "unavailable", "checks": checks}
    # Under gunicorn: workers that ended while the server ran (a crash, a timeout).
    restarts = worker_restarts()
    if restarts is not None:
        answer["worker_restarts"] = restarts
    response = jsonify(answer)
    response.status_code = 200 if healthy else 503
    return response
