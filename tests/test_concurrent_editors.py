"""Two editors press Save at the same moment, over HTTP, against gunicorn with several workers.

Runs on SQLite and on the real PostgreSQL server. Exactly one save may win;
the other must get the conflict page, and nothing may be half written.
"""

from __future__ import annotations

import http.client
import json
import re
import threading
import time
from html import unescape
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

from tests.admin_helpers import PASSWORD
from tests.serving import flask_command, gunicorn_site
from tests.test_admin import WASTE

ROUNDS = 6
# Each worker checks the data version at most once a second (app/cache.py); past that a
# worker's cached page may still show the previous round's value.
STALE_SECONDS = 1.1


class Browser:
    """One person's cookies, sent by hand: the session cookie is Secure and this is plain HTTP."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname or "", parts.port or 80
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                name, value = cookie.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            self.location = response.headers.get("Location", "")
            return response.status, response.read().decode()
        finally:
            connection.close()

    def publish_reviewed(self) -> int:
        """After a form sent for review: press Publish on the review page; the status."""
        assert "/review/" in self.location, self.location
        _, review = self.request("GET", urlsplit(self.location).path)
        action = re.search(r'<form method="post" action="([^"]+/publish)"', review)
        assert action, "the review page has no Publish button"
        form = {"csrf_token": field(review, "csrf_token"), "revision": field(review, "revision")}
        status, _ = self.request("POST", action.group(1), form)
        return status

    def enter_and_publish(self, path: str, form: dict[str, str]) -> int:
        """Send an entry for review, then publish it, as an officer does; the last status."""
        status, _ = self.request("POST", path, {**form, "action": "review"})
        return self.publish_reviewed() if status == 302 else status

    def sign_in(self, email: str) -> None:
        _, page = self.request("GET", "/admin/en/login")
        form = {"csrf_token": field(page, "csrf_token"), "email": email, "password": PASSWORD}
        status, _ = self.request("POST", "/admin/en/login", form)
        assert status == 302


def field(page: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    assert found, name
    return unescape(found.group(1))


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> str:
    index = tmp_path / "index"
    with gunicorn_site(database_url, index, workers=4) as base:
        for email, scope in (("lan@donre.example", "bac-giang-donre"), ("admin@xanh.example", "")):
            options = ["--agency", scope] if scope else ["--role", "admin"]
            done = flask_command(
                database_url,
                index,
                *("accounts", "create", email, "--name", email, *options, "--password-stdin"),
                stdin=PASSWORD + "\n",
            )
            assert done.returncode == 0, done.stderr
        yield base


def test_two_editors_saving_at_the_same_moment_one_wins_and_one_gets_a_conflict(
    served: str,
) -> None:
    lan, boss = Browser(served), Browser(served)
    lan.sign_in("lan@donre.example")
    boss.sign_in("admin@xanh.example")
    path = f"/admin/en/indicators/{WASTE}"
    for round_ in range(ROUNDS):
        forms = {}
        for who, browser, value in ((lan, lan, f"{60 + round_},5"), (boss, boss, f"{80 + round_}")):
            _, page = browser.request("GET", path)
            forms[who] = {
                "csrf_token": field(page, "csrf_token"),
                "revision": field(page, "revision"),
                "action": "review",
                "year": "2024",
                "value": value,
                "source_document": f"BC {round_}",
                "reason": f"Round {round_}",
            }
        answers = post_at_once(path, forms)
        statuses = sorted(status for status, _ in answers.values())
        assert statuses == [302, 409], (round_, statuses)
        winner = next(b for b, (status, _) in answers.items() if status == 302)
        assert winner.publish_reviewed() == 302  # the winner's draft, reviewed and published
        loser_page = next(page for status, page in answers.values() if status == 409)
        assert "Someone else changed this indicator" in loser_page
        # The loser's entry is still in the form, to look at and send again.
        loser = boss if winner is lan else lan
        assert f'value="{forms[loser]["value"]}"' in loser_page
        expected = [(2024, float(forms[winner]["value"].replace(",", ".")))]
        assert public_values(served) == expected

    _, page = Browser(served).request("GET", f"/en/indicators/{WASTE}/")
    history = page[page.index('id="history"') :]
    # One published change per round: no save was lost and none was written twice.
    assert len(re.findall(r"Round \d", history)) == ROUNDS


def post_at_once(path: str, forms: dict[Browser, dict[str, str]]) -> dict[Browser, tuple[int, str]]:
    """Each browser sends its form, all released by one barrier; their answers."""
    answers: dict[Browser, tuple[int, str]] = {}
    start = threading.Barrier(len(forms))

    def send(browser: Browser) -> None:
        start.wait()
        answers[browser] = browser.request("POST", path, forms[browser])

    threads = [threading.Thread(target=send, args=(browser,)) for browser in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def public_values(base: str) -> list[tuple[int, float]]:
    """The API's values once every worker has seen the change (within STALE_SECONDS)."""
    time.sleep(STALE_SECONDS)
    _, body = Browser(base).request("GET", f"/api/v1/indicators/{WASTE}")
    return [(o["year"], o["value"]) for o in json.loads(body)["observations"]]


def test_a_burst_of_guesses_over_four_workers_gets_no_more_tries_than_the_limit(
    served: str,
) -> None:
    """Issue 17: limits were counted in each worker's memory, so a burst got 21–35
    guesses checked against a limit of 5."""
    guessers = [Browser(served) for _ in range(30)]
    forms = {}
    for browser in guessers:
        _, page = browser.request("GET", "/admin/en/login")
        forms[browser] = {
            "csrf_token": field(page, "csrf_token"),
            "email": "lan@donre.example",
            "password": "a wrong guess",
        }
    answers = post_at_once("/admin/en/login", forms)
    statuses = [status for status, _ in answers.values()]
    checked = statuses.count(200)  # "wrong password": the guess was checked
    assert checked <= 5 and statuses.count(429) == 30 - checked, statuses
    # Over the burst and after it, exactly five guesses are checked in all.
    later = []
    for browser in guessers[: 6 - checked]:
        _, page = browser.request("GET", "/admin/en/login")
        later.append(
            browser.request(
                "POST",
                "/admin/en/login",
                {**forms[browser], "csrf_token": field(page, "csrf_token")},
            )[0]
        )
    assert later == [200] * (5 - checked) + [429]
