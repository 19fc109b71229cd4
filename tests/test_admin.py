"""Editors report values: sign-in, scope, drafts, publishing, conflicts and the audit trail.

Every test runs on SQLite and again on the real PostgreSQL server.
"""

from __future__ import annotations

import csv
import io
import os
import re
from html import unescape
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.alerts.models import Subscriber
from app.extensions import db
from tests.admin_helpers import PASSWORD, Editor, csrf_token
from tests.conftest import LANGS

WASTE = "bac-giang-urban-solid-waste-treated"  # reported by Bắc Giang's DONRE
FOREST = "bac-giang-forest-cover"  # reported by Bắc Giang's DARD
AIR = "bac-giang-air-quality-plan"  # a milestone, DONRE
BINH_DUONG = "binh-duong-pilot-models-scheme"


def signed_in(app: Flask, email: str, lang: str = "en") -> Editor:
    editor = Editor(app, lang)
    assert editor.sign_in(email).status_code == 302
    return editor


def public_page(app: Flask, slug: str, lang: str = "en") -> str:
    return app.test_client().get(f"/{lang}/indicators/{slug}/").get_data(as_text=True)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


@pytest.mark.parametrize("lang", LANGS)
def test_an_editor_publishes_a_value_with_a_decimal_comma_and_the_public_sees_it(
    site: Flask, lang: str
) -> None:
    lan = signed_in(site, "lan@donre.example", lang)
    before = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert before["status"] == "no_data"
    done = lan.enter(WASTE, year="2024", value="87,5", source_document="Báo cáo 45/BC-STNMT")
    assert done.status_code == 302
    record = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert record["observations"][-1]["year"] == 2024
    assert record["observations"][-1]["value"] == 87.5
    assert record["status"] != "no_data"
    page = text_of(public_page(site, WASTE, lang))
    assert ("87,5%" if lang == "vi" else "87.5%") in page
    assert "Báo cáo 45/BC-STNMT" in page
    widget = site.test_client().get(f"/embed/{lang}/indicators/{WASTE}").get_data(as_text=True)
    assert ("87,5%" if lang == "vi" else "87.5%") in text_of(widget)


