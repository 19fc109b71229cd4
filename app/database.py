"""Database helpers shared by the CLI and the tests."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Engine, event


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """SQLite ignores foreign keys unless asked, per connection."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:  # noqa: ANN001
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def utc_now() -> dt.datetime:
    """Now in UTC, without a zone, as every timestamp column stores it on every database."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def create_schema() -> None:
    """Create every table at once, for throw-away test databases; real ones use migrations."""
    from app import models  # noqa: F401
    from app.extensions import db

    db.create_all()


def schema_revision() -> tuple[str | None, str]:
    """The migration the database is at, and the newest one Xanh has."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app

    from app.extensions import db

    config = current_app.extensions["migrate"].migrate.get_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with db.engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    assert head is not None
    return current, head


def ensure_sqlite_folder(url: str) -> None:
    """Create the folder of a file-based SQLite database."""
    from pathlib import Path

    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
