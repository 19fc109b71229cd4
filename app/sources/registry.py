"""Finding a cited document in the registry, and naming it and its sections in either language.

Citations in the database name a document by its number ("1026/QĐ-UBND") or,
for documents without one (articles, some laws), by its registry key; sections
are written in a small language-neutral notation ("II.3.a (4)", "preamble",
"article 2", "paragraph 6", several joined by "; ") that is read out here in
the reader's language.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, fields

from flask import current_app, g
from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.publishing import version_watch
from app.sources.models import SourceDocument
from app.templating import long_date


@dataclass(frozen=True)
class Entry:
    """A registry document as a citation shows it: what naming and linking it reads."""

    key: str
    number: str | None
    kind: str
    issued: dt.date | None
    year: int | None
    issuer_vi: str | None
    issuer_en: str | None
    title_vi: str
    title_en: str | None


ENTRY_COLUMNS = tuple(getattr(SourceDocument, f.name) for f in fields(Entry))


def entries() -> dict[str, Entry]:
    """Every registry document by each name a citation may use. Each worker reads them
    once per data version (a citation on any page looks them up; at national scale
    that was every document read again for every page), else once per request."""
    if "source_entries" in g:
        return g.source_entries
    version = version_watch().last_known()
    kept = current_app.extensions.setdefault("xanh_source_entries", {})
    found = kept.get(version) if version is not None else None
    if found is None:
        rows = db.session.execute(select(*ENTRY_COLUMNS)).all()
        documents = [Entry(*row) for row in rows]
        found = {name: d for d in documents for name in (d.key, d.number) if name}
        if version is not None:
            kept.clear()  # only the newest version's
            kept[version] = found
    g.source_entries = found
    return found


def entry_for(name: str | None) -> Entry | None:
    return entries().get(name.strip()) if name else None


def document_name(document: SourceDocument | Entry, lang: str | None = None) -> str:
    """How a citation names the document: its number; else, for an article, who published it
    (with its date where it has one), and for anything else its title (and date)."""
    if document.number:
        return document.number
    when = long_date(document.issued, lang) if document.issued else str(document.year or "")
    if document.kind == "article":
        issuer = _field(document, "issuer", lang) or ""
        return f"{issuer}, {when}" if when else issuer
    title = _field(document, "title", lang) or ""
    return f"{title}, {when}" if when else title


def _field(document: SourceDocument | Entry, name: str, lang: str | None) -> str | None:
    from app.i18n import current_language

    lang = lang or current_language()
    return getattr(document, f"{name}_{lang}", None) or getattr(document, f"{name}_vi", None)


_CODE = re.compile(r"^(?:[IVXLC]+|\d+)(?:\.[0-9A-Za-z-]+)*(?: \(\d+\))?$")
_PARAGRAPHS = re.compile(r"^paragraphs? (?P<n>.+)$")
_ARTICLE = re.compile(r"^article (?P<n>.+)$")


def section_label(section: str | None) -> str:
    """Read a section reference out in the reader's language ("mục III.2; IV.3", "paragraph 6")."""
    if not section:
        return ""
    parts = [part.strip() for part in section.split(";") if part.strip()]
    if all(_CODE.match(part) for part in parts):
        joined = "; ".join(parts)
        return (
            _("sections %(sections)s", sections=joined)
            if len(parts) > 1
            else _("section %(section)s", section=joined)
        )
    return "; ".join(_part_label(part) for part in parts)


def _part_label(part: str) -> str:
    if part == "preamble":
        return _("preamble")
    if part == "abbreviations":
        return _("list of abbreviations")
    if match := _ARTICLE.match(part):
        return _("article %(number)s", number=match["n"])
    if match := _PARAGRAPHS.match(part):
        if part.startswith("paragraphs"):
            return _("paragraphs %(numbers)s", numbers=match["n"])
        return _("paragraph %(number)s", number=match["n"])
    return _("section %(section)s", section=part)
