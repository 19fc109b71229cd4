"""Officers on a phone with JavaScript off: an administrator invites one, who sets a
password from the email, enters a value with two mistakes and sees both beside their
fields, fixes them, reviews and publishes; a second officer corrects it from the filled-in
form; a forgotten password is reset by email. Every page passes axe-core.

The real parts: gunicorn, headless Chromium, `flask alerts send` as cron runs it, and an
SMTP server (aiosmtpd) in its own process.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.admin_helpers import PASSWORD
from tests.chromium import CHROMIUM_FLAGS, chromium_path
from tests.mailbox import Mailbox, send_alerts, site_with_mail
from tests.test_admin import WASTE

pytestmark = pytest.mark.browser
ADMIN = "admin@xanh.example"
NEW_PASSWORD = "một câu dài để nhớ mật khẩu 2026"


@pytest.fixture
def world(tmp_path: Path) -> Iterator[dict]:
    with site_with_mail(tmp_path, (ADMIN, "--name", "Quản trị", "--role", "admin")) as world:
        yield world


WORDS = {
    "vi": {
        "sign in": "Đăng nhập",
        "invite": "Gửi lời mời",
        "invited": "Đã mời",
        "province": "Bắc Giang",
        "save": "Lưu và đăng nhập",
        "saved": "Đã đặt mật khẩu",
        "review": "Xem lại trước khi công bố",
        "publish": "Công bố",
        "published": "Đã công bố giá trị năm 2024",
        "forgot": "Quên mật khẩu?",
        "send link": "Gửi đường dẫn cho tôi",
        "dead": "không còn dùng được",
        "reason": "Sở đã sửa số liệu trong báo cáo bổ sung",
        "decimal": ",",
    },
    "en": {
        "sign in": "Sign in",
        "invite": "Send the invitation",
        "invited": "is invited",
        "province": "Bac Giang",
        "save": "Save and sign in",
        "saved": "Your password is set",
        "review": "Review before publishing",
        "publish": "Publish",
        "published": "The value for 2024 is published",
        "forgot": "Forgot your password?",
        "send link": "Send me a link",
        "dead": "no longer works",
        "reason": "The department corrected its figure in a later report",
        "decimal": ".",
    },
}


def link_to(mail: Mailbox, to: str, path: str, lang: str) -> str:
    message = [m for m in mail.messages() if m["To"] == to][-1]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(rf"http://\S+/admin/{lang}/{path}/\S+", text)
    assert found, text
    return found.group(0)


def sign_in(page, base: str, email: str, lang: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/admin/{lang}/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name=WORDS[lang]["sign in"]).click()


def invite(page, base: str, email: str, name: str, lang: str) -> None:  # noqa: ANN001
    words = WORDS[lang]
    page.goto(f"{base}/admin/{lang}/accounts/")
    page.fill("#email", email)
    page.fill("#name", name)
    page.locator("summary", has_text=words["province"]).click()
    page.locator("input[value='bac-giang-donre']").check()
    page.get_by_role("button", name=words["invite"]).click()
    assert words["invited"] in page.locator(".notice").inner_text()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_an_officer_from_invitation_to_a_published_value_then_a_correction_and_a_reset(
    world: dict, lang: str
) -> None:
    from playwright.sync_api import sync_playwright

    base, mail, words = world["base"], world["mail"], WORDS[lang]
    comma = words["decimal"]
    visited: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)

        def phone():  # noqa: ANN202
            return browser.new_context(
                viewport={"width": 360, "height": 740},
                java_script_enabled=False,
                locale="vi-VN" if lang == "vi" else "en-GB",
            ).new_page()

        boss = phone()
        sign_in(boss, base, ADMIN, lang)
        invite(boss, base, "lan@stnmt.example", "Lan", lang)
        invite(boss, base, "minh@stnmt.example", "Minh", lang)
        visited.append(boss.url)
        send_alerts(world)

        # Lan accepts: she chooses her password and is signed in.
        lan = phone()
        welcome = link_to(mail, "lan@stnmt.example", "welcome", lang)
        lan.goto(welcome)
        lan.fill("#new", PASSWORD)
        lan.fill("#repeat", PASSWORD)
        lan.get_by_role("button", name=words["save"]).click()
        assert words["saved"] in lan.locator("main").inner_text()

        # Two mistakes, both shown beside their fields at once.
        lan.goto(f"{base}/admin/{lang}/indicators/{WASTE}")
        lan.select_option("#year", "2024")
        lan.fill("#value", "bảy mươi")
        lan.fill("#source_document", "")
        lan.get_by_role("button", name=words["review"]).click()
        assert lan.locator("#value-error").is_visible()
        assert lan.locator("#source_document-error").is_visible()
        assert lan.locator(".error-summary li").count() == 2
        lan.fill("#value", f"70{comma}5")
        lan.fill("#source_document", "Báo cáo 12/BC-STNMT")
        lan.get_by_role("button", name=words["review"]).click()
        assert f"70{comma}5%" in lan.locator("main").inner_text()
        lan.get_by_role("button", name=words["publish"], exact=True).click()
        assert words["published"] in lan.locator(".notice").inner_text()

        # Minh corrects it from the form filled in with what is published.
        minh = phone()
        minh.goto(link_to(mail, "minh@stnmt.example", "welcome", lang))
        minh.fill("#new", PASSWORD)
        minh.fill("#repeat", PASSWORD)
        minh.get_by_role("button", name=words["save"]).click()
        minh.goto(f"{base}/admin/{lang}/indicators/{WASTE}")
        minh.locator("a[href*='correct=2024']").click()
        assert minh.locator("#value").input_value() == f"70{comma}5"
        assert minh.locator("#source_document").input_value() == "Báo cáo 12/BC-STNMT"
        minh.fill("#value", f"71{comma}5")
        minh.fill("#reason", words["reason"])
        minh.get_by_role("button", name=words["review"]).click()
        minh.get_by_role("button", name=words["publish"], exact=True).click()
        minh.wait_for_timeout(1100)  # every worker sees the new data version
        minh.goto(f"{base}/{lang}/indicators/{WASTE}/")
        assert f"71{comma}5%" in minh.locator(".headline").inner_text()

        # Lan forgot her password: a link by email sets a new one.
        forgetful = phone()
        forgetful.goto(f"{base}/admin/{lang}/login")
        forgetful.get_by_role("link", name=words["forgot"]).click()
        visited.append(forgetful.url)
        forgetful.fill("#email", "lan@stnmt.example")
        forgetful.get_by_role("button", name=words["send link"]).click()
        send_alerts(world)
        reset = link_to(mail, "lan@stnmt.example", "reset", lang)
        forgetful.goto(reset)
        forgetful.fill("#new", NEW_PASSWORD)
        forgetful.fill("#repeat", NEW_PASSWORD)
        forgetful.get_by_role("button", name=words["save"]).click()
        assert words["saved"] in forgetful.locator("main").inner_text()
        forgetful.goto(reset)
        assert words["dead"] in forgetful.locator("h1").inner_text()

        # Every page of the journey passes axe-core.
        from tests.axe import violations

        checker = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
        checked = checker.new_page()
        sign_in(checked, base, ADMIN, lang)
        pages = [
            *visited,
            f"{base}/admin/{lang}/accounts/1",
            f"{base}/admin/{lang}/plans/",
            f"{base}/admin/{lang}/indicators/{WASTE}?correct=2024",
            reset,  # the page that says a link no longer works
        ]
        for url in pages:
            checked.goto(url)
            assert violations(checked) == [], url
        checked.goto(f"{base}/admin/{lang}/indicators/{WASTE}")
        checked.fill("#value", "x")
        checked.get_by_role("button", name=words["review"]).click()
        assert violations(checked) == [], "the form with its mistakes"
        checked.fill("#value", "72")
        checked.fill("#source_document", "Báo cáo 13/BC-STNMT")
        checked.fill("#reason", "Kiểm tra")
        checked.get_by_role("button", name=words["review"]).click()
        assert "/review/" in checked.url
        assert violations(checked) == [], "the review"
        checker.close()
        browser.close()
