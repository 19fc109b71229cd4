"""Readers' latency while many clients send their headers slowly (no proxy in front).

A reader's p50 and p99 on the home page (wrk --latency), first alone, then with
SLOW connections open that each send a request line and then one header byte
every two seconds, as a slow or hostile client does. Both under the same
gunicorn.conf.py, in the same run. Figures only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import threading
import time

from figures import Figure, print_table, rate
from throughput import ROOT, ensure_wrk, free_port, start

SLOW = int(os.environ.get("SLOW_CONNECTIONS", "100"))
SECONDS = os.environ.get("SLOW_SECONDS", "10")


def latency(url: str) -> tuple[float, float, int, float]:
    """p50 and p99 in milliseconds, errors (socket errors and timeouts), requests/s."""
    out = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--timeout", "10s", "--latency", url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout

    def ms(percent: str) -> float:
        value, unit = re.search(rf"\s{percent}%\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]

    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return ms("50"), ms("99"), errors, rps


class SlowClients:
    """SLOW connections that never finish their headers while they are open."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.stop = threading.Event()
        self.sockets: list[socket.socket] = []

    def __enter__(self) -> SlowClients:
        for _ in range(SLOW):
            conn = socket.create_connection(("127.0.0.1", self.port))
            conn.sendall(b"GET /vi/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            self.sockets.append(conn)
        threading.Thread(target=self._trickle, daemon=True).start()
        time.sleep(1)
        return self

    def _trickle(self) -> None:
        while not self.stop.wait(2):
            for conn in self.sockets:
                try:
                    conn.send(b"X")
                except OSError:
                    pass

    def open(self) -> int:
        """How many are still connected (the server may have closed some)."""
        alive = 0
        for conn in self.sockets:
            conn.setblocking(False)
            try:
                alive += conn.recv(1, socket.MSG_PEEK) != b""
            except BlockingIOError:
                alive += 1
            except OSError:
                pass
        return alive

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        for conn in self.sockets:
            conn.close()


def measure() -> list[Figure]:
    ensure_wrk()
    area = f"slow clients: p99 of 16 readers on home, {SECONDS} s (wrk --latency)"
    port = free_port()
    server = start("wsgi:app", port, ROOT)
    url = f"http://127.0.0.1:{port}/vi/"
    try:
        latency(url)  # warm-up
        p50, p99, errors, rps = latency(url)
        figures = [
            Figure(area, "alone: p50", f"{p50:.1f} ms"),
            Figure(area, "alone: p99", f"{p99:.1f} ms", errors=errors),
        ]
        with SlowClients(port) as slow:
            s50, s99, serrors, srps = latency(url)
            still = slow.open()
        against = f"alone {p99:.1f} ms"
        figures += [
            Figure(
                area,
                f"with {SLOW} slow-header connections: p50",
                f"{s50:.1f} ms",
                f"alone {p50:.1f} ms",
                s50 / p50,
            ),
            Figure(
                area,
                f"with {SLOW} slow-header connections: p99",
                f"{s99:.1f} ms",
                against,
                s99 / p99,
                serrors,
            ),
            Figure(area, "slow connections still open at the end", f"{still} of {SLOW}"),
            Figure(area, "readers' requests: alone", rate(rps)),
            Figure(
                area, "readers' requests: with slow connections", rate(srps), rate(rps), srps / rps
            ),
        ]
    finally:
        server.terminate()
    return figures


if __name__ == "__main__":
    print_table("Readers' latency with slow clients", measure())
