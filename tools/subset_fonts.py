"""Be Vietnam Pro, a typeface drawn for Vietnamese (SIL Open Font License 1.1), cut down to
the characters Xanh's pages use, as static/fonts/*.woff2 for `make serve` to send.

Run `make fonts` after content or translations bring a letter the fonts lack (the test
test_the_typeface_has_every_letter_the_pages_use says when). The fonts come from the
npm registry, checked against its integrity string: Google Fonts' own files, packaged.
"""

from __future__ import annotations

import base64
import hashlib
import io
import sys
import tarfile
import unicodedata
import urllib.request
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "https://registry.npmjs.org/@expo-google-fonts/be-vietnam-pro/-/be-vietnam-pro-0.4.1.tgz"
INTEGRITY = (
    "sha512-4o2bsqU1zcC6NZf5FRYB+7gE49waNWYOGc5c5qLfPgrSqqr61hS2Bz4TVPgxudO038tLydSyPxV8e79g8j5DpQ"
    "=="
)
WEIGHTS = {400: "400Regular/BeVietnamPro_400Regular.ttf", 700: "700Bold/BeVietnamPro_700Bold.ttf"}
OUT = ROOT / "static" / "fonts"
VOWELS = "aăâeêioôơuưy"
TONES = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")


def vietnamese_alphabet() -> set[str]:
    letters = {unicodedata.normalize("NFC", v + t) for v in VOWELS for t in TONES}
    letters |= {"đ"}
    return letters | {c.upper() for c in letters}


def used_characters() -> set[str]:
    """Every character of the content, the templates and the catalogs, the printable ASCII
    range and the whole Vietnamese alphabet (an editor's next word may need any letter)."""
    texts = [
        *(ROOT / "content").rglob("*.md"),
        *(ROOT / "content").rglob("*.yaml"),
        *(ROOT / "app").rglob("*.html"),
        ROOT / "translations" / "vi" / "LC_MESSAGES" / "messages.po",
    ]
    found = {chr(c) for c in range(0x20, 0x7F)} | vietnamese_alphabet()
    for path in texts:
        found |= set(unicodedata.normalize("NFC", path.read_text(encoding="utf-8")))
    return {c for c in found if not c.isspace() or c == " "}


def font_files() -> dict[int, bytes]:
    with urllib.request.urlopen(PACKAGE, timeout=120) as response:
        tarball = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != INTEGRITY:
        sys.exit(f"{PACKAGE} does not match the registry's integrity string")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        files = {w: archive.extractfile(f"package/{m}").read() for w, m in WEIGHTS.items()}  # type: ignore[union-attr]
        licence = archive.extractfile("package/LICENSE_FONT").read()  # type: ignore[union-attr]
    (OUT / "OFL.txt").write_bytes(licence)
    return files


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    characters = used_characters()
    for weight, data in font_files().items():
        font = TTFont(io.BytesIO(data))
        options = subset.Options()
        options.flavor = "woff2"
        # Pages are NFC, so every Vietnamese letter is one precomposed glyph: kerning is
        # the only layout a reader sees. Screens render without the TrueType hints.
        options.layout_features = ["kern"]
        options.hinting = False
        options.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]  # keep the copyright and licence
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(characters)))
        subsetter.subset(font)
        target = OUT / f"be-vietnam-pro-{weight}.woff2"
        font.flavor = "woff2"
        font.save(target)
        print(f"{target.relative_to(ROOT)}: {target.stat().st_size / 1024:.1f} KB")
    print(f"{len(characters)} characters asked for")


if __name__ == "__main__":
    main()
