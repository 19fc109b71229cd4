"""Every page type is valid HTML by the Nu HTML Checker, in both languages."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from app.alerts.models import Subscriber
from app.alerts.subscribe import link_token
from app.config import ROOT
from app.extensions import db
from tests.admin_helpers import Editor
from tests.conftest import make_app
from tests.vnu import html_errors

REPORTED = "hai-phong-urban-wastewater-treated"
WASTE = "bac-giang-urban-solid-waste-treated"
PUBLIC = [
    "/{lang}/",
    "/{lang}/plans/",
    "/{lang}/plans/bac-giang-1026-2022/",
    "/{lang}/indicators/",
    "/{lang}/indicators/?province=lai-chau&status=no_data",
    f"/{{lang}}/indicators/{REPORTED}/",
    f"/{{lang}}/indicators/{REPORTED}/?view=chart&theme=dark",
    "/{lang}/campaigns/",
    "/{lang}/campaigns/plastic-bags/",
    "/{lang}/campaigns/plastic-bags/pledge?action=refuse-a-bag",
    "/{lang}/privacy/",
    "/embed/{lang}/campaigns/plastic-bags/pledges",
    "/{lang}/provinces/",
    "/{lang}/provinces/hai-phong/",
    "/{lang}/compare/",
    "/{lang}/methodology/",
    "/{lang}/sources/",
    "/{lang}/api/",
    "/{lang}/provinces/bac-giang/",
    "/{lang}/plans/lai-chau-1498-2012/",
    "/{lang}/search?q=rac+thai",
    "/{lang}/search?q=zzzzqqq",
    "/{lang}/search?q=raccs+thair+noong+thoon",
    "/{lang}/search?q=Lai+Chua",
    "/{lang}/search?q=",
    "/{lang}/no-such-page/",
    "/{lang}/indicators/?status=nonsense",
    f"/embed/{{lang}}/indicators/{REPORTED}",
    f"/embed/{{lang}}/indicators/{REPORTED}?view=chart&theme=dark",
    "/embed/{lang}/indicators/no-such-target",
    "/admin/{lang}/login",
]
EDITORS = [
    "",
    f"indicators/{WASTE}",
    "import",
    "history",
    "password",
    "campaigns/",
    "campaigns/plastic-bags",
]


@pytest.fixture
def staffed(sqlite_template: tuple[str, Path], tmp_path: Path) -> Iterator[Flask]:
    template, index = sqlite_template
    shutil.copy(template.removeprefix("sqlite:///"), tmp_path / "xanh.db")
    shutil.copytree(index, tmp_path / "index", symlinks=True)
    app = make_app(tmp_path / "xanh.db", ROOT / "content", search_index_dir=tmp_path / "index")
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_every_page_type_is_valid_html(staffed: Flask, tmp_path: Path) -> None:
    client = staffed.test_client()
    editor = Editor(staffed, "en")
    assert editor.sign_in("lan@donre.example").status_code == 302
    pages: list[Path] = []
    for lang in ("vi", "en"):
        for number, path in enumerate(PUBLIC):
            response = client.get(path.format(lang=lang))
            assert response.mimetype == "text/html", path
            pages.append(tmp_path / f"{lang}-{number}.html")
            pages[-1].write_bytes(response.data)
        editor.lang = lang
        for number, path in enumerate(EDITORS):
            response = editor.client.get(editor.url(path))
            assert response.status_code == 200, path
            pages.append(tmp_path / f"{lang}-admin-{number}.html")
            pages[-1].write_bytes(response.data)
        boss = Editor(staffed, lang)
        assert boss.sign_in("admin@xanh.example").status_code == 302
        for number, path in enumerate(["accounts/", "accounts/1"]):
            response = boss.client.get(boss.url(path))
            assert response.status_code == 200, path
            pages.append(tmp_path / f"{lang}-accounts-{number}.html")
            pages[-1].write_bytes(response.data)
        for name, path in (("forgot", "forgot"), ("dead-link", "reset/no-such-link")):
            pages.append(tmp_path / f"{lang}-{name}.html")
            pages[-1].write_bytes(client.get(f"/admin/{lang}/{path}").data)
        review = editor.enter(WASTE, action="review", year="2024", value="71", source_document="BC")
        pages.append(tmp_path / f"{lang}-admin-review.html")
        pages[-1].write_bytes(editor.client.get(review.location).data)
        refused = editor.enter(WASTE, year="2024", value="abc", source_document="BC")
        pages.append(tmp_path / f"{lang}-admin-refused.html")
        pages[-1].write_bytes(refused.data)
        # A resident following a province by email: the answer, and their own page.
        follow = {"kind": "provinces", "slug": "hai-phong", "email": f"{lang}@example.com"}
        for name, answer in (
            ("follow", client.post(f"/{lang}/follow/", data=follow)),
            (
                "follow-refused",
                client.post(f"/{lang}/follow/", data={**follow, "email": "x"}),
            ),
        ):
            pages.append(tmp_path / f"{lang}-{name}.html")
            pages[-1].write_bytes(answer.data)
        with staffed.app_context():
            subscriber = db.session.scalar(
                select(Subscriber).where(Subscriber.email == f"{lang}@example.com")
            )
            token = link_token(subscriber)
        pages.append(tmp_path / f"{lang}-alerts.html")
        pages[-1].write_bytes(client.get(f"/{lang}/follow/{token}").data)
    errors = html_errors(pages)
    assert errors == [], "\n".join(errors)


def test_the_checker_finds_what_it_should(tmp_path: Path) -> None:
    broken = tmp_path / "broken.html"
    broken.write_text("<!doctype html><html lang=en><title>x</title><p><div>unclosed</span>")
    errors = html_errors([broken])
    assert errors and all(e.startswith("broken.html:") for e in errors)
