"""Pledges sent all at once to gunicorn with several workers, on SQLite and PostgreSQL:
the public count equals the pledges the site said it counted, no more, no less."""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.serving import gunicorn_site

BAGS = "plastic-bags"
FORM = f"/en/campaigns/{BAGS}/pledge"
ACTIONS = ["bring-a-bag", "refuse-a-bag", "reuse-bags"]


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[str]:
    with gunicorn_site(
        database_url,
        tmp_path / "index",
        workers=4,
        log=tmp_path / "server.log",
        XANH_TRUSTED_PROXIES="1",  # each person's address comes in X-Forwarded-For
        XANH_PLEDGE_MIN_SECONDS="1",
    ) as base:
        yield base


def ask(
    base: str, method: str, path: str, address: str, form: dict | None = None
) -> tuple[int, str]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=60)
    headers = {"X-Forwarded-For": address}
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body, headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def open_form(base: str, address: str) -> str:
    status, page = ask(base, "GET", FORM, address)
    assert status == 200
    found = re.search(r'name="form" value="([^"]+)"', page)
    assert found
    return found.group(1)


def all_at_once(base: str, sends: list[tuple[str, dict]]) -> list[int]:
    """Every form sent in its own thread, released together; the statuses, in order."""
    statuses: list[int] = [0] * len(sends)
    start = threading.Barrier(len(sends))

    def send(i: int) -> None:
        address, form = sends[i]
        start.wait()
        statuses[i], _ = ask(base, "POST", f"/en/campaigns/{BAGS}/pledges", address, form)

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(sends))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def public_count(base: str) -> dict:
    time.sleep(1.1)  # each worker looks at the pledge counter at most once a second
    status, body = ask(base, "GET", f"/api/v1/campaigns/{BAGS}/pledges", "192.0.2.1")
    assert status == 200
    return json.loads(body)


def test_fifty_people_pledging_at_once_are_counted_exactly(served: str) -> None:
    people = [f"10.0.{i // 200}.{i % 200 + 1}" for i in range(50)]
    forms = []
    for i, address in enumerate(people):
        chosen = ACTIONS[: i % 3 + 1]
        forms.append((address, {"form": open_form(served, address), "action": chosen}))
    programs = [f"10.9.0.{i + 1}" for i in range(5)]
    trapped = [
        (a, {"form": open_form(served, a), "action": ACTIONS, "website": "x"}) for a in programs
    ]
    time.sleep(1.1)  # people read the form before they send it
    double_taps = forms[:10]
    statuses = all_at_once(served, [*forms, *double_taps, *trapped])

    assert Counter(statuses) == Counter({303: 50, 409: 10, 400: 5})
    numbers = public_count(served)
    assert numbers["people"] == 50
    by_action = {a["key"]: a["people"] for a in numbers["actions"]}
    expected = Counter(key for _, form in forms for key in form["action"])
    assert {k: by_action[k] for k in ACTIONS} == {k: expected[k] for k in ACTIONS}


def test_a_script_on_one_address_gets_no_further_than_its_limit(served: str) -> None:
    address = "203.0.113.7"
    forms = [
        (address, {"form": open_form(served, address), "action": ACTIONS[:1]}) for _ in range(40)
    ]
    time.sleep(1.1)
    statuses = all_at_once(served, forms)
    counted = statuses.count(303)
    assert set(statuses) <= {303, 429}
    # Thirty an hour per address (the default): exactly, however the tries race.
    assert counted == 30
    assert public_count(served)["people"] == counted
