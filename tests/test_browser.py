"""Drive the real site, served by gunicorn, in headless Chromium on a phone-sized screen."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.config import ROOT

pytestmark = pytest.mark.browser

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def chromium_path() -> str:
    """Debian's chromium, installed with apt-get when it is missing."""
    found = shutil.which("chromium")
    if found is None:
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "chromium"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        )
        found = shutil.which("chromium")
    assert found, "chromium could not be installed"
    return found


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """gunicorn on a fresh SQLite database, loaded through the real CLI."""
    database = tmp_path_factory.mktemp("browser") / "xanh.db"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{database}"}
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [bin_dir / "flask", "--app", "wsgi", "content", "load"],
        check=True,
        cwd=ROOT,
        env=env,
        capture_output=True,
    )
    port = free_port()
    process = subprocess.Popen(
        [bin_dir / "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/vi/", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def page(server: str):  # noqa: ANN201
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        context = browser.new_context(
            viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
        )
        yield context.new_page()
        browser.close()


def no_sideways_scroll(page) -> bool:  # noqa: ANN001
    width = page.evaluate("document.documentElement.scrollWidth")
    return width <= 360


def test_home_to_plan_to_indicator_then_switch_language(server: str, page) -> None:  # noqa: ANN001
    page.goto(f"{server}/")
    assert page.url == f"{server}/vi/"
    assert page.locator("html").get_attribute("lang") == "vi"
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="Bắc Giang: 1026/QĐ-UBND").click()
    assert page.url == f"{server}/vi/plans/bac-giang-1026-2022/"
    assert no_sideways_scroll(page)

    page.locator("a[href='/vi/indicators/bac-giang-urban-solid-waste-treated/']").first.click()
    assert page.url == f"{server}/vi/indicators/bac-giang-urban-solid-waste-treated/"
    assert "95%" in page.locator(".headline").inner_text()
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="English").click()
    assert page.url == f"{server}/en/indicators/bac-giang-urban-solid-waste-treated/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Urban solid waste collected and treated" in page.locator("h1").inner_text()
    assert no_sideways_scroll(page)


def test_filters_work_without_javascript(server: str, page) -> None:  # noqa: ANN001
    page.goto(f"{server}/en/indicators/")
    page.select_option("#f-province", "lai-chau")
    page.get_by_role("button", name="Show").click()
    assert "province=lai-chau" in page.url
    cards = page.locator(".indicator-card h3").all_inner_texts()
    assert cards and any("Forest cover" in text for text in cards)
    assert no_sideways_scroll(page)


@pytest.mark.parametrize(
    "path",
    [
        "/en/plans/hai-phong-1463-2014/",
        "/vi/campaigns/plastic-bags/",
        "/vi/indicators/?province=nowhere",
        "/en/no-such-page/",
    ],
)
def test_pages_fit_a_phone_screen(server: str, page, path: str) -> None:  # noqa: ANN001
    page.goto(f"{server}{path}")
    assert no_sideways_scroll(page), path
