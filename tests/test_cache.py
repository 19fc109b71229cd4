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


WASTE = "bac-giang-urban-solid-waste-treated"  # Bắc Giang, plan 1026; no value yet
# Pages about other items than WASTE's, and what must stay cached when WASTE changes.
UNTOUCHED = [
    "/vi/indicators/hai-phong-urban-wastewater-treated/",
    "/en/plans/hai-phong-1463-2014/",
    "/vi/provinces/hai-phong/",
    "/api/v1/indicators/lai-chau-forest-cover",
    "/embed/en/indicators/hai-phong-urban-wastewater-treated",
    "/en/campaigns/cycling/",
    "/vi/methodology/",
]
# Pages that show WASTE's value or status, or a summary of every target.
TOUCHED = [
    f"/vi/indicators/{WASTE}/",
    f"/api/v1/indicators/{WASTE}",
    "/en/plans/bac-giang-1026-2022/",
    "/vi/provinces/bac-giang/",
    "/vi/",
    "/en/indicators/",
    "/api/v1/indicators",
    "/en/provinces/",
]


def test_a_publish_renders_anew_only_the_pages_whose_data_changed(site: Flask) -> None:
    """Issue 22: a value published for one target leaves other items' pages cached,
    and every page that shows it, or sums up every target, shows the new state."""
    from tests.admin_helpers import Editor

    reader = site.test_client()
    assert WASTE in reader.get("/api/v1/indicators?status=no_data").get_data(as_text=True)
    for path in UNTOUCHED + TOUCHED:
        assert reader.get(path).status_code == 200, path
        assert reader.get(path).headers.get("Cache-Status") == "xanh; hit", path
    lan = Editor(site)
    assert lan.sign_in("lan@donre.example").status_code == 302
    done = lan.enter(WASTE, year="2024", value="87,5", source_document="Báo cáo 45/BC-STNMT")
    assert done.status_code == 302
    for path in UNTOUCHED:
        assert reader.get(path).headers.get("Cache-Status") == "xanh; hit", path
    for path in TOUCHED:
        assert "Cache-Status" not in reader.get(path).headers, path
    assert "87,5" in reader.get(f"/vi/indicators/{WASTE}/").get_data(as_text=True)
    listed = reader.get("/api/v1/indicators?status=no_data").get_data(as_text=True)
    assert WASTE not in listed


def test_a_content_load_renders_every_page_anew(site: Flask) -> None:
    """A load may change anything: no page is kept from before it."""
    from app.content.loader import load_content
    from tests.conftest import ROOT

    reader = site.test_client()
    for path in UNTOUCHED:
        reader.get(path)
    with site.app_context():
        load_content(ROOT / "content")
    for path in UNTOUCHED:
        assert "Cache-Status" not in reader.get(path).headers, path


def test_a_citation_names_its_document_as_the_newest_content_does(tmp_path: Path) -> None:
    """Each worker keeps the registry of documents per data version (app/sources/registry.py):
    after a content load renames a document, every citation of it says the new name."""
    import shutil

    from tests.conftest import ROOT, make_app

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    app = make_app(tmp_path / "xanh.db", content, search_index_dir=tmp_path / "ix")
    path = "/en/indicators/hai-phong-urban-wastewater-treated/"
    with app.app_context():
        load_content(content)
    client = app.test_client()
    assert "Hai Phong city news portal" in client.get(path).get_data(as_text=True)
    registry = content / "sources.yaml"
    registry.write_text(
        registry.read_text().replace("en: Hai Phong city news portal", "en: Hai Phong News")
    )
    with app.app_context():
        load_content(content)
    html = client.get(path).get_data(as_text=True)
    assert "Hai Phong News" in html and "Hai Phong city news portal" not in html
