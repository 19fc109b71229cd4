"""axe-core, the accessibility checker, fetched from the npm registry once and cached.

Only the tests load it, into the page under test; the site itself never does.
"""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import urllib.request
from pathlib import Path

from app.config import ROOT

VERSION = "4.14.1"
TARBALL = f"https://registry.npmjs.org/axe-core/-/axe-core-{VERSION}.tgz"
# The registry's own integrity string for this version: what we run is what was published.
INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5"
    "qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)
CACHE = ROOT / ".cache" / f"axe-core-{VERSION}.min.js"

# WCAG 2.1 A and AA, the level the site promises.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _download() -> bytes:
    with urllib.request.urlopen(TARBALL, timeout=60) as response:
        tarball = response.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    if digest != INTEGRITY:
        raise RuntimeError(f"{TARBALL} does not match the registry's integrity {INTEGRITY}")
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile("package/axe.min.js")
        assert member is not None
        return member.read()


def axe_source(cache: Path = CACHE) -> str:
    if not cache.exists():
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(".partial")
        partial.write_bytes(_download())
        partial.replace(cache)  # a killed download never leaves half a file behind
    return cache.read_text(encoding="utf-8")


def violations(page) -> list[dict]:  # noqa: ANN001
    """Run axe-core in the page and return its WCAG 2.1 AA violations, briefly."""
    page.add_script_tag(content=axe_source())
    found = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')),
            }));
        }""",
        WCAG_21_AA,
    )
    return found
