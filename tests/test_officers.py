"""Officers manage their own work: signing in where it cannot work says why, and the
account commands say what they ask for and what they accept."""

from __future__ import annotations

from flask import Flask

from tests.admin_helpers import PASSWORD, csrf_token
from tests.test_admin import text_of as page_text


def test_signing_in_over_plain_http_from_another_machine_says_why(site: Flask, lang: str) -> None:
    remote = "http://192.0.2.20"
    officer = site.test_client()
    page = officer.get(f"/admin/{lang}/login", base_url=remote).get_data(as_text=True)
    assert "XANH_SECURE_COOKIES=0" in page and 'role="alert"' in page
    # The browser dropped the Secure cookie: the form comes back without its session.
    browser = site.test_client()
    sent = browser.post(
        f"/admin/{lang}/login",
        base_url=remote,
        data={"csrf_token": csrf_token(page), "email": "lan@donre.example", "password": PASSWORD},
    )
    assert sent.status_code == 400
    said = page_text(sent.get_data(as_text=True))
    assert "https://" in said and "XANH_SECURE_COOKIES=0" in said
    assert ("HTTP thường" if lang == "vi" else "plain HTTP") in said
    assert ("đã hết hạn" if lang == "vi" else "has expired") not in said
    # On the machine itself, or over HTTPS, there is nothing to warn about.
    for base in ("http://localhost", "https://xanh.example"):
        page = site.test_client().get(f"/admin/{lang}/login", base_url=base).get_data(as_text=True)
        assert "XANH_SECURE_COOKIES" not in page


def test_creating_an_account_says_what_it_asks_for_and_lists_valid_scopes(site: Flask) -> None:
    runner = site.test_cli_runner()
    asked = runner.invoke(
        args=["accounts", "create", "minh@doc.example", "--name", "Minh", "--agency", "hp-doc"],
        input="a long enough passphrase 7\na long enough passphrase 7\n",
    )
    assert asked.exit_code != 0
    assert "Unknown agency: hp-doc" in asked.output
    assert "hai-phong-" in asked.output and "bac-giang-donre" in asked.output
    made = runner.invoke(
        args=[
            "accounts",
            "create",
            "minh@doc.example",
            "--name",
            "Minh",
            "--agency",
            "bac-giang-doc",
        ],
        input="a long enough passphrase 7\na long enough passphrase 7\n",
    )
    assert made.exit_code == 0, made.output
    assert "Choose the password minh@doc.example will sign in with" in made.output
    assert "--password-stdin" in made.output
    assert "The same password again" in made.output
    helped = runner.invoke(args=["accounts", "create", "--help"])
    assert "standard input" in helped.output
