"""Command-line tools: `flask content …` and `flask translations …`."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from app.config import ROOT


def all_or_nothing[T](work: Callable[[], T], refusal: type[Exception], nothing: str) -> T:
    """Run `work` and commit; if it is refused or the database objects, roll back and
    stop the command saying `nothing` happened, and why."""
    from app.extensions import db

    try:
        result = work()
        db.session.commit()
    except refusal as error:
        db.session.rollback()
        raise click.ClickException(f"{nothing}:\n{error}") from None
    except SQLAlchemyError as error:
        db.session.rollback()
        reason = getattr(error, "orig", error)
        raise click.ClickException(f"{nothing}; the database said: {reason}") from None
    return result


@click.group("content", help="Load and check the content files.")
def content_cli() -> None:
    pass


@content_cli.command("load")
@with_appcontext
def load_command() -> None:
    """Validate content/ and load it in one transaction (after `flask db upgrade`)."""
    from app.content.loader import load_content
    from app.content.reader import ContentError
    from app.database import schema_revision

    current, head = schema_revision()
    if current != head:
        click.echo(
            f"The database schema is at {current or 'nothing'}, Xanh needs {head}: "
            "run `flask --app wsgi db upgrade` first (`make load` does).",
            err=True,
        )
        sys.exit(1)
    try:
        report = load_content(Path(current_app.config["CONTENT_DIR"]))
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    except SQLAlchemyError as exc:
        click.echo(f"The database could not be loaded: {getattr(exc, 'orig', exc)}", err=True)
        sys.exit(1)
    click.echo(f"Loaded {report}.")
    from app.search.documents import rebuild_index

    click.echo(f"Search index rebuilt with {rebuild_index()} documents.")


@content_cli.command("check")
def check_command() -> None:
    """Validate content/ without touching the database."""
    from app.content.reader import ContentError, read_content
    from app.content.references import check_references

    try:
        content = read_content(Path(current_app.config["CONTENT_DIR"]))
        problems = check_references(content)
        if problems:
            raise ContentError(problems)
    except ContentError as exc:
        click.echo(str(exc), err=True)
        sys.exit(1)
    click.echo("Content is valid.")


@click.group("search", help="The search index.")
def search_cli() -> None:
    pass


@search_cli.command("rebuild")
@with_appcontext
def rebuild_command() -> None:
    """Rebuild the search index from the database, swapping it in atomically."""
    from app.search.documents import rebuild_index

    click.echo(f"Search index rebuilt with {rebuild_index()} documents.")


@click.group("translations", help="Extract, update and compile the message catalogs.")
def translations_cli() -> None:
    pass


POT = ROOT / "translations" / "messages.pot"


def _pybabel(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


@translations_cli.command("extract")
def extract_command() -> None:
    """Write translations/messages.pot from the code and templates."""
    _pybabel(
        "extract",
        "-F",
        "babel.cfg",
        "-k",
        "_l",
        "--no-location",
        "--sort-output",
        "--omit-header",
        "-o",
        str(POT),
        "app",
    )


@translations_cli.command("update")
def update_command() -> None:
    """Extract, then merge new messages into every catalog."""
    extract_command.callback()  # type: ignore[misc]  # click sets it on every command
    _pybabel(
        "update", "-i", str(POT), "-d", "translations", "--no-fuzzy-matching", "--ignore-obsolete"
    )


@translations_cli.command("compile")
def compile_command() -> None:
    """Compile the catalogs into .mo files; fail on untranslated or fuzzy messages."""
    _pybabel("compile", "-d", "translations", "--statistics")
