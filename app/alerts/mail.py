"""Sending email through the SMTP server SMTP_URL names.

    smtp://host:25                      a local relay, no TLS
    smtp+starttls://user:pass@host:587  submission with STARTTLS
    smtps://user:pass@host:465          TLS from the start

One connection per run of `flask alerts send`, opened when the first message goes.
Every message's two parts are rendered by `rendered`, in its reader's language.
"""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from flask import g, render_template
from flask_babel import force_locale

SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("tls", 465)}


class MailError(Exception):
    """The SMTP server could not be reached or refused the message."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None
    password: str | None


def smtp_settings(url: str) -> SmtpSettings:
    """Read SMTP_URL; ValueError says what is wrong with it."""
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(
            "SMTP_URL must look like smtp://host:25, smtp+starttls://user:password@host:587 "
            "or smtps://user:password@host:465"
        )
    security, port = SCHEMES[parts.scheme]
    return SmtpSettings(
        host=parts.hostname,
        port=parts.port or port,
        security=security,
        user=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


class Mailer:
    def __init__(self, settings: SmtpSettings) -> None:
        self.settings = settings
        self.connection: smtplib.SMTP | None = None

    def __enter__(self) -> Mailer:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self.connection is not None:
            try:
                self.connection.quit()
            except (smtplib.SMTPException, OSError):
                pass

    def _connect(self) -> smtplib.SMTP:
        s = self.settings
        if s.security == "tls":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(
                s.host, s.port, timeout=30, context=ssl.create_default_context()
            )
        else:
            connection = smtplib.SMTP(s.host, s.port, timeout=30)
            if s.security == "starttls":
                connection.starttls(context=ssl.create_default_context())
        if s.user:
            connection.login(s.user, s.password or "")
        return connection

    def send(self, message: EmailMessage) -> None:
        try:
            if self.connection is None:
                self.connection = self._connect()
            self.connection.send_message(message)
        except (smtplib.SMTPException, OSError) as error:
            self.connection = None  # a broken connection is opened anew for the next
            raise MailError(str(error) or error.__class__.__name__) from error


def compose(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str,
    lang: str,
    unsubscribe_url: str | None = None,
) -> EmailMessage:
    """A message with a plain-text and an HTML part; with `unsubscribe_url`, the headers of
    RFC 2369 and RFC 8058 that let a mail client unsubscribe in one click."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    domain = sender.rsplit("@", 1)[-1].strip(">") or "xanh.invalid"
    message["Message-ID"] = make_msgid(domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = lang  # after the parts: setting them clears content headers
    return message


@contextmanager
def in_language(lang: str) -> Iterator[None]:
    """Words (force_locale), and names and links (g.lang), in the reader's language; the
    request's own language comes back afterwards."""
    before = g.get("lang")
    g.lang = lang
    try:
        with force_locale(lang):
            yield
    finally:
        g.lang = before


def rendered(template: str, lang: str, **context: Any) -> tuple[str, str]:
    """A message's plain-text and HTML parts (`<template>.txt` and `.html`), in `lang`."""
    with in_language(lang):
        return (
            render_template(f"{template}.txt", lang=lang, **context),
            render_template(f"{template}.html", lang=lang, **context),
        )
