"""Residents pledge on a campaign page: one form, counts in public, honest under abuse.

Runs on SQLite and on the real PostgreSQL server (the `site` fixture).
"""

from __future__ import annotations

import re
import time
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.test import TestResponse

from app.content.loader import load_content
from app.content.reader import ContentError
from tests.admin_helpers import Editor
from tests.factories import write_content

BAGS = "plastic-bags"
MESSAGES = {
    "counted": {
        "vi": "Cảm ơn bạn: cam kết đã được ghi nhận",
        "en": "Thank you: your pledge is counted",
    },
    "twice": {"vi": "Biểu mẫu này đã được gửi", "en": "This form was sent already"},
    "honeypot": {"vi": "một ô lẽ ra để trống", "en": "a field meant to stay empty"},
    "fast": {"vi": "nhanh hơn", "en": "quicker than a person"},
    "no_action": {"vi": "Hãy chọn ít nhất một việc", "en": "Choose at least one action"},
    "network": {"vi": "từ mạng của bạn", "en": "from your network"},
    "browser": {"vi": "Trình duyệt này", "en": "This browser"},
}


def quick(app: Flask, **limits: int) -> Flask:
    """A person who fills in the form at once (tests that are not about fill time)."""
    app.config["PLEDGE_MIN_SECONDS"] = 0
    app.config["PLEDGE_LIMITS"] = {**app.config["PLEDGE_LIMITS"], **limits}
    return app


def open_form(client: FlaskClient, lang: str, query: str = "", slug: str = BAGS) -> str:
    response = client.get(f"/{lang}/campaigns/{slug}/pledge{query}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    return response.get_data(as_text=True)


def token_of(page: str) -> str:
    found = re.search(r'name="form" value="([^"]+)"', page)
    assert found, "the form has no token"
    return found.group(1)


def send(
    client: FlaskClient, lang: str, token: str, slug: str = BAGS, **fields: str | list[str]
) -> TestResponse:
    data = {"form": token, "action": ["bring-a-bag"], **fields}
    return client.post(f"/{lang}/campaigns/{slug}/pledges", data=data)


def pledge(client: FlaskClient, lang: str, **fields: str | list[str]) -> TestResponse:
    return send(client, lang, token_of(open_form(client, lang)), **fields)


def count(client: FlaskClient, slug: str = BAGS) -> dict:
    return client.get(f"/api/v1/campaigns/{slug}/pledges").get_json()


def alert(page: str) -> str:
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', page, re.S)
    assert found, "no message on the page"
    return unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_a_resident_pledges_and_sees_the_count_move(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    page = reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True)
    assert f"/{lang}/campaigns/{BAGS}/pledge?action=refuse-a-bag" in page
    form = open_form(reader, lang, "?action=refuse-a-bag")
    # The action the reader tapped is ticked already; nothing else is.
    assert re.findall(r'value="([a-z-]+)" checked', form) == ["refuse-a-bag"]
    answer = send(
        reader, lang, token_of(form), action=["refuse-a-bag", "sort-plastic"], province="hai-phong"
    )
    assert answer.status_code == 303
    receipt = reader.get(answer.headers["Location"])
    text = receipt.get_data(as_text=True)
    assert receipt.status_code == 200 and receipt.headers["Cache-Control"] == "no-store"
    assert MESSAGES["counted"][lang] in text
    assert ("1 người đã cam kết" if lang == "vi" else "1 person has pledged") in text

    numbers = count(reader)
    assert numbers["people"] == 1
    by_action = {a["key"]: a["people"] for a in numbers["actions"]}
    assert by_action == {
        "bring-a-bag": 0,
        "refuse-a-bag": 1,
        "reuse-bags": 0,
        "sort-plastic": 1,
        "bag-free-shops": 0,
        "green-weeks": 0,
    }
    assert {p["slug"]: p["people"] for p in numbers["provinces"]}["hai-phong"] == 1
    assert numbers["province_not_given"] == 0
    # The campaign page, the campaign list and the home page, cached as they are, move too.
    page = reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True)
    assert ("1 người đã cam kết" if lang == "vi" else "1 person has pledged") in page
    for path in (f"/{lang}/campaigns/", f"/{lang}/"):
        assert ("1 người đã cam kết" if lang == "vi" else "1 person has pledged") in reader.get(
            path
        ).get_data(as_text=True)


