"""Published data: its version, what each version changed, and one signal when it moves.

Every change readers will see (a content load, an editor's publish, an import)
calls `mark_published` inside its transaction: the version goes up by one and
the search documents it touched are written beside it. After the commit, the
worker that made the change sends `data_published`. Every other worker, on
this server or another, notices the new version the next time it looks (at
most once per `check_interval`, in `VersionWatch`) and sends the same signal.

Listeners: the page cache drops what it rendered from older data (widgets'
ETags and the feed are its entries), and the search index brings the changed
documents up to date in the background (app/search/updates.py).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Iterable

from blinker import Namespace
from flask import Flask, current_app, has_app_context, has_request_context
from sqlalchemy import String, event, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.extensions import Model, db

signals = Namespace()
# Sent with the app as sender, `version=` the new data version and `by_command=` (True
# when a command made the change), once per worker and version: after the worker's own
# commit, or when it next looks at the shared version.
data_published = signals.signal("data-published")

EVERYTHING = "*"  # a change whose documents are not listed: a content load, a restore
PENDING = "xanh.published_version"  # session.info: a version this transaction publishes
PLEDGES_MOVED = "xanh.pledges_moved"  # session.info: this transaction moved pledge counts
CHANGED = "xanh.changed_documents"  # session.info: the documents this transaction changed


class SiteState(Model):
    """One row: the version of the published data, and how many times pledges changed
    (pages that show pledge counts are cached per that number, the rest are not)."""

    __tablename__ = "site_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(default=0)
    pledges: Mapped[int] = mapped_column(default=0, server_default="0")
    # The data version and day the indicators' stored statuses were computed for.
    statuses_version: Mapped[int | None]
    statuses_on: Mapped[dt.date | None]


class PublishedChange(Model):
    """A search document (`indicator:<slug>`, or `*` for all) that a version changed."""

    __tablename__ = "published_change"
    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(index=True)
    document: Mapped[str] = mapped_column(String(200))


def mark_published(documents: Iterable[str] | None = None) -> int:
    """Record, inside the caller's transaction, that published data changed.

    `documents` are the search documents the change touched; None means any of them.
    Returns the new version.
    """
    state = db.session.get(SiteState, 1)
    if state is None:
        state = SiteState(id=1, version=0)
        db.session.add(state)
    state.version += 1
    listed = sorted(set(documents)) if documents is not None else [EVERYTHING]
    for document in listed:
        db.session.add(PublishedChange(version=state.version, document=document))
    db.session.info[PENDING] = state.version
    db.session.info.setdefault(CHANGED, set()).update(listed)
    return state.version


def changed_in_transaction(session: Session) -> set[str] | None:
    """The documents the session's transaction marked published (EVERYTHING among them
    when it did not list them); None when it published nothing."""
    return session.info.get(CHANGED)


def stored_data_version() -> int | None:
    """The version of the published data, as the database holds it (None before a load)."""
    return db.session.scalar(select(SiteState.version).where(SiteState.id == 1))


def stored_state() -> tuple[int, int] | None:
    """The data version and the pledge counter, in one read (None before a load)."""
    row = db.session.execute(
        select(SiteState.version, SiteState.pledges).where(SiteState.id == 1)
    ).first()
    return (row[0], row[1]) if row else None


def mark_pledges_changed() -> None:
    """Inside the caller's transaction: pledge counts changed. Only the pages that show
    them are rendered anew; the data version, and so every other page, stays."""
    db.session.execute(
        update(SiteState).where(SiteState.id == 1).values(pledges=SiteState.pledges + 1)
    )
    db.session.info[PLEDGES_MOVED] = True


def changes_since(version: int | None) -> set[str] | None:
    """The documents changed after `version`; None when that cannot be told (so: all)."""
    if version is None:
        return None
    rows = db.session.execute(
        select(PublishedChange.version, PublishedChange.document).where(
            PublishedChange.version > version
        )
    ).all()
    documents = {document for _, document in rows}
    newest = stored_data_version() or 0
    # Every version in between must have left its rows (versions from before this
    # table existed did not): otherwise some change is unaccounted for.
    if EVERYTHING in documents or {v for v, _ in rows} != set(range(version + 1, newest + 1)):
        return None
    return documents


@event.listens_for(Session, "after_commit")
def _announce(session: Session) -> None:
    version = session.info.pop(PENDING, None)
    moved = session.info.pop(PLEDGES_MOVED, False)
    session.info.pop(CHANGED, None)
    if (version is None and not moved) or not has_app_context():
        return
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    watch = app.extensions.get("xanh_version_watch")
    if watch is None:
        return
    if moved:  # this worker's next request reads the counter afresh, not a second later
        watch.look_again()
    if version is not None:
        # A command (content load, restore, import) brings the index up to date
        # itself before it returns; a request leaves that to the background.
        watch.saw(version, by_command=not has_request_context())


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(PENDING, None)
    session.info.pop(PLEDGES_MOVED, None)
    session.info.pop(CHANGED, None)


class VersionWatch:
    """This worker's view of the data version, read from the database at most once
    per `check_interval`; sends `data_published` whenever it moves."""

    def __init__(self, app: Flask, check_interval: float) -> None:
        self.app = app
        self.check_interval = check_interval
        self.version: int | None = None
        self.pledges = 0  # the pledge counter as last read (see SiteState)
        self.checked_at = 0.0  # when the database last answered
        self.failed = False  # the last look at the database failed
        self.failed_at = 0.0
        self._lock = threading.Lock()

    def current(self) -> int | None:
        """The data version, or None when the database cannot tell it right now."""
        now = time.monotonic()
        fresh = now - self.checked_at < self.check_interval
        if self.version is not None and not self.failed and fresh:
            return self.version
        if self.failed and now - self.failed_at < self.check_interval:
            return None  # the database just failed to answer: do not ask it at every request
        try:
            state = self._read()
        except SQLAlchemyError:
            self.failed, self.failed_at = True, now
            return None
        self.failed = False
        self.checked_at = now
        if state is None:
            return None
        version, self.pledges = state
        self.saw(version)
        return version

    def _read(self) -> tuple[int, int] | None:
        """The stored state, in an app context of its own when called outside one (by
        the cache front, which answers before Flask makes one)."""
        if has_app_context():
            try:
                return stored_state()
            except SQLAlchemyError:
                db.session.rollback()
                raise
        with self.app.app_context():
            try:
                return stored_state()
            finally:
                db.session.remove()

    def saw(self, version: int, by_command: bool = False) -> None:
        """Take a version this worker learned of; announce it when it is new."""
        with self._lock:
            if self.version is not None and version <= self.version:
                return
            self.version = version
        data_published.send(self.app, version=version, by_command=by_command)

    def look_again(self) -> None:
        """This worker changed the state itself: read it afresh at the next request."""
        self.checked_at = 0.0

    def last_known(self) -> int | None:
        """The version this worker last read, even if the database is down now."""
        return self.version

    def seconds_since_answer(self) -> float:
        return time.monotonic() - self.checked_at


def notice_new_data() -> None:
    """Before each request: look at the data version (at most once per interval), so a
    server whose every answer comes from the cache still learns of new data."""
    version_watch().current()


def version_watch() -> VersionWatch:
    return current_app.extensions["xanh_version_watch"]


def init_publishing(app: Flask) -> None:
    app.extensions["xanh_version_watch"] = VersionWatch(
        app, check_interval=0.0 if app.testing else 1.0
    )
