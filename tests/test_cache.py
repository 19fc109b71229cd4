"""Cached pages: new data shows at once after a load, and ETags answer 304."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from app.content.loader import load_content
from tests.factories import write_content


def test_a_content_load_replaces_cached_pages(empty_app: Flask, tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    load_content(root)
    client = empty_app.test_client()
    assert "40,5%" in client.get("/vi/indicators/test-waste-collected/").get_data(as_text=True)
    path = root / "plans/test-plan/indicators.yaml"
    path.write_text(path.read_text().replace("value: 40.5", "value: 61.25"))
    load_content(root)
    html = client.get("/vi/indicators/test-waste-collected/").get_data(as_text=True)
    assert "61,25%" in html and "40,5%" not in html


def test_matching_etag_gets_304(empty_app: Flask, tmp_path: Path) -> None:
    load_content(write_content(tmp_path / "content"))
    client = empty_app.test_client()
    first = client.get("/en/plans/test-plan/")
    etag = first.headers["ETag"]
    again = client.get("/en/plans/test-plan/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    other = client.get("/vi/plans/test-plan/", headers={"If-None-Match": etag})
    assert other.status_code == 200


def test_english_missing_shows_vietnamese_with_a_notice(empty_app: Flask, tmp_path: Path) -> None:
    load_content(write_content(tmp_path / "content", english=False))
    html = empty_app.test_client().get("/en/plans/test-plan/").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "This text has not been translated into English yet." in html
    assert '<div lang="vi"><p>Nội dung <strong>thử</strong>.</p></div>' in html
    assert '<span lang="vi">Kế hoạch thử</span>' in html
    api = empty_app.test_client().get("/api/v1/plans/test-plan").get_json()
    assert api["title"] == {"vi": "Kế hoạch thử", "en": None}


def test_readers_who_miss_the_same_page_at_once_wait_for_one_render(
    empty_app: Flask, tmp_path: Path
) -> None:
    """Issue 22: a worker's threads that all miss one page render it once; the others are
    answered from what it stored. The first render is made slow here, so that they
    certainly arrive while it runs."""
    import threading
    import time

    from flask import template_rendered

    load_content(write_content(tmp_path / "content"))
    renders: list[str] = []

    def slow(sender: Flask, template, context, **extra) -> None:  # noqa: ANN001, ANN003
        if template.name == "pages/home.html":
            renders.append(template.name)
            time.sleep(0.3)

    start = threading.Barrier(8)
    answers: list[tuple[int, bytes, str | None]] = []

    def reader() -> None:
        client = empty_app.test_client()
        start.wait()
        response = client.get("/vi/")
        answers.append((response.status_code, response.data, response.headers.get("Cache-Status")))

    with template_rendered.connected_to(slow, empty_app):
        threads = [threading.Thread(target=reader) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert renders == ["pages/home.html"]
    assert {status for status, _, _ in answers} == {200}
    assert len({body for _, body, _ in answers}) == 1
    assert sum(1 for *_, cached in answers if cached) == 7