def test_an_editors_text_that_looks_like_a_formula_is_plain_text_in_the_csv(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    formula = '=HYPERLINK("https://example.org/x","Báo cáo 45")'
    done = lan.enter(
        WASTE, year="2024", value="87,5", source_document=formula, source_section="-2+3+cmd|A0"
    )
    assert done.status_code == 302
    body = site.test_client().get(f"/api/v1/indicators/{WASTE}.csv").data.decode("utf-8-sig")
    row = next(r for r in csv.DictReader(io.StringIO(body)) if r["year"] == "2024")
    # A spreadsheet shows the text as typed instead of running it.
    assert row["value_source_document"] == "'" + formula
    assert row["value_source_section"] == "'-2+3+cmd|A0"
    assert row["value"] == "87.5"  # numbers stay numbers
    record = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert record["observations"][-1]["source"]["document"] == formula  # the API keeps it as typed


def test_publishing_reaches_the_search_index_the_widgets_cache_and_the_feed(site: Flask) -> None:
    client = site.test_client()
    report = "318/BC-STNMT"  # a report number as journalists search for it

    def found_by_report_number() -> list[str]:
        answer = client.get(f"/api/v1/search?q={report}&lang=vi").get_json()
        return [r["slug"] for r in answer["results"]]

    def feed_entries() -> list[str]:
        return re.findall(r"<id>[^<]*#([^<]+)</id>", client.get("/en/feed.atom").get_data(True))

    widget = f"/embed/en/indicators/{WASTE}"
    etag = client.get(widget).headers["ETag"]
    assert client.get(widget, headers={"If-None-Match": etag}).status_code == 304
    assert WASTE not in found_by_report_number() and f"{WASTE}/2024" not in feed_entries()

    index = Path(site.config["SEARCH_INDEX_DIR"])
    build = os.readlink(index / "current")
    lan = signed_in(site, "lan@donre.example")
    lan.enter(WASTE, year="2024", value="64,2", source_document=f"Báo cáo {report}")

    # The index catches up in the background, with the changed document only: the build
    # in use is the same folder, now at the new data version.
    assert site.extensions["xanh_index_updates"].wait(30)
    assert found_by_report_number()[:1] == [WASTE]
    assert os.readlink(index / "current") == build
    fresh = client.get(widget, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and fresh.headers["ETag"] != etag
    assert "64.2%" in text_of(fresh.get_data(as_text=True))
    assert f"{WASTE}/2024" in feed_entries()


def test_an_index_from_before_an_upgrade_is_rebuilt_not_patched_on_the_next_publish(
    site: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server upgraded to a version that indexes more fields keeps its old build until
    something is published; patching that build in place would fail on the new fields."""
    from app.search import engine
    from app.search.documents import rebuild_index

    index = Path(site.config["SEARCH_INDEX_DIR"])
    with monkeypatch.context() as earlier_version:
        earlier_version.setattr(engine, "NAME_FIELDS", {})
        with site.app_context():
            rebuild_index()
    old_build = os.readlink(index / "current")
    assert not engine.holds_current_fields(index)

    signed_in(site, "lan@donre.example").enter(
        WASTE, year="2024", value="64,2", source_document="Báo cáo 318/BC-STNMT"
    )
    assert site.extensions["xanh_index_updates"].wait(30)
    assert os.readlink(index / "current") != old_build
    assert engine.holds_current_fields(index)
    answer = site.test_client().get("/api/v1/search?q=318/BC-STNMT&lang=vi").get_json()
    assert [r["slug"] for r in answer["results"]][:1] == [WASTE]


def test_a_draft_stays_private_until_it_is_published(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    assert (
        lan.enter(
            WASTE, action="draft", year="2024", value="60", source_document="BC 1"
        ).status_code
        == 302
    )
    assert "60%" not in text_of(public_page(site, WASTE))
    page = lan.open(WASTE)
    assert "Drafts (not public)" in page
    assert lan.submit(page, f"indicators/{WASTE}/drafts/2024/publish").status_code == 302
    assert "60%" in text_of(public_page(site, WASTE))
    assert "Drafts (not public)" not in lan.open(WASTE)


def test_a_discarded_draft_never_reaches_the_public(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    lan.enter(WASTE, action="draft", year="2024", value="61", source_document="BC 1")
    page = lan.open(WASTE)
    assert lan.submit(page, f"indicators/{WASTE}/drafts/2024/discard").status_code == 302
    assert "61%" not in text_of(public_page(site, WASTE))
    assert "Draft discarded" in lan.client.get(lan.url("history")).get_data(as_text=True)


def test_a_correction_needs_a_reason_and_the_history_keeps_both_values(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    lan.enter(WASTE, year="2024", value="80", source_document="BC 1")
    refused = lan.enter(WASTE, year="2024", value="82", source_document="BC 2")
    assert refused.status_code == 400
    assert "Reason for the change" in text_of(refused.get_data(as_text=True))
    assert "82%" not in text_of(public_page(site, WASTE))
    fixed = lan.enter(WASTE, year="2024", value="82", source_document="BC 2", reason="Typo in BC 1")
    assert fixed.status_code == 302
    history = text_of(public_page(site, WASTE))
    assert "80% → 82%" in history
    assert "— → 80%" in history
    assert "Typo in BC 1" in history
    # The public history names no one; the editors' trail says who.
    assert "donre.example" not in history and not re.search(r"\blan\b", history)
    trail = text_of(lan.client.get(lan.url("history")).get_data(as_text=True))
    assert "lan@donre.example" in trail and "80% → 82%" in trail


def test_a_milestone_is_reported_done(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    assert (
        lan.enter(AIR, year="2024", achieved="yes", source_document="QĐ 9/QĐ-UBND").status_code
        == 302
    )
    record = site.test_client().get(f"/api/v1/indicators/{AIR}").get_json()
    assert record["status"] == "target_achieved"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "12,5,3"}, "is not a number"),
        ({"value": "abc"}, "is not a number"),
        ({"value": "120"}, "out of range"),
        ({"value": "-1"}, "out of range"),
        ({"year": "1999"}, "1999 is before this plan's first year"),
        ({"year": "2099"}, "2099 has not come yet: values can be entered up to"),
        ({"year": "24"}, "four digits"),
        ({"source_document": ""}, "Name the source document"),
        ({"source_date": "31/02/2024"}, "Write the source's date"),
    ],
)
def test_bad_values_are_refused_in_plain_language_and_nothing_is_saved(
    site: Flask, fields: dict[str, str], message: str
) -> None:
    lan = signed_in(site, "lan@donre.example")
    entry = {"year": "2024", "value": "50", "source_document": "BC 1", **fields}
    refused = lan.enter(WASTE, **entry)
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert message in text_of(page)
    # What the editor typed is still in the form.
    for value in entry.values():
        if value:
            assert f'value="{value}"' in page
    assert site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()["observations"] == []


def test_an_editor_cannot_touch_another_agencys_indicator_by_any_route(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    assert lan.client.get(lan.url(f"indicators/{FOREST}")).status_code == 403
    own = lan.open(WASTE)  # a real token and revision, sent to the wrong indicator
    fields = {"year": "2024", "value": "50", "source_document": "BC"}
    assert lan.submit(own, f"indicators/{FOREST}", action="publish", **fields).status_code == 403
    assert lan.submit(own, f"indicators/{BINH_DUONG}", action="draft", **fields).status_code == 403
    # A draft that someone in scope saved cannot be published or discarded by Lan.
    minh = signed_in(site, "minh@dard.example")
    minh.enter(FOREST, action="draft", **fields)
    for action in ("publish", "discard"):
        response = lan.submit(own, f"indicators/{FOREST}/drafts/2024/{action}")
        assert response.status_code == 403
    assert site.test_client().get(f"/api/v1/indicators/{FOREST}").get_json()["observations"] == []
    dashboard = lan.client.get(lan.url("")).get_data(as_text=True)
    assert WASTE in dashboard and FOREST not in dashboard


def test_anonymous_visitors_are_sent_to_sign_in_from_every_admin_page(site: Flask) -> None:
    client = site.test_client()
    for path in ("", "history", "import", "password", f"indicators/{WASTE}"):
        response = client.get(f"/admin/en/{path}")
        assert response.status_code == 302
        assert response.location.startswith("/admin/en/login")
    page = client.get("/admin/en/login").get_data(as_text=True)
    response = client.post(
        f"/admin/en/indicators/{WASTE}",
        data={
            "csrf_token": csrf_token(page),
            "revision": "0",
            "year": "2024",
            "value": "1",
            "source_document": "x",
            "action": "publish",
        },
    )
    assert response.status_code == 302
    assert site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()["observations"] == []


def test_every_state_changing_route_refuses_a_form_without_a_valid_token(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    posts = [
        rule
        for rule in site.url_map.iter_rules()
        if "POST" in (rule.methods or set()) and not rule.rule.startswith("/static")
    ]
    assert {r.endpoint for r in posts} >= {
        "admin.login",
        "admin.logout",
        "admin.password",
        "admin.save",
        "admin.draft_action",
        "admin.import_values",
    }
    # Residents' alert forms take no session token: the page that manages a subscription,
    # and the one-click unsubscribe of RFC 8058, hold their secret in the address itself,
    # and a forged "follow" can only ask for a confirmation email, one a day at most.
    by_address = {"site.alerts.follow", "site.alerts.manage", "alerts_one_click.unsubscribe"}
    args = {
        "lang": "en",
        "year": 2024,
        "action": "publish",
        "token": "forged",
        "post_id": 1,
        "account_id": 1,
        "secret": "forged",
    }
    for rule in posts:
        # A campaign's forms (a pledge, an editor's goal) name a campaign, not a target.
        slug = "plastic-bags" if "/campaigns/" in rule.rule else WASTE
        values = {k: v for k, v in args.items() if k in rule.arguments}
        path = rule.build({**values, "slug": slug})[1]
        if rule.endpoint in by_address:
            answer = lan.client.post(path, data={"action": "leave", "email": ""})
            assert answer.status_code in (200, 400, 404), path  # and nothing changed:
            with site.app_context():
                assert db.session.scalar(select(func.count()).select_from(Subscriber)) == 0
            continue
        for token in (None, "forged"):
            data = {"revision": "0", "year": "2024", "value": "5", "source_document": "x"}
            if token:
                data["csrf_token"] = token
            response = lan.client.post(path, data=data)
            assert response.status_code == 400, path
            # The pledge form carries its own signed token rather than the session's.
            assert re.search(
                "did not come from this (site|page)", text_of(response.get_data(as_text=True))
            )
    assert site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()["observations"] == []


def test_two_editors_saving_the_same_indicator_the_later_save_gets_a_conflict(site: Flask) -> None:
    lan = signed_in(site, "lan@donre.example")
    boss = signed_in(site, "admin@xanh.example")
    lan_page, boss_page = lan.open(WASTE), boss.open(WASTE)  # both open the form
    fields = {"year": "2024", "source_document": "BC", "action": "review"}
    sent = lan.submit(lan_page, f"indicators/{WASTE}", value="70", **fields)
    assert sent.status_code == 302 and lan.publish_reviewed(sent.location).status_code == 302
    late = boss.submit(boss_page, f"indicators/{WASTE}", value="75", **fields)
    assert late.status_code == 409
    page = late.get_data(as_text=True)
    assert "Someone else changed this indicator" in text_of(page)
    assert 'value="75"' in page  # the later entry is kept in the form, not lost
    assert "70%" in text_of(page)  # and the editor sees what is published now
    record = site.test_client().get(f"/api/v1/indicators/{WASTE}").get_json()
    assert [o["value"] for o in record["observations"]] == [70.0]


def test_sign_in_is_limited_per_account_and_per_address(site: Flask) -> None:
    attacker = Editor(site)
    for _ in range(5):
        assert "wrong" in text_of(
            attacker.sign_in("lan@donre.example", "guess").get_data(as_text=True)
        )
    blocked = attacker.sign_in("lan@donre.example", PASSWORD)  # even the right password now
    assert blocked.status_code == 429
    assert "Wait 15 minutes" in text_of(blocked.get_data(as_text=True))
    # Another account from the same address still has tries left, until the address's limit.
    other = Editor(site)
    for i in range(15):  # 5 + 15 = the 20 failures an address may have
        assert other.sign_in(f"nobody{i}@example.org", "guess").status_code == 200
    assert other.sign_in("minh@dard.example", PASSWORD).status_code == 429


def test_the_session_cookie_is_secure_httponly_samesite_and_limited_to_admin(site: Flask) -> None:
    editor = Editor(site)
    response = editor.sign_in("lan@donre.example")
    cookies = response.headers.getlist("Set-Cookie")
    cookie = next(c for c in cookies if c.startswith("xanh_session="))
    for flag in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/admin/"):
        assert flag in cookie


def test_a_new_password_signs_the_account_out_everywhere_else(site: Flask) -> None:
    phone, laptop = signed_in(site, "lan@donre.example"), signed_in(site, "lan@donre.example")
    page = laptop.client.get(laptop.url("password")).get_data(as_text=True)
    new = "another long passphrase 7"
    changed = laptop.submit(page, "password", current=PASSWORD, new=new, repeat=new)
    assert changed.status_code == 302
    assert laptop.client.get(laptop.url("")).status_code == 200
    assert phone.client.get(phone.url("")).status_code == 302  # back to sign-in
    assert Editor(site).sign_in("lan@donre.example", PASSWORD).status_code == 200  # old one fails
    assert Editor(site).sign_in("lan@donre.example", new).status_code == 302


def test_accounts_have_no_default_password_and_weak_ones_are_refused(site: Flask) -> None:
    runner = site.test_cli_runner()
    weak = runner.invoke(
        args=[
            "accounts",
            "create",
            "x@y.example",
            "--name",
            "X",
            "--agency",
            "bac-giang-dpi",
            "--password-stdin",
        ],
        input="short\n",
    )
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    no_scope = runner.invoke(
        args=["accounts", "create", "x@y.example", "--name", "X", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert no_scope.exit_code != 0 and "needs at least one" in no_scope.output
    assert Editor(site).sign_in("x@y.example", "").status_code == 200


@pytest.mark.parametrize(
    "target",
    ["/admin/en/\r\nSet-Cookie: x=1", "/admin/en/\x00", "//evil.example"],
)
def test_a_sign_in_sent_on_with_a_broken_or_foreign_next_lands_on_the_dashboard(
    site: Flask, target: str
) -> None:
    """Issue 17: CR/LF in next= made the redirect a 500."""
    editor = Editor(site, "en")
    page = editor.client.get(editor.url("login")).get_data(as_text=True)
    signed = editor.client.post(
        editor.url("login"),
        query_string={"next": target},
        data={"csrf_token": csrf_token(page), "email": "lan@donre.example", "password": PASSWORD},
    )
    assert signed.status_code == 302
    assert signed.headers["Location"].endswith("/admin/en/")
    assert "\r" not in signed.headers["Location"] and "\n" not in signed.headers["Location"]


def test_signing_out_ends_the_session_on_the_server(site: Flask) -> None:
    """Issue 17: a copy of the session cookie kept working after sign-out."""
    lan = signed_in(site, "lan@donre.example")
    cookie = lan.client.get_cookie("xanh_session", path="/admin/")
    assert cookie is not None
    page = lan.client.get(lan.url("")).get_data(as_text=True)
    signed_out = lan.client.post(lan.url("logout"), data={"csrf_token": csrf_token(page)})
    assert signed_out.status_code == 302
    thief = site.test_client()
    thief.set_cookie(cookie.key, cookie.value, path="/admin/")
    replayed = thief.get(lan.url(""))
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]


def test_guessing_from_elsewhere_does_not_lock_the_editor_out_of_their_own_address(
    site: Flask,
) -> None:
    """Issue 17: the limit was per account, so anyone could lock a known editor out."""
    attacker = Editor(site)
    attacker.client.environ_base["REMOTE_ADDR"] = "198.51.100.66"
    for _ in range(5):
        assert attacker.sign_in("lan@donre.example", "guess").status_code == 200
    assert attacker.sign_in("lan@donre.example", "guess").status_code == 429
    lan = Editor(site)
    lan.client.environ_base["REMOTE_ADDR"] = "203.0.113.20"
    assert lan.sign_in("lan@donre.example").status_code == 302


def test_the_current_password_check_is_limited_too(site: Flask) -> None:
    """Issue 17: a stolen session could guess the current password without limit."""
    lan = signed_in(site, "lan@donre.example")

    def change(current: str) -> int:
        page = lan.client.get(lan.url("password")).get_data(as_text=True)
        form = {"csrf_token": csrf_token(page), "current": current}
        form |= {"new": "another long passphrase 7", "repeat": "another long passphrase 7"}
        return lan.client.post(lan.url("password"), data=form).status_code

    assert [change("guess") for _ in range(5)] == [400] * 5
    refused = lan.client.get(lan.url("password"))  # the page itself still opens
    assert refused.status_code == 200
    assert change(PASSWORD) == 429  # even the right one, until the window has passed


def test_a_forwarded_for_header_does_not_carry_a_session_to_another_address(site: Flask) -> None:
    """Issue 17: the session's address binding read X-Forwarded-For even with no proxy
    trusted, so a stolen cookie worked from anywhere by claiming the editor's address."""
    lan = Editor(site)
    lan.client.environ_base["REMOTE_ADDR"] = "203.0.113.20"
    lan.sign_in("lan@donre.example")
    assert lan.client.get(lan.url("")).status_code == 200
    thief = lan.client  # the same cookie, now sent from another address
    thief.environ_base["REMOTE_ADDR"] = "198.51.100.66"
    thief.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.20"
    answer = thief.get(lan.url(""))
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
