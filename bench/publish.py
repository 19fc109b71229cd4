"""Publish-to-visible: how long a value published on one server takes to reach another.

Two servers under gunicorn.conf.py share one database (SQLite here; PostgreSQL in
tests/test_scale_out.py), each with its own search index. An editor publishes a
value through the first; the second is asked every 50 ms for its API record, its
widget and its search, until each shows the value. Figures only.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from figures import Figure, print_table
from throughput import ROOT, free_port, start

INDICATOR = "bac-giang-urban-solid-waste-treated"
PASSWORD = "a long bench passphrase 42"
REPORT = "BC 9090/BC-BENCH"


def flask(env: dict[str, str], *args: str, stdin: str | None = None) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        check=True,
        capture_output=True,
        text=True,
    )


def publish(base: str, value: str = "77,7") -> float:
    """Sign in and publish a value through `base`; return when the answer came."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def form(page: str) -> dict[str, str]:
        return dict(re.findall(r'name="(csrf_token|revision)" value="([^"]*)"', page))

    login = opener.open(f"{base}/admin/en/login").read().decode()
    fields = {**form(login), "email": "bench@xanh.example", "password": PASSWORD}
    opener.open(f"{base}/admin/en/login", urllib.parse.urlencode(fields).encode())
    page = opener.open(f"{base}/admin/en/indicators/{INDICATOR}").read().decode()
    fields = {**form(page), "action": "review", "year": "2024", "value": value}
    fields["source_document"] = REPORT
    sent = urllib.parse.urlencode(fields).encode()
    # The form saves a draft and shows its review page, whose button publishes it.
    review = opener.open(f"{base}/admin/en/indicators/{INDICATOR}", sent).read().decode()
    found = re.search(r'<form method="post" action="([^"]+/drafts/\d+/publish)"', review)
    if found is None:
        raise RuntimeError("the review page has no Publish button")
    opener.open(f"{base}{found.group(1)}", urllib.parse.urlencode(form(review)).encode())
    return time.monotonic()


def shows(url: str, text: str) -> bool:
    with urllib.request.urlopen(url) as answer:
        return text in answer.read().decode()


def measure() -> list[Figure]:
    area = "publish-to-visible: a second server over the same database"
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{folder}/xanh.db",
            "XANH_SECURE_COOKIES": "0",  # plain HTTP on loopback
            "XANH_SEARCH_INDEX": f"{folder}/index-a",
        }
        flask(env, "db", "upgrade")
        flask(env, "content", "load")
        account = ("accounts", "create", "bench@xanh.example", "--name", "Bench")
        flask(env, *account, "--agency", "bac-giang-donre", "--password-stdin", stdin=PASSWORD)
        first_port, second_port = free_port(), free_port()
        first = start(
            "wsgi:app",
            first_port,
            ROOT,
            **{k: env[k] for k in env if k.startswith(("DATABASE", "XANH"))},
        )
        second_env = {**{k: env[k] for k in env if k.startswith(("DATABASE", "XANH"))}}
        second_env["XANH_SEARCH_INDEX"] = f"{folder}/index-b"
        flask({**env, "XANH_SEARCH_INDEX": f"{folder}/index-b"}, "search", "rebuild")
        second = start("wsgi:app", second_port, ROOT, **second_env)
        other = f"http://127.0.0.1:{second_port}"
        checks = {
            "API record": (f"{other}/api/v1/indicators/{INDICATOR}", "77.7"),
            "widget": (f"{other}/embed/en/indicators/{INDICATOR}", "77.7%"),
            "search": (f"{other}/api/v1/search?q={urllib.parse.quote(REPORT)}&lang=vi", INDICATOR),
        }
        try:
            for url, _ in checks.values():
                urllib.request.urlopen(url).read()  # cached before the change, as in life
            published = publish(f"http://127.0.0.1:{first_port}")
            seen: dict[str, float] = {}
            while len(seen) < len(checks) and time.monotonic() - published < 60:
                for name, (url, text) in checks.items():
                    if name not in seen and shows(url, text):
                        seen[name] = time.monotonic() - published
                time.sleep(0.05)
        finally:
            first.terminate()
            second.terminate()
    return [
        Figure(area, name, f"{seen[name]:.2f} s" if name in seen else "not within 60 s")
        for name in checks
    ]


if __name__ == "__main__":
    print_table("Publish-to-visible on a second server", measure())
