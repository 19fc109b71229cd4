"""axe-core, the accessibility checker, fetched from the npm registry once and cached.

Only the tests load it, into the page under test; the site itself never does.
"""

from __future__ import annotations

from tests.npm import package_file

VERSION = "4.14.1"
# The registry's own integrity string for this version: what we run is what was published.
INTEGRITY = (
    "sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5"
    "qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ=="
)

# WCAG 2.1 A and AA, the level the site promises.
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    path = package_file("axe-core", VERSION, INTEGRITY, "package/axe.min.js", ".min.js")
    return path.read_text(encoding="utf-8")


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
