"""Alembic environment: migrate the database of the Flask app that runs `flask db …`."""

from __future__ import annotations

import click
from alembic import context
from flask import current_app

from app import models  # noqa: F401  (every table must be in the metadata)
from app.database import UnversionedDatabaseError, adopt_database_made_before_migrations

db = current_app.extensions["migrate"].db


def run_migrations_online() -> None:
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=True,  # SQLite alters tables by copying them
            compare_type=True,
        )
        with context.begin_transaction():
            if is_upgrade():
                adopt_older_database()
            context.run_migrations()


def is_upgrade() -> bool:
    """Whether this is `db upgrade` (Alembic names the step function after its command)."""
    step = context.get_context().opts.get("fn")
    return getattr(step, "__name__", None) == "upgrade"


def adopt_older_database() -> None:
    try:
        adopted = adopt_database_made_before_migrations(
            context.get_context(), context.script, set(db.metadata.tables)
        )
    except UnversionedDatabaseError as error:
        raise click.ClickException(str(error)) from None
    if adopted:
        click.echo(
            "This database was made before migrations and its tables are those of the"
            " first one: marked as at 0001, upgrading from there.",
            err=True,
        )


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run `flask db upgrade`.")
run_migrations_online()