def test_a_double_tap_counts_once_and_says_so(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    token = token_of(open_form(reader, lang))
    assert send(reader, lang, token).status_code == 303
    again = send(reader, lang, token, action=["green-weeks"])
    assert again.status_code == 409
    assert MESSAGES["twice"][lang] in alert(again.get_data(as_text=True))
    # The answer is a fresh form, so the reader can pledge for someone else.
    assert token_of(again.get_data(as_text=True)) != token
    assert count(reader)["people"] == 1


def test_a_form_filled_by_a_program_is_refused_and_not_counted(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    answer = pledge(reader, lang, website="http://spam.example")
    assert answer.status_code == 400
    assert MESSAGES["honeypot"][lang] in alert(answer.get_data(as_text=True))
    assert count(reader)["people"] == 0


def test_a_form_sent_back_faster_than_a_person_reads_it_is_refused(site: Flask, lang: str) -> None:
    site.config["PLEDGE_MIN_SECONDS"] = 2
    reader = site.test_client()
    form = open_form(reader, lang)
    answer = send(reader, lang, token_of(form), action=["reuse-bags"], place="Phường Lê Chân")
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert MESSAGES["fast"][lang] in alert(page)
    # The reader's choices are kept in the fresh form.
    assert re.findall(r'value="([a-z-]+)" checked', page) == ["reuse-bags"]
    assert 'value="Phường Lê Chân"' in page
    assert count(reader)["people"] == 0
    time.sleep(2.1)
    assert send(reader, lang, token_of(page), action=["reuse-bags"]).status_code == 303
    assert count(reader)["people"] == 1


def test_forged_stale_and_borrowed_forms_are_refused(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    token = token_of(open_form(reader, lang))
    changed = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    assert send(reader, lang, changed).status_code == 400
    cycling = token_of(open_form(reader, lang, slug="cycling"))
    borrowed = send(reader, lang, cycling)
    assert borrowed.status_code == 400

    class Yesterday(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - 7 * 3600

    old = URLSafeTimedSerializer(
        site.config["SECRET_KEY"], salt="pledge-form", signer=Yesterday
    ).dumps({"c": BAGS, "n": "x" * 24, "t": time.time() - 7 * 3600})
    stale = send(reader, lang, old, action=["green-weeks"])
    assert stale.status_code == 400
    assert re.findall(r'value="([a-z-]+)" checked', stale.get_data(as_text=True)) == ["green-weeks"]
    assert count(reader)["people"] == 0


def test_wrong_choices_get_a_clear_answer(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    none = pledge(reader, lang, action=[])
    assert none.status_code == 400
    assert MESSAGES["no_action"][lang] in alert(none.get_data(as_text=True))
    for fields in (
        {"action": ["fly-less"]},
        {"province": "atlantis"},
        {"place": "x" * 101},
    ):
        answer = pledge(reader, lang, **fields)
        assert answer.status_code == 400, fields
        assert "Traceback" not in answer.get_data(as_text=True)
    assert reader.get(f"/{lang}/campaigns/nowhere/pledge").status_code == 404
    assert reader.post(f"/{lang}/campaigns/nowhere/pledge").status_code == 404
    assert reader.get(f"/{lang}/campaigns/{BAGS}/pledged/not-a-receipt").status_code == 404
    assert count(reader)["people"] == 0


def test_one_network_and_one_browser_can_send_only_so_many(site: Flask, lang: str) -> None:
    quick(site, **{"address-hour": 3, "browser-hour": 2})
    phone = site.test_client()
    assert [pledge(phone, lang).status_code for _ in range(3)] == [303, 303, 429]
    refused = pledge(phone, lang)
    assert refused.status_code == 429
    assert MESSAGES["browser"][lang] in alert(refused.get_data(as_text=True))
    assert int(refused.headers["Retry-After"]) > 0
    # A second phone on the same network: one more, then the network's limit (refused
    # pledges did not use any of it up).
    other = site.test_client()
    assert pledge(other, lang).status_code == 303
    refused = pledge(other, lang)
    assert refused.status_code == 429
    assert MESSAGES["network"][lang] in alert(refused.get_data(as_text=True))
    assert count(other)["people"] == 3


def test_an_editor_removes_a_burst_and_the_public_count_says_so(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    for _ in range(3):
        assert pledge(reader, lang).status_code == 303
    editor = Editor(site, lang)
    editor.sign_in("lan@donre.example")
    page = editor.client.get(editor.url(f"campaigns/{BAGS}")).get_data(as_text=True)
    # This hour's three pledges, counted.
    assert re.search(r'<td class="num">3</td><td class="num">0</td>', page)
    bad = editor.submit(page, f"campaigns/{BAGS}/void", start="", end="", reason="automated")
    assert bad.status_code == 400 and count(reader)["people"] == 3
    done = editor.submit(
        page,
        f"campaigns/{BAGS}/void",
        start="2000-01-01T00:00",
        end="2100-01-01T00:00",
        reason="automated",
        note="all from one script",
    )
    assert done.status_code == 302
    numbers = count(reader)
    assert numbers["people"] == 0
    assert [(r["count"], r["reason"]) for r in numbers["removed"]] == [(3, "automated")]
    public = reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True)
    said = (
        "3 cam kết bị loại vì do máy gửi tự động"
        if lang == "vi"
        else "3 pledges removed as automated"
    )
    assert said in unescape(public)
    assert "all from one script" not in public  # the editors' note stays with the editors


def test_an_editor_sets_a_goal_that_readers_see(site: Flask, lang: str) -> None:
    quick(site)
    editor = Editor(site, lang)
    editor.sign_in("lan@donre.example")
    page = editor.client.get(editor.url(f"campaigns/{BAGS}")).get_data(as_text=True)
    wrong = editor.submit(page, f"campaigns/{BAGS}/goal", people="a thousand")
    assert wrong.status_code == 400
    assert 'id="people-error"' in wrong.get_data(as_text=True)
    saved = editor.submit(
        page,
        f"campaigns/{BAGS}/goal",
        people="1000",
        by="2027-06-05",
        label_vi="Tuần lễ xanh",
        label_en="Green Week",
    )
    assert saved.status_code == 302
    reader = site.test_client()
    assert pledge(reader, lang).status_code == 303
    goal = count(reader)["goal"]
    assert goal == {
        "people": 1000,
        "by": "2027-06-05",
        "label": {"vi": "Tuần lễ xanh", "en": "Green Week"},
    }
    page = unescape(reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True))
    if lang == "en":
        assert "Goal: 1,000 people by 5 June 2027 (Green Week)" in page
        assert "1 of 1,000 so far" in page
    else:
        assert "Mục tiêu: 1.000 người trước ngày 05/6/2027 (Tuần lễ xanh)" in page
        assert "Đến nay: 1 trên 1.000 người" in page
    home = unescape(reader.get(f"/{lang}/").get_data(as_text=True))
    assert ("Mục tiêu: 1.000 người" if lang == "vi" else "Goal: 1,000 people") in home
    widget = reader.get(f"/embed/{lang}/campaigns/{BAGS}").get_data(as_text=True)
    assert "1.000" in widget or "1,000" in widget


def test_the_pledge_counter_widget_shows_the_live_count(site: Flask, lang: str) -> None:
    quick(site)
    reader = site.test_client()
    path = f"/embed/{lang}/campaigns/{BAGS}"
    before = reader.get(path)
    assert before.status_code == 200
    assert "frame-ancestors *" in before.headers["Content-Security-Policy"]  # any site may embed it
    assert pledge(reader, lang).status_code == 303
    after = reader.get(path).get_data(as_text=True)
    assert ("1 người đã cam kết" if lang == "vi" else "1 person has pledged") in after


def test_the_privacy_page_says_what_a_pledge_keeps(client: FlaskClient, lang: str) -> None:
    home = client.get(f"/{lang}/").get_data(as_text=True)
    assert f'href="/{lang}/privacy/"' in home
    page = client.get(f"/{lang}/privacy/").get_data(as_text=True)
    assert "xanh_pledger" in page
    # Logs keep the reader's network, not the address.
    assert ("mạng của bạn" if lang == "vi" else "only your network") in page


def test_rewording_an_action_keeps_its_pledges_and_keys_must_match(
    empty_app: Flask, tmp_path
) -> None:
    content = tmp_path / "content"
    write_content(content)
    load_content(content)
    quick(empty_app)
    reader = empty_app.test_client()
    page = reader.get("/vi/campaigns/test-campaign/pledge").get_data(as_text=True)
    answer = send(reader, "vi", token_of(page), slug="test-campaign", action=["step-two"])
    assert answer.status_code == 303
    vi = content / "campaigns/test-campaign/vi.md"
    vi.write_text(vi.read_text().replace("Việc hai", "Việc thứ hai (viết lại)"))
    load_content(content)
    numbers = count(reader, "test-campaign")
    assert [(a["key"], a["text"]["vi"], a["people"]) for a in numbers["actions"]] == [
        ("step-one", "Việc một", 0),
        ("step-two", "Việc thứ hai (viết lại)", 1),
    ]
    yaml = content / "campaigns/test-campaign/campaign.yaml"
    yaml.write_text(yaml.read_text().replace("[step-one, step-two]", "[step-one]"))
    with pytest.raises(ContentError, match="lists 2 actions; campaign.yaml names 1"):
        load_content(content)


def test_pledge_form_is_usable_and_explains_the_protection(client: FlaskClient, lang: str) -> None:
    page = open_form(client, lang)
    assert 'method="post"' in page and "<script" not in page.split("<main")[1].split("</main>")[0]
    # Every field has its label; the trap field is out of reach for people.
    for name in ("province", "place"):
        assert f'<label for="{name}">' in page
    assert 'aria-hidden="true"><label for="website">' in page and 'tabindex="-1"' in page
    assert "<details" in page


def test_an_editors_campaign_update_is_on_the_page_and_in_its_feed(site: Flask, lang: str) -> None:
    editor = Editor(site, lang)
    editor.sign_in("lan@donre.example")
    page = editor.client.get(editor.url(f"campaigns/{BAGS}")).get_data(as_text=True)
    missing = editor.submit(page, f"campaigns/{BAGS}/posts", post_title_vi="Chỉ có tiêu đề")
    assert missing.status_code == 400 and 'id="post_text_vi-error"' in missing.get_data(
        as_text=True
    )
    done = editor.submit(
        page,
        f"campaigns/{BAGS}/posts",
        post_title_vi="Tuần lễ xanh tháng Mười Hai",
        post_text_vi="Mang **túi vải** tới chợ.<script>alert(1)</script>",
        post_title_en="December green week",
        post_text_en="Bring a **cloth bag** to the market.<script>alert(1)</script>",
        event_day="2026-12-12",
        event_place="Chợ Thương, Bắc Giang",
    )
    assert done.status_code == 302
    reader = site.test_client()
    public = reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True)
    title, strong = (
        ("Tuần lễ xanh tháng Mười Hai", "<strong>túi vải</strong>")
        if lang == "vi"
        else ("December green week", "<strong>cloth bag</strong>")
    )
    assert title in public and strong in public and "Chợ Thương, Bắc Giang" in public
    assert "<script>alert" not in public
    feed = reader.get(f"/{lang}/campaigns/{BAGS}/feed.atom")
    assert feed.status_code == 200
    root = ET.fromstring(feed.data)
    entries = root.findall("{http://www.w3.org/2005/Atom}entry")
    assert any(e.findtext("{http://www.w3.org/2005/Atom}title") == title for e in entries)
    # Taken down, it leaves the page.
    page = editor.client.get(editor.url(f"campaigns/{BAGS}")).get_data(as_text=True)
    post_id = re.search(r"/posts/(\d+)/delete", page).group(1)  # type: ignore[union-attr]
    assert editor.submit(page, f"campaigns/{BAGS}/posts/{post_id}/delete").status_code == 302
    assert title not in reader.get(f"/{lang}/campaigns/{BAGS}/").get_data(as_text=True)


def test_the_addresses_interface_md_names_and_the_first_ones_both_work(
    site: Flask, lang: str
) -> None:
    """The form posts to POST /<lang>/campaigns/<slug>/pledges and the counter is at
    /embed/<lang>/campaigns/<slug>; a form served before from …/pledge, and a page
    embedding …/pledges, keep working."""
    quick(site)
    reader = site.test_client()
    page = open_form(reader, lang)
    assert f'action="/{lang}/campaigns/{BAGS}/pledges"' in page
    assert send(reader, lang, token_of(page)).status_code == 303
    earlier = {"form": token_of(open_form(reader, lang)), "action": ["bring-a-bag"]}
    answer = reader.post(f"/{lang}/campaigns/{BAGS}/pledge", data=earlier)
    assert answer.status_code == 303 and f"/{lang}/campaigns/{BAGS}/pledged/" in answer.location
    assert count(reader)["people"] == 2
    for path in (f"/embed/{lang}/campaigns/{BAGS}", f"/embed/{lang}/campaigns/{BAGS}/pledges"):
        widget = reader.get(path)
        assert (
            widget.status_code == 200
            and "frame-ancestors *" in widget.headers["Content-Security-Policy"]
        )
        assert re.search(r">\s*2\s*<", widget.get_data(as_text=True)), path
