"""The catalogs are current and complete, and their placeholders match."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

from app.config import ROOT

CATALOG = ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def read(path: Path):
    with path.open("rb") as handle:
        return read_po(handle)


def test_template_is_current(tmp_path: Path) -> None:
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "_l",
            "-o",
            str(fresh),
            "app",
        ],
        check=True,
        cwd=ROOT,
        capture_output=True,
    )
    current = {m.id for m in read(fresh) if m.id}
    committed = {m.id for m in read(ROOT / "translations" / "messages.pot") if m.id}
    catalog = {m.id for m in read(CATALOG) if m.id}
    assert current == committed, "run: flask --app wsgi translations update"
    assert current == catalog


def test_every_message_is_translated_and_keeps_its_placeholders() -> None:
    for message in read(CATALOG):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings) and not message.fuzzy, message.id
        wanted = set(PLACEHOLDER.findall(ids[0]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, message.id


def test_compiled_catalog_is_used(client) -> None:  # noqa: ANN001
    assert "Kế hoạch tăng trưởng xanh" in client.get("/vi/plans/").get_data(as_text=True)
    assert "Green growth plans" in client.get("/en/plans/").get_data(as_text=True)
