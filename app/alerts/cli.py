"""`flask alerts send`, run by cron or a systemd timer (see README): nothing is sent
inside a web request."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup

from app.alerts.mail import Mailer, smtp_settings
from app.alerts.sender import send_all
from app.queries import today

alerts_cli = AppGroup("alerts", help="Email alerts: confirmations and daily digests.")
TEMPORARY_FAILURE = 75  # EX_TEMPFAIL: some messages wait for the next run


@alerts_cli.command("send")
def send_command() -> None:
    """Send what is due: confirmations, and each subscriber's digest of the day."""
    config = current_app.config
    if not config["PUBLIC_URL"]:
        raise click.ClickException(
            "Set XANH_PUBLIC_URL to the site's address: every link in an email is built on it."
        )
    if not config["SMTP_URL"]:
        raise click.ClickException(
            "Set SMTP_URL to the server that sends the site's email, such as "
            "smtp+starttls://user:password@mail.example:587"
        )
    try:
        settings = smtp_settings(config["SMTP_URL"])
    except ValueError as error:
        raise click.ClickException(str(error)) from None
    with (
        current_app.test_request_context(base_url=config["PUBLIC_URL"]),
        Mailer(settings) as mailer,
    ):
        report = send_all(mailer, today())
    click.echo(str(report))
    if report.failed:
        sys.exit(TEMPORARY_FAILURE)
