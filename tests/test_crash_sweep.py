"""Workers never crash: every page type at ten times today's content, served as in production.

The content is made by `bench/generate.py` (clearly fake, from the real structure)
and loaded with the normal commands; gunicorn runs with gunicorn.conf.py's own
workers and threads and the page cache off, so every request renders. A few
clients ask for every public page type, in both languages, twice. Any 5xx, any
dropped connection, any worker that ends and /health's count of worker restarts
fail the test. Under CPython 3.11 its garbage collector could run a weakref
callback in the middle of storing an attribute and free memory twice, which
crashed workers here on the pages that load every indicator.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import sqlite3
import subprocess
import sys
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from app import create_app
from app.config import ROOT, Config
from tests.conftest import LANGS
from tests.serving import gunicorn_site

SCALE = 10
CLIENTS = 6
ROUNDS = 2
ITEMS_PER_KIND = 4  # slugs of each kind: the first real ones and generated ones
# Routes with no item in their path (lists, summaries, feeds, the API lists) are the
# ones that load every indicator: each is asked this many times a round, so that
# every worker renders each of them more than once.
SUMMARY_REPEATS = 8

# How to fill each path part of a public route; every GET route must be covered.
KINDS = {
    "plans": "plan",
    "indicators": "indicator",
    "campaigns": "campaign",
    "provinces": "province",
    "sources": "source_document",
    "<lang>": "page",  # /<lang>/<slug>/: the free-standing pages
}
QUERIES = {
    "/<lang>/search": ["q=rác thải", "q=rac thai nhua", "q=forest"],
    "/api/v1/search": ["q=nước sạch", "q=waste"],
    "/<lang>/indicators/": ["", "status=no_data", "theme=solid-waste", "province={province}"],
    "/embed/<lang>/indicators/<slug>": ["", "view=chart", "view=chart&theme=dark"],
    "/oembed": ["url=http://127.0.0.1/vi/indicators/{indicator}/"],
}
# Files, a redirect, and the API's answer for addresses it does not have.
NOT_SWEPT = {"/static/<path:filename>", "/", "/api/v1/<path:unknown>"}


@pytest.fixture(scope="module")
def scaled_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("content") / f"x{SCALE}"
    subprocess.run(
        [sys.executable, "bench/generate.py", "--scale", str(SCALE), str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    return out


def public_routes() -> list[str]:
    app = create_app(Config(database_url="sqlite://", testing=True))
    return sorted(
        {
            rule.rule
            for rule in app.url_map.iter_rules()
            if "GET" in rule.methods
            and not rule.rule.startswith("/admin")
            and rule.rule not in NOT_SWEPT
        }
    )


def slugs(database: Path) -> dict[str, list[str]]:
    """Of each kind, the first real slugs and the first generated ones."""
    with sqlite3.connect(database) as connection:
        found = {}
        for kind in set(KINDS.values()):
            column = "key" if kind == "source_document" else "slug"
            query = f"SELECT {column} FROM {kind} ORDER BY {column}"
            rows = [r[0] for r in connection.execute(query)]
            real = [s for s in rows if not s.startswith("fake-")]
            fake = [s for s in rows if s.startswith("fake-")]
            half = ITEMS_PER_KIND // 2
            found[kind] = real[:half] + fake[:half]
    return found


def urls_for(rule: str, items: dict[str, list[str]]) -> list[str]:
    """Every URL the sweep asks for one route: both languages, several items, its queries."""
    kind = next((k for segment, k in KINDS.items() if f"/{segment}/<slug>" in rule), None)
    assert "<slug>" not in rule or kind, f"the sweep does not know how to fill {rule}"
    # A pledge's signed receipt, a subscriber's signed token: junk ones get a 404.
    rule = rule.replace("<receipt>", "not-a-receipt").replace("<token>", "not-a-token")
    paths = [rule.replace("<lang>", lang) for lang in LANGS] if "<lang>" in rule else [rule]
    if kind:
        paths = [p.replace("<slug>", slug) for p in paths for slug in items[kind]]
    assert not re.search(r"<[^>]+>", " ".join(paths)), f"unfilled path part in {rule}"
    examples = {name: values[0] for name, values in items.items()}
    queries = [q.format(**examples) for q in QUERIES.get(rule, [""])]
    urls = [f"{path}?{quote(query)}" if query else path for path in paths for query in queries]
    return urls if kind else urls * SUMMARY_REPEATS


def quote(query: str) -> str:
    return urllib.parse.urlencode(urllib.parse.parse_qsl(query))


def fetch(base: str, path: str) -> tuple[str, int | str]:
    """The status, or the name of the error when the connection dropped."""
    host = urllib.parse.urlsplit(base).netloc
    connection = http.client.HTTPConnection(host, timeout=120)
    try:
        connection.request("GET", path, headers={"Accept-Encoding": "br, gzip"})
        response = connection.getresponse()
        response.read()
        return path, response.status
    except (OSError, http.client.HTTPException) as error:
        return path, type(error).__name__
    finally:
        connection.close()


def test_every_page_type_renders_at_ten_times_the_content_without_a_crash(
    scaled_content: Path, tmp_path: Path
) -> None:
    database, log = tmp_path / "xanh.db", tmp_path / "server.log"
    env = {"XANH_CONTENT_DIR": str(scaled_content), "XANH_PAGE_CACHE": "0"}
    with gunicorn_site(f"sqlite:///{database}", tmp_path / "index", None, log, **env) as base:
        items = slugs(database)
        urls = [url for rule in public_routes() for url in urls_for(rule, items)]
        with ThreadPoolExecutor(CLIENTS) as clients:
            answers = list(clients.map(lambda path: fetch(base, path), urls * ROUNDS))
        health = json.load(urllib.request.urlopen(f"{base}/health", timeout=30))

    # A worker stopped on shutdown is "sent SIGTERM"; any other end is a crash.
    crashes = re.findall(
        r"was sent SIG(?!TERM)\w+|exited with code \d+|Fatal Python error: .*", log.read_text()
    )
    failures = [(path, status) for path, status in answers if str(status)[0] not in "234"]
    assert crashes == [], f"{len(crashes)} worker crashes in {len(answers)} requests"
    assert failures == [], f"{len(failures)} of {len(answers)} requests failed: {failures[:10]}"
    assert health["worker_restarts"] == 0


# What crashed the workers, in a few lines: an attribute stored on an object whose
# class has used up its shared attribute names makes the object a dict; on CPython
# 3.11 allocating that dict could run the garbage collector at once, and a weakref
# callback storing into the same object then freed its values a second time (and
# lost the callback's attribute). 3.12 runs the collector only between bytecodes.
GC_DURING_ATTRIBUTE_STORE = """
import gc, weakref

class Record:
    pass

first = Record()
for i in range(30):
    setattr(first, f"a{i}", i)
victim = Record()
victim.a0 = 0

class Garbage:
    pass

def garbage_with_callback():
    g = Garbage()
    g.cycle = g
    return weakref.ref(g, lambda ref: setattr(victim, "from_callback", 1))

gc.collect()
ref = garbage_with_callback()
gc.set_threshold(1)
victim.not_a_shared_name = 1
gc.set_threshold(700)
for i in range(100):
    setattr(victim, f"more{i}", i)
gc.collect()
print(sorted(vars(victim))[:2])
"""


def test_the_interpreter_keeps_what_a_collector_callback_stores_during_an_assignment() -> None:
    done = subprocess.run(
        [sys.executable, "-c", GC_DURING_ATTRIBUTE_STORE],
        env={**os.environ, "PYTHONMALLOC": "debug"},  # a double free stops the program
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "['a0', 'from_callback']"
