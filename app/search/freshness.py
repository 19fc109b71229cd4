"""Each server keeps its own search index; when the data changes, it rebuilds its own.

A value published through one server bumps the data version in the shared
database. Every worker of every server looks at that version at most once per
CHECK_SECONDS; the first to see that its server's index was built from an older
version rebuilds it in a background thread (the index's file lock keeps it to
one writer), and readers switch to the new build when it is complete.
"""

from __future__ import annotations

import threading
import time

from flask import Flask, current_app
from sqlalchemy.exc import SQLAlchemyError

from app.cache import stored_data_version
from app.extensions import db
from app.search.documents import index_root, rebuild_index
from app.search.engine import built_from

CHECK_SECONDS = 1.0


class IndexFreshness:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._checked_at = 0.0
        self._rebuilding = threading.Lock()

    def check(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < CHECK_SECONDS:
            return
        self._checked_at = now
        if self._data_version() in (None, built_from(index_root())):
            return
        if self._rebuilding.acquire(blocking=False):
            threading.Thread(target=self._rebuild, daemon=True).start()

    def _data_version(self) -> int | None:
        try:
            return stored_data_version()
        except SQLAlchemyError:
            db.session.rollback()
            return None

    def _rebuild(self) -> None:
        try:
            with self.app.app_context():
                # Another worker of this server may have rebuilt it meanwhile.
                if self._data_version() != built_from(index_root()):
                    rebuild_index()
                    current_app.logger.info("search index rebuilt for a data change")
        finally:
            self._rebuilding.release()


def init_index_freshness(app: Flask) -> None:
    if app.testing:
        return  # tests rebuild the index themselves, when they mean to
    freshness = IndexFreshness(app)
    app.before_request(freshness.check)
