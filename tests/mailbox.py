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
from tests.serving import free_port


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
