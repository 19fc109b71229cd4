"""Database helpers shared by the CLI and the tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, create_engine, event, inspect

if TYPE_CHECKING:
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory


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


FIRST_REVISION = "0001"


class UnversionedDatabaseError(Exception):
    """A database with some of Xanh's tables and no migration record."""


def column_names(connection: Connection, tables: Iterable[str]) -> dict[str, set[str]]:
    found = inspect(connection)
    return {t: {c["name"] for c in found.get_columns(t)} for t in tables}


def first_revision_columns(script: ScriptDirectory) -> dict[str, set[str]]:
    """The tables and columns the first migration makes, read by running it on a scratch
    in-memory database (names only, so it holds for SQLite and PostgreSQL alike)."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    upgrade = script.get_revision(FIRST_REVISION).module.upgrade
    with create_engine("sqlite://").connect() as scratch:
        with Operations.context(MigrationContext.configure(scratch)):
            upgrade()
        return column_names(scratch, inspect(scratch).get_table_names())


def adopt_database_made_before_migrations(
    migration: MigrationContext, script: ScriptDirectory, metadata_tables: set[str]
) -> bool:
    """Mark a database that an older Xanh made without migrations as being at the first one.

    Before migrations (issue 6), `make serve` created the tables directly, and such a
    database has no Alembic version table, so `db upgrade` would try to create them again.
    When its tables are exactly those of the first migration, it is stamped at that
    revision and the upgrade goes on from there, keeping every row. Any other set of
    Xanh's tables without a version is refused: guessing could lose data.
    """
    connection = migration.connection
    assert connection is not None
    tables = set(inspect(connection).get_table_names())
    # An empty version table is left behind by an earlier upgrade that failed on SQLite.
    if migration.get_current_heads() or not tables & metadata_tables:
        return False  # migrated already, or a new database (perhaps shared with others)
    first = first_revision_columns(script)
    # Tables a later migration dropped are still Xanh's in such a database.
    ours = tables & (metadata_tables | set(first))
    if column_names(connection, ours) != first:
        raise UnversionedDatabaseError(
            "This database holds some of Xanh's tables but no record of its migrations, "
            "and they are not those of the first migration, so `db upgrade` cannot tell "
            "where to start. Back it up (`flask backup create` needs a current schema, so "
            "use the database's own tools), then upgrade an empty database and load it."
        )
    migration.stamp(script, FIRST_REVISION)
    return True
