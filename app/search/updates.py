"""Each server keeps its own search index and brings it up to date in the background.

When a worker learns of new data (`data_published`: its own commit, or a look at the
shared version), it wakes this updater, which adds the changed documents to the
index in a thread of its own; never inside a reader's or an editor's request. The
index's file lock keeps one writer per server; the others find nothing left to do.

When the index cannot be written (a full disk, a read-only folder), the updater says
so once in the log, tries again after 1, 2, 4 … up to 300 seconds, and /health
reports the index as failing until a try succeeds.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from app.publishing import data_published

log = logging.getLogger(__name__)
LONGEST_WAIT = 300.0


class IndexUpdates:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.failing_since: float | None = None
        self.last_error: str | None = None
        self._wake = threading.Event()
        self._idle = threading.Event()
        self._idle.set()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def schedule(self, sender: Flask, by_command: bool = False, **_: object) -> None:
        if by_command:  # the command brings the index up to date itself
            return
        with self._lock:
            self._idle.clear()
            self._wake.set()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(
                    target=self._run, name="search-index-updates", daemon=True
                )
                self._thread.start()

    def _run(self) -> None:
        wait = 1.0
        while True:
            self._wake.clear()
            if self._update_once():
                wait = 1.0
                with self._lock:
                    if not self._wake.is_set():
                        self._idle.set()
                        self._thread = None
                        return
            else:
                self._wake.wait(wait)  # a new change tries again at once
                wait = min(wait * 2, LONGEST_WAIT)

    def _update_once(self) -> bool:
        from app.extensions import db
        from app.search.documents import bring_index_up_to_date

        with self.app.app_context():
            try:
                done = bring_index_up_to_date()
            except Exception as error:  # noqa: BLE001  (any failure: report, retry later)
                db.session.rollback()
                if self.failing_since is None:
                    log.exception("The search index could not be brought up to date")
                    self.failing_since = time.monotonic()
                self.last_error = f"{type(error).__name__}: {error}"[:300]
                return False
            finally:
                db.session.remove()
        if self.failing_since is not None:
            log.warning("The search index is up to date again (%s)", done)
        self.failing_since, self.last_error = None, None
        return True

    def wait(self, timeout: float = 30.0) -> bool:
        """Block until no update is pending (for tests and the CLI); True if so."""
        return self._idle.wait(timeout)

    def failure(self) -> dict[str, object] | None:
        if self.failing_since is None:
            return None
        return {
            "error": self.last_error,
            "failing_for_seconds": round(time.monotonic() - self.failing_since),
        }


def init_index_updates(app: Flask) -> None:
    updates = IndexUpdates(app)
    app.extensions["xanh_index_updates"] = updates
    data_published.connect(updates.schedule, sender=app, weak=False)
