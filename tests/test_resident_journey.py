"""A resident on a phone with JavaScript off: pledges on the plastic-bag campaign, sees the
count move, follows the province by email, confirms from the message received, gets the
digest after an editor publishes a value, and leaves in one click.

The real parts: gunicorn with its workers, headless Chromium, `flask alerts send` as cron
runs it, and an SMTP server (aiosmtpd) in its own process.
"""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM_FLAGS, chromium_path
from tests.mailbox import send_alerts, site_with_mail
from tests.test_admin import WASTE
from tests.test_concurrent_editors import Browser, field

pytestmark = pytest.mark.browser
EDITOR = "lan@donre.example"
RESIDENT = "hoa.tran@example.vn"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("journey")
    account = (EDITOR, "--name", "Lan", "--agency", "bac-giang-donre")
    quick = {"XANH_ALERTS_SETTLE_SECONDS": "0", "XANH_PLEDGE_MIN_SECONDS": "1"}
    with site_with_mail(folder, account, **quick) as world:
        yield world


def received(world: dict) -> list[email.message.EmailMessage]:
    return world["mail"].messages()


def link_in(message: email.message.EmailMessage, base: str) -> str:
    text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    found = re.search(rf"{re.escape(base)}/vi/follow/\S+", text)
    assert found, text
    return found.group(0)


def test_a_resident_pledges_follows_confirms_reads_the_digest_and_leaves(
    world: dict, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    base = world["base"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        phone = browser.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
        )
        page = phone.new_page()
        visited: list[str] = []

        # The campaign, then a pledge, in one tap from the action she will take.
        page.goto(f"{base}/vi/campaigns/plastic-bags/")
        assert "Chưa có ai cam kết" in page.locator("#pledge-count").inner_text()
        page.locator("a[href$='pledge?action=refuse-a-bag']").click()
        visited.append(page.url)
        assert page.locator("input[value='refuse-a-bag']").is_checked()
        page.get_by_label("Tỉnh của bạn (không bắt buộc)").select_option("bac-giang")
        time.sleep(1.1)  # she reads the form before she sends it
        page.get_by_role("button", name="Tôi cam kết").click()
        visited.append(page.url)
        assert "Cảm ơn bạn" in page.locator("h1").inner_text()
        assert "1 người đã cam kết" in page.locator("main").inner_text()
        page.get_by_role("link", name="Quay lại chiến dịch").click()
        assert "1 người đã cam kết" in page.locator("#pledge-count").inner_text()
        assert "1 người cam kết việc này" in page.locator("#do").locator("..").inner_text()

        # She follows her province by email.
        page.goto(f"{base}/vi/provinces/bac-giang/")
        page.locator("#follow-email").fill(RESIDENT)
        page.get_by_role("button", name="Theo dõi qua email").click()
        assert "Kiểm tra hộp thư" in page.locator("h1").inner_text()

        send_alerts(world)
        [confirmation] = received(world)
        assert confirmation["To"] == RESIDENT
        mine = link_in(confirmation, base)
        page.goto(mine)
        page.get_by_role("button", name="Có, hãy gửi cho tôi các thông báo này").click()
        assert "Đã xác nhận" in page.locator("main").inner_text()
        assert "Bắc Giang" in page.locator(".followed").inner_text()

        # An editor publishes Bắc Giang's figure; the digest brings it.
        editor = Browser(base)
        editor.sign_in(EDITOR)
        _, form = editor.request("GET", f"/admin/en/indicators/{WASTE}")
        status = editor.enter_and_publish(
            f"/admin/en/indicators/{WASTE}",
            {
                "csrf_token": field(form, "csrf_token"),
                "revision": field(form, "revision"),
                "year": "2025",
                "value": "83",
                "source_document": "Báo cáo 12/BC-STNMT",
            },
        )
        assert status == 302
        send_alerts(world)
        digest = received(world)[-1]
        assert len(received(world)) == 2
        text = digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "83%" in text and "Giá trị mới" in text
        assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

        # She leaves, from the link in the digest, with one click.
        page.goto(link_in(digest, base))
        page.get_by_role("button", name="Hủy mọi đăng ký").click()
        assert "Bạn đã hủy đăng ký" in page.locator("main").inner_text()
        phone.close()

        # Every page of the journey passes axe-core, as the other pages do.
        from tests.axe import violations

        checker = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
        checked = checker.new_page()
        for url in [*visited, mine]:
            checked.goto(url)
            assert violations(checked) == [], url
        checked.goto(f"{base}/vi/provinces/bac-giang/")
        checked.locator("#follow-email").fill("someone.else@example.vn")
        checked.locator("#follow-email").press("Enter")
        assert "Kiểm tra hộp thư" in checked.locator("h1").inner_text()
        assert violations(checked) == []
        checker.close()
        browser.close()
