"""Screenshots of every page type, in both languages, at a phone's width (390 px) and a
desktop's (1280 px), whole pages, into screenshots/ with an index.html to look through.

The site is served as production serves it (gunicorn, a fresh SQLite database loaded by
the real CLI) and photographed by Debian's Chromium, scripts on.
"""

from __future__ import annotations

import html
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pages import LANGS, PAGE_TYPES  # noqa: E402

from tests.chromium import CHROMIUM_FLAGS, chromium_path  # noqa: E402
from tests.serving import gunicorn_site  # noqa: E402

WIDTHS = {"phone": (390, 844), "desktop": (1280, 800)}
FOLDER = ROOT / "screenshots"


def take(base: str) -> list[tuple[str, str, str, Path]]:
    from playwright.sync_api import sync_playwright

    shots = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        for device, (width, height) in WIDTHS.items():
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            for name, path in PAGE_TYPES.items():
                for lang in LANGS:
                    page.goto(base + path.format(lang=lang))
                    page.wait_for_load_state("networkidle")
                    file = FOLDER / f"{name}-{lang}-{device}.png"
                    page.screenshot(path=str(file), full_page=True)
                    shots.append((name, lang, device, file))
            context.close()
        browser.close()
    return shots


def index(shots: list[tuple[str, str, str, Path]]) -> None:
    rows = "\n".join(
        f"<figure><figcaption>{html.escape(f'{name} · {lang} · {device}')}</figcaption>"
        f'<a href="{file.name}"><img src="{file.name}" alt="{html.escape(name)}" '
        f'loading="lazy" width="{WIDTHS[device][0] // 4}"></a></figure>'
        for name, lang, device, file in shots
    )
    (FOLDER / "index.html").write_text(
        "<!doctype html><meta charset=utf-8><title>Xanh screenshots</title>"
        "<style>body{font-family:sans-serif;display:flex;flex-wrap:wrap;gap:1rem}"
        "figure{margin:0}img{border:1px solid #ccc;vertical-align:top}</style>\n" + rows,
        encoding="utf-8",
    )


def main() -> None:
    FOLDER.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/xanh.db"
        with gunicorn_site(url, Path(folder) / "index") as base:
            shots = take(base)
    index(shots)
    print(f"{len(shots)} screenshots in {FOLDER}/ (open index.html)")


if __name__ == "__main__":
    main()
