"""A real SMTP server for the alert tests, run in its own process (aiosmtpd).

    python -m tests.smtp_sink PORT FOLDER

Each message it accepts is written to FOLDER as <n>.eml. Two files in FOLDER
change what it does, for the tests of failure:
- `refuse`: holding a number N, the next N messages get "451 try again later";
- `kill-after-data`: holding a process id, that process is killed once the
  message is received and before the server answers, as a crash of the sender
  between sending and recording would be.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.count = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        refuse = self.folder / "refuse"
        if refuse.exists():
            left = int(refuse.read_text() or 0)
            if left > 0:
                refuse.write_text(str(left - 1))
                return "451 4.3.0 try again later"
        self.count += 1
        name = self.folder / f"{self.count:04d}.eml"
        partial = name.with_suffix(".part")
        partial.write_bytes(envelope.original_content)
        partial.rename(name)
        kill = self.folder / "kill-after-data"
        if kill.exists():
            pid = int(kill.read_text())
            kill.unlink()
            os.kill(pid, signal.SIGKILL)
        return "250 2.0.0 OK"


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(folder), hostname="127.0.0.1", port=port)
    controller.start()
    (folder / "ready").write_text("ok")
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
