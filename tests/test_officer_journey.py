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
from tests.mailbox import Mailbox, smtp_server
from tests.serving import flask_command, free_port, gunicorn_site
from tests.test_admin import WASTE

pytestmark = pytest.mark.browser
ADMIN = "admin@xanh.example"
NEW_PASSWORD = "một câu dài để nhớ mật khẩu 2026"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("officers")
    port = free_port()
    with smtp_server(folder / "mail") as mail:
        base = f"http://127.0.0.1:{port}"
        env = {
            "XANH_PUBLIC_URL": base,
            "SMTP_URL": mail.url,
            "XANH_SECURE_COOKIES": "0",  # plain HTTP on a test machine, as the README says
        }
        url, index = f"sqlite:///{folder / 'xanh.db'}", folder / "index"
        with gunicorn_site(url, index, port=port, **env) as served:
            account = ("accounts", "create", ADMIN, "--name", "Quản trị", "--role", "admin")
            done = flask_command(
                url, index, *account, "--password-stdin", stdin=PASSWORD + "\n", env=env
            )
            assert done.returncode == 0, done.stderr
            yield {"base": served, "mail": mail, "url": url, "index": index, "env": env}


def send_mail(world: dict) -> None:
    done = flask_command(world["url"], world["index"], "alerts", "send", env=world["env"])
    assert done.returncode == 0, done.stdout + done.stderr


def link_to(mail: Mailbox, to: str, path: str) -> str:
    message = [m for m in mail.messages() if m["To"] == to][-1]
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(rf"http://\S+/admin/vi/{path}/\S+", text)
    assert found, text
    return found.group(0)


def sign_in(page, base: str, email: str, password: str = PASSWORD) -> None:  # noqa: ANN001
    page.goto(f"{base}/admin/vi/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.get_by_role("button", name="Đăng nhập").click()


def invite(page, base: str, email: str, name: str) -> None:  # noqa: ANN001
    page.goto(f"{base}/admin/vi/accounts/")
    page.fill("#email", email)
    page.fill("#name", name)
    page.locator("summary", has_text="Bắc Giang").click()
    page.locator("input[value='bac-giang-donre']").check()
    page.get_by_role("button", name="Gửi lời mời").click()
    assert "Đã mời" in page.locator(".notice").inner_text()


def test_an_officer_from_invitation_to_a_published_value_then_a_correction_and_a_reset(
    world: dict, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base, mail = world["base"], world["mail"]
    visited: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)

        def phone():  # noqa: ANN202
            return browser.new_context(
                viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
            ).new_page()

        boss = phone()
        sign_in(boss, base, ADMIN)
        invite(boss, base, "lan@stnmt.example", "Lan")
        invite(boss, base, "minh@stnmt.example", "Minh")
        visited.append(boss.url)
        send_mail(world)

        # Lan accepts: she chooses her password and is signed in.
        lan = phone()
        welcome = link_to(mail, "lan@stnmt.example", "welcome")
        lan.goto(welcome)
        lan.fill("#new", PASSWORD)
        lan.fill("#repeat", PASSWORD)
        lan.get_by_role("button", name="Lưu và đăng nhập").click()
        assert "Đã đặt mật khẩu" in lan.locator("main").inner_text()

        # Two mistakes, both shown beside their fields at once.
        lan.goto(f"{base}/admin/vi/indicators/{WASTE}")
        lan.select_option("#year", "2024")
        lan.fill("#value", "bảy mươi")
        lan.fill("#source_document", "")
        lan.get_by_role("button", name="Xem lại trước khi công bố").click()
        assert lan.locator("#value-error").is_visible()
        assert lan.locator("#source_document-error").is_visible()
        assert lan.locator(".error-summary li").count() == 2
        lan.fill("#value", "70,5")
        lan.fill("#source_document", "Báo cáo 12/BC-STNMT")
        lan.get_by_role("button", name="Xem lại trước khi công bố").click()
        assert "70,5%" in lan.locator("main").inner_text()
        lan.get_by_role("button", name="Công bố", exact=True).click()
        assert "Đã công bố giá trị năm 2024" in lan.locator(".notice").inner_text()

        # Minh corrects it from the form filled in with what is published.
        minh = phone()
        minh.goto(link_to(mail, "minh@stnmt.example", "welcome"))
        minh.fill("#new", PASSWORD)
        minh.fill("#repeat", PASSWORD)
        minh.get_by_role("button", name="Lưu và đăng nhập").click()
        minh.goto(f"{base}/admin/vi/indicators/{WASTE}")
        minh.locator("a[href*='correct=2024']").click()
        assert minh.locator("#value").input_value() == "70,5"
        assert minh.locator("#source_document").input_value() == "Báo cáo 12/BC-STNMT"
        minh.fill("#value", "71,5")
        minh.fill("#reason", "Sở đã sửa số liệu trong báo cáo bổ sung")
        minh.get_by_role("button", name="Xem lại trước khi công bố").click()
        minh.get_by_role("button", name="Công bố", exact=True).click()
        minh.wait_for_timeout(1100)  # every worker sees the new data version
        minh.goto(f"{base}/vi/indicators/{WASTE}/")
        assert "71,5%" in minh.locator(".headline").inner_text()

        # Lan forgot her password: a link by email sets a new one.
        forgetful = phone()
        forgetful.goto(f"{base}/admin/vi/login")
        forgetful.get_by_role("link", name="Quên mật khẩu?").click()
        visited.append(forgetful.url)
        forgetful.fill("#email", "lan@stnmt.example")
        forgetful.get_by_role("button", name="Gửi đường dẫn cho tôi").click()
        send_mail(world)
        reset = link_to(mail, "lan@stnmt.example", "reset")
        forgetful.goto(reset)
        forgetful.fill("#new", NEW_PASSWORD)
        forgetful.fill("#repeat", NEW_PASSWORD)
        forgetful.get_by_role("button", name="Lưu và đăng nhập").click()
        assert "Đã đặt mật khẩu" in forgetful.locator("main").inner_text()
        forgetful.goto(reset)
        assert "không còn dùng được" in forgetful.locator("h1").inner_text()

        # Every page of the journey passes axe-core.
        from tests.axe import violations

        checker = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
        checked = checker.new_page()
        sign_in(checked, base, ADMIN)
        pages = [
            *visited,
            f"{base}/admin/vi/accounts/1",
            f"{base}/admin/vi/plans/",
            f"{base}/admin/vi/indicators/{WASTE}?correct=2024",
            reset,  # the page that says a link no longer works
        ]
        for url in pages:
            checked.goto(url)
            assert violations(checked) == [], url
        checked.goto(f"{base}/admin/vi/indicators/{WASTE}")
        checked.fill("#value", "x")
        checked.get_by_role("button", name="Xem lại trước khi công bố").click()
        assert violations(checked) == [], "the form with its mistakes"
        checked.fill("#value", "72")
        checked.fill("#source_document", "Báo cáo 13/BC-STNMT")
        checked.fill("#reason", "Kiểm tra")
        checked.get_by_role("button", name="Xem lại trước khi công bố").click()
        assert "/review/" in checked.url
        assert violations(checked) == [], "the review"
        checker.close()
        browser.close()
