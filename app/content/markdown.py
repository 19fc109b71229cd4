"""Markdown to safe HTML, rendered once at load.

A citation in prose is a Markdown link whose address names a registry document
and, after `#`, a section: `[65%](cite:1026/QĐ-UBND#III.8.9.a)`. It becomes a
link to the document's own page among the sources, marked `class="cited"`, with
the place cited as its title. Figures in prose must be written this way (see
content/README.md); the page tests fail on any other figure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import markdown as md
import nh3
from markdown.extensions.toc import TocExtension, slugify

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "em",
    "h2",
    "h3",
    "h4",
    "hr",
    "li",
    "ol",
    "p",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "th": {"scope"},
    "h2": {"id"},
    "h3": {"id"},
}


def heading_id(text: str, separator: str) -> str:
    """ "Cách tính trạng thái" → "cach-tinh-trang-thai": an address a reader can type."""
    return slugify(text.replace("đ", "d").replace("Đ", "D"), separator)


_CITE = re.compile(r'<a href="cite:([^"#]+)(?:#([^"]*))?"')

# A citation's address: the registry key of the document it names, and how to
# describe the place cited ("1026/QĐ-UBND, mục III.8.9.a"); None for an unknown document.
CiteResolver = Callable[[str, str | None, str], tuple[str, str] | None]


def render(
    text: str,
    lang: str = "vi",
    resolve: CiteResolver | None = None,
    heading_ids: bool = False,
) -> tuple[str, list[str]]:
    """Render Markdown, link its citations, and strip anything that could run script or load
    from elsewhere. Returns the HTML and the documents cited that the registry does not know.

    With `heading_ids`, every heading gets an id (its words, or the one the text gives it
    with `{#id}`), for a free-standing page's table of contents; pages built around a
    text have ids of their own that a heading of the text could take."""
    extensions: list = ["extra", "sane_lists"]
    if heading_ids:
        extensions.append(TocExtension(slugify=heading_id, toc_depth="2"))
    rendered = md.markdown(text, extensions=extensions, output_format="html")
    unknown: list[str] = []

    def link(match: re.Match[str]) -> str:
        document = html.unescape(match[1]).strip()
        section = html.unescape(match[2]).strip() if match[2] else None
        found = resolve(document, section, lang) if resolve else None
        if found is None:
            unknown.append(document)
            return "<a"
        key, place = found
        return f'<a class="cited" href="/{lang}/sources/{key}/" title="{html.escape(place)}"'

    rendered = _CITE.sub(link, rendered)
    cleaned = nh3.clean(
        rendered,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        # "example": made-up figures that illustrate a method (see content/README.md).
        allowed_classes={"a": {"cited"}, "p": {"example"}, "li": {"example"}},
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
    )
    return cleaned, unknown
