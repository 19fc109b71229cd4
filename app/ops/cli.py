"""`flask backup create|restore`: the whole database to one file and back."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.cli import all_or_nothing


@click.group("backup", help="Back the whole database up to one file, and restore it.")
def backup_cli() -> None:
    pass


@backup_cli.command("create")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--with-subscribers",
    is_flag=True,
    help="Also write the email addresses of alert subscribers, in clear (left out otherwise).",
)
@with_appcontext
def create_command(file: Path, with_subscribers: bool) -> None:
    """Write every table to FILE (gzipped JSON lines); residents' email addresses only with
    --with-subscribers."""
    from app.ops.backup import write_backup

    counts = write_backup(file, with_subscribers)
    click.echo(f"Backed up {sum(counts.values())} rows of {len(counts)} tables to {file}.")
    if not with_subscribers:
        click.echo(
            "Alert subscribers' addresses were left out; add --with-subscribers to keep them."
        )


@backup_cli.command("restore")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Load FILE into a new, migrated, empty database; then rebuild the search index."""
    from app.ops.backup import BackupError, restore_backup
    from app.search.documents import rebuild_index

    counts = all_or_nothing(lambda: restore_backup(file), BackupError, "Nothing was restored")
    click.echo(f"Restored {sum(counts.values())} rows of {len(counts)} tables.")
    click.echo(f"Search index rebuilt with {rebuild_index()} documents.")
