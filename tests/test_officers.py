"""Officers manage their own work: signing in where it cannot work says why, and the
account commands say what they ask for and what they accept."""

from __future__ import annotations

import datetime as dt
import re

from flask import Flask

from tests.admin_helpers import PASSWORD, Editor, csrf_token
from tests.test_admin import WASTE
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


def test_every_mistake_is_shown_beside_its_field_at_once(site: Flask, lang: str) -> None:
    lan = Editor(site, lang)
    lan.sign_in("lan@donre.example")
    form = lan.open(WASTE)
    # The year is a list of the plan's years up to now, the awaited one chosen.
    years = re.findall(r'<option value="(\d{4})"', form.split('id="year"')[1].split("</select>")[0])
    assert years[0] == str(dt.date.today().year) and years[-1] == "2021"
    refused = lan.submit(
        form, f"indicators/{WASTE}", action="publish", year="2024", value="120", source_document=""
    )
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    for field in ("value", "source_document"):
        assert f'id="{field}-error"' in page
        assert re.search(rf'id="{field}"[^>]*aria-invalid="true"', page)
        assert re.search(rf'aria-describedby="[^"]*{field}-error', page)
    assert 'id="year-error"' not in page
    summary = page.split('class="notice error error-summary"')[1].split("</div>")[0]
    assert summary.count("<li>") == 2 and 'href="#value"' in summary
    assert ("2 điều cần sửa" if lang == "vi" else "2 things to fix") in summary


def test_the_form_remembers_the_source_and_a_correction_starts_from_the_value(
    site: Flask, lang: str
) -> None:
    lan = Editor(site, lang)
    lan.sign_in("lan@donre.example")
    sent = lan.enter(
        WASTE,
        year="2024",
        value="70,5",
        source_document="BC 12/STNMT",
        source_section="Mục II",
        note_vi="Theo báo cáo năm",
    )
    assert sent.status_code == 302
    # The next entry starts from the same report.
    page = lan.open(WASTE)
    assert 'value="BC 12/STNMT"' in page and 'value="Mục II"' in page
    # Correcting 2024 starts from what is published, and asks why.
    link = re.search(rf'href="(/admin/{lang}/indicators/{WASTE}\?correct=2024)#enter"', page)
    assert link
    correcting = lan.client.get(link.group(1)).get_data(as_text=True)
    assert ('value="70,5"' if lang == "vi" else 'value="70.5"') in correcting
    assert 'value="Theo báo cáo năm"' in correcting
    assert re.search(r'<option value="2024"[^>]* selected', correcting)
    assert re.search(r'id="reason"[^>]* required', correcting)
    no_reason = lan.submit(
        correcting,
        f"indicators/{WASTE}",
        action="publish",
        year="2024",
        value="72",
        source_document="BC 12/STNMT",
    )
    assert no_reason.status_code == 400 and 'id="reason-error"' in no_reason.get_data(as_text=True)
