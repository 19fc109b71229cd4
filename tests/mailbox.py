"""A real SMTP server (tests/smtp_sink.py, aiosmtpd) in its own process, and what it
received: the `smtp` fixture of conftest.py."""

from __future__ import annotations

import email
import email.policy
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from app.config import ROOT
from tests.admin_helpers import PASSWORD
from tests.serving import flask_command, free_port, gunicorn_site


@dataclass
class Mailbox:
    port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def messages(self) -> list[EmailMessage]:
        return [
            email.message_from_bytes(path.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
            for path in sorted(self.folder.glob("*.eml"))
        ]


@contextmanager
def smtp_server(folder: Path) -> Iterator[Mailbox]:
    box = Mailbox(free_port(), folder)
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.smtp_sink", str(box.port), str(box.folder)], cwd=ROOT
    )
    try:
        for _ in range(100):
            if (box.folder / "ready").exists():
                break
            time.sleep(0.05)
        yield box
    finally:
        server.terminate()
        server.wait(10)


@contextmanager
def site_with_mail(folder: Path, account: tuple[str, ...], **env: str) -> Iterator[dict]:
    """The site served as production serves it (gunicorn), sending its email to a real
    SMTP server, with one account (`flask accounts create` arguments) whose password is
    PASSWORD. Yields `base` (the site's address), `mail` (the Mailbox), and what
    `send_alerts` needs."""
    port = free_port()
    with smtp_server(folder / "mail") as mail:
        base = f"http://127.0.0.1:{port}"
        env = {
            "XANH_PUBLIC_URL": base,
            "SMTP_URL": mail.url,
            "XANH_SECURE_COOKIES": "0",  # plain HTTP on a test machine, as the README says
            **env,
        }
        url, index = f"sqlite:///{folder / 'xanh.db'}", folder / "index"
        with gunicorn_site(url, index, port=port, **env) as served:
            create = ("accounts", "create", *account, "--password-stdin")
            done = flask_command(url, index, *create, stdin=PASSWORD + "\n", env=env)
            assert done.returncode == 0, done.stderr
            yield {"base": served, "mail": mail, "url": url, "index": index, "env": env}


def send_alerts(world: dict) -> None:
    """Run `flask alerts send` against the site of `site_with_mail`, as cron does."""
    done = flask_command(world["url"], world["index"], "alerts", "send", env=world["env"])
    assert done.returncode == 0, done.stdout + done.stderr
