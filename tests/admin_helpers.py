"""Signing in and sending forms the way a browser does, for the editors' tests."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

PASSWORD = "a long test passphrase 42"


def create_account(app: Flask, email: str, *options: str, password: str = PASSWORD) -> None:
    """Make an account with the real CLI command, password on standard input."""
    result = app.test_cli_runner().invoke(
        args=[
            "accounts",
            "create",
            email,
            "--name",
            email.split("@")[0],
            *options,
            "--password-stdin",
        ],
        input=password + "\n",
    )
    assert result.exit_code == 0, result.output


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


def form_value(html: str, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', html)
    assert found, f"no field {name}"
    return found.group(1)


class Editor:
    """One person's browser session on /admin/."""

    def __init__(self, app: Flask, lang: str = "en") -> None:
        self.client: FlaskClient = app.test_client()
        self.lang = lang

    def url(self, path: str) -> str:
        return f"/admin/{self.lang}/{path}"

    def sign_in(self, email: str, password: str = PASSWORD) -> TestResponse:
        page = self.client.get(self.url("login")).get_data(as_text=True)
        return self.client.post(
            self.url("login"),
            data={"csrf_token": csrf_token(page), "email": email, "password": password},
        )

    def open(self, slug: str) -> str:
        response = self.client.get(self.url(f"indicators/{slug}"))
        assert response.status_code == 200
        return response.get_data(as_text=True)

    def submit(self, page: str, path: str, **fields: str) -> TestResponse:
        """Send a form of `page` (its CSRF token and revision) to `path` with these fields."""
        data = {"csrf_token": csrf_token(page)}
        if 'name="revision"' in page:
            data["revision"] = form_value(page, "revision")
        return self.client.post(self.url(path), data={**data, **fields})

    def enter(self, slug: str, action: str = "publish", **fields: str) -> TestResponse:
        """Fill in the form and send it; to publish, as an officer must: review the draft,
        then press Publish on the review page (the answer to that is returned)."""
        page = self.open(slug)
        sent = self.submit(
            page, f"indicators/{slug}", action="review" if action == "publish" else action, **fields
        )
        if action != "publish" or sent.status_code != 302 or "/review/" not in sent.location:
            return sent
        return self.publish_reviewed(sent.location)

    def publish_reviewed(self, review_url: str) -> TestResponse:
        review = self.client.get(review_url)
        assert review.status_code == 200, review_url
        html = review.get_data(as_text=True)
        found = re.search(r'<form method="post" action="([^"]+/drafts/\d+/publish)"', html)
        assert found, "the review page has no Publish button"
        return self.submit(html, found.group(1).removeprefix(f"/admin/{self.lang}/"))
