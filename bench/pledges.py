"""Pledges a single server accepts per second, against the cached campaign page in the
same run and on the same server.

The server is `make serve`'s gunicorn on a database of its own (the bench's pledges
never reach the site's), with the minimum fill time at 0 and the per-address limits
out of reach (every request comes from 127.0.0.1). Each pledge is a real one: a form
fetched beforehand, its single-use token, the limits counted in the database, the
pledge written, the pledge counter moved. wrk sends them, one token each, in order.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from figures import Figure, print_table, rate
from throughput import CONNECTIONS, ROOT, ensure_wrk, free_port, start, wrk

SECONDS = os.environ.get("BENCH_PLEDGE_SECONDS", "5")
FORMS = int(os.environ.get("BENCH_PLEDGE_FORMS", "6000"))
CAMPAIGN = "/vi/campaigns/plastic-bags/"
FORM = "/vi/campaigns/plastic-bags/pledge"
TOKEN = re.compile(r'name="form" value="([^"]+)"')

POSTS = """
bodies = {%s}
counter = 0
request = function()
  counter = counter + 1
  local body = bodies[(counter - 1) %% #bodies + 1]
  return wrk.format("POST", "%s", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
"""


def site_env(folder: Path) -> dict[str, str]:
    return {
        "DATABASE_URL": f"sqlite:///{folder / 'xanh.db'}",
        "XANH_SEARCH_INDEX": str(folder / "index"),
        "XANH_PLEDGE_MIN_SECONDS": "0",
        "XANH_PLEDGES_PER_ADDRESS_HOUR": "100000000",
        "XANH_PLEDGES_PER_ADDRESS_DAY": "100000000",
    }


def prepare(env: dict[str, str]) -> None:
    for command in (["db", "upgrade"], ["content", "load"]):
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", *command],
            cwd=ROOT,
            env={**os.environ, **env},
            check=True,
            capture_output=True,
        )


def forms(base: str, count: int) -> list[str]:
    def one(_: int) -> str:
        with urllib.request.urlopen(base + FORM) as answer:
            found = TOKEN.search(answer.read().decode())
        assert found
        return f"form={found.group(1)}&action=bring-a-bag&action=sort-plastic&province=bac-giang"

    with ThreadPoolExecutor(8) as pool:
        return list(pool.map(one, range(count)))


def posted(url: str, bodies: list[str], folder: Path) -> tuple[float, int, int]:
    """Pledges accepted per second, requests sent, and the answers that were not 303."""
    script = folder / "pledges.lua"
    quoted = ",".join(f'"{b}"' for b in bodies)
    script.write_text(POSTS % (quoted, FORM), encoding="utf-8")
    out = subprocess.run(
        ["wrk", "-t1", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--timeout", "10s", "-s", str(script)]
        + [url],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    total = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))  # type: ignore[union-attr]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    refused = int(bad.group(1)) if bad else 0
    return (total - refused) / seconds, total, refused


def measure() -> list[Figure]:
    ensure_wrk()
    area = f"pledges: one server, {CONNECTIONS} connections (wrk)"
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = site_env(folder)
        prepare(env)
        port = free_port()
        server = start("wsgi:app", port, ROOT, **env)
        base = f"http://127.0.0.1:{port}"
        try:
            bodies = forms(base, FORMS)
            page_url = base + CAMPAIGN
            wrk(page_url)  # warm-up
            page_before, _ = wrk(page_url)
            accepted, sent, refused = posted(base, bodies, folder)
            page_after, _ = wrk(page_url)
        finally:
            server.terminate()
    page = (page_before + page_after) / 2
    note = f"{sent:,} sent, tokens for {FORMS:,}" + (" (ran out)" if sent > FORMS else "")
    return [
        Figure(area, "campaign page, cached (baseline)", rate(page), "its own runs"),
        Figure(
            area,
            f"pledges accepted ({note})",
            f"{accepted:,.0f} pledges/s",
            f"campaign page {rate(page)}",
            accepted / page,
            refused,
        ),
    ]


if __name__ == "__main__":
    print_table("Pledges against the cached campaign page, same run", measure())
