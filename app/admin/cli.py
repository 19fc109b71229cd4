"""`flask accounts …` (the only way accounts are made) and `flask editor-data export|import`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import func, select

from app.admin.archive import ArchiveError, export_editor_data, import_editor_data
from app.admin.models import ADMIN, ROLES, Account, new_session_token
from app.admin.passwords import MIN_LENGTH, hash_password, password_problem
from app.cli import all_or_nothing
from app.extensions import db
from app.plans.models import Plan
from app.provinces.models import Agency
from app.publishing import mark_published
from app.search.documents import rebuild_index


@click.group("accounts", help="Editor and administrator accounts.")
def accounts_cli() -> None:
    pass


def _read_password(email: str, from_stdin: bool) -> str:
    if from_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        click.echo(
            f"Choose the password {email} will sign in with (at least {MIN_LENGTH} "
            "characters; nothing shows as you type). From a script, use --password-stdin."
        )
        password = click.prompt(
            "New password", hide_input=True, confirmation_prompt="The same password again"
        )
    with force_locale("en"):
        problem = password_problem(password, email)
    if problem:
        raise click.ClickException(problem)
    return password


def _find(email: str) -> Account:
    account = db.session.scalar(select(Account).where(Account.email == email.strip().lower()))
    if account is None:
        raise click.ClickException(f"No account for {email}.")
    return account


def _by_slug(model: type[Any], slugs: tuple[str, ...], what: str) -> list[Any]:
    rows: list[Any] = list(db.session.scalars(select(model).where(model.slug.in_(slugs))))
    missing = sorted(set(slugs) - {row.slug for row in rows})
    if missing:
        known = db.session.scalars(select(model.slug).order_by(model.slug))
        raise click.ClickException(
            f"Unknown {what}: {', '.join(missing)}. The {what} slugs are:\n  " + "\n  ".join(known)
        )
    return rows


@accounts_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="The person's name, shown to administrators only.")
@click.option("--role", type=click.Choice(ROLES), default="editor", show_default=True)
@click.option("--agency", "agencies", multiple=True, help="Agency slug (province-agency).")
@click.option("--plan", "plans", multiple=True, help="Plan slug.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input instead of asking for it.",
)
@with_appcontext
def create_command(
    email: str,
    name: str,
    role: str,
    agencies: tuple[str, ...],
    plans: tuple[str, ...],
    password_stdin: bool,
) -> None:
    """Create an account; an editor needs at least one --agency or --plan.

    Asks for the password twice, or reads it from standard input with --password-stdin
    (printf '%s\\n' "$PASSWORD" | flask --app wsgi accounts create …)."""
    email = email.strip().lower()
    if "@" not in email or len(email) > 254:
        raise click.ClickException("Give the person's email address.")
    if db.session.scalar(select(func.count()).where(Account.email == email)):
        raise click.ClickException(f"An account for {email} exists already.")
    if role != ADMIN and not (agencies or plans):
        raise click.ClickException("An editor needs at least one --agency or --plan.")
    account = Account(
        email=email,
        name=name.strip(),
        role=role,
        agencies=_by_slug(Agency, agencies, "agency"),
        plans=_by_slug(Plan, plans, "plan"),
        password_hash=hash_password(_read_password(email, password_stdin)),
    )
    db.session.add(account)
    db.session.commit()
    click.echo(f"Created {role} account {email}.")


@accounts_cli.command("password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def password_command(email: str, password_stdin: bool) -> None:
    """Set a new password; every session of the account ends."""
    account = _find(email)
    account.password_hash = hash_password(_read_password(account.email, password_stdin))
    account.session_token = new_session_token()
    db.session.commit()
    click.echo(f"New password set for {account.email}; its sessions have ended.")


@accounts_cli.command("disable")
@click.argument("email")
@with_appcontext
def disable_command(email: str) -> None:
    """Stop an account from signing in (its changes stay in the audit trail)."""
    account = _find(email)
    account.active = False
    account.session_token = new_session_token()
    db.session.commit()
    click.echo(f"Disabled {account.email}.")


@accounts_cli.command("scope")
@click.argument("email")
@click.option("--agency", "agencies", multiple=True, help="Agency slug (province-agency).")
@click.option("--plan", "plans", multiple=True, help="Plan slug.")
@with_appcontext
def scope_command(email: str, agencies: tuple[str, ...], plans: tuple[str, ...]) -> None:
    """Replace an editor's agencies and plans (what they may report on)."""
    account = _find(email)
    if account.role != ADMIN and not (agencies or plans):
        raise click.ClickException("An editor needs at least one --agency or --plan.")
    account.agencies = _by_slug(Agency, agencies, "agency")
    account.plans = _by_slug(Plan, plans, "plan")
    db.session.commit()
    click.echo(f"{account.email} now reports for: {' '.join(agencies + plans) or 'everything'}.")


@accounts_cli.command("list")
@with_appcontext
def list_command() -> None:
    """Every account with its role and scope."""
    for account in db.session.scalars(select(Account).order_by(Account.email)):
        scope = [a.slug for a in account.agencies] + [p.slug for p in account.plans]
        state = "" if account.is_active else " (disabled)"
        click.echo(f"{account.email}\t{account.role}{state}\t{' '.join(scope) or 'everything'}")


@click.group("editor-data", help="Everything editors entered, to files and back.")
def editor_data_cli() -> None:
    pass


@editor_data_cli.command("export")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def export_command(folder: Path) -> None:
    """Write accounts (without passwords), values, drafts and the trail as CSV files."""
    counts = export_editor_data(folder)
    click.echo(f"Wrote {_counted(counts)} to {folder}.")


@editor_data_cli.command("import")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@with_appcontext
def import_command(folder: Path) -> None:
    """Load an export into a database with the same content and no editors' data yet.

    Accounts come back without passwords: set one with `flask accounts password`.
    """

    def load() -> dict[str, int]:
        loaded = import_editor_data(folder)
        mark_published()
        return loaded

    counts = all_or_nothing(load, ArchiveError, "Nothing was imported")
    click.echo(f"Imported {_counted(counts)}.")
    click.echo(f"Search index rebuilt with {rebuild_index()} documents.")
    click.echo("Accounts have no password yet: set each with `flask accounts password EMAIL`.")


def _counted(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} rows of {name}" for name, n in counts.items())
