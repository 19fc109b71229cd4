"""Turn plans, indicators, campaigns and pages into search documents."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.indicators.models import Indicator
from app.pages.models import Page
from app.plans.models import Plan
from app.provinces.models import Agency, Province
from app.publishing import changes_since, stored_data_version
from app.search.engine import (
    Document,
    SearchIndex,
    built_from,
    holds_current_fields,
    rebuild,
    update,
)
from app.search.terms import terms_in
from app.sources.registry import document_name, entry_for
from app.templating import quantity


def plain(markup: str | None) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup or ""))


def _pair(obj: object, attr: str) -> dict[str, str]:
    return {lang: getattr(obj, f"{attr}_{lang}", None) or "" for lang in ("vi", "en")}


def _body(obj: object) -> dict[str, str]:
    return {lang: plain(getattr(obj, f"body_html_{lang}")) for lang in ("vi", "en")}


def _same(text: str) -> dict[str, str]:
    return {"vi": text, "en": text}


def _cited(name: str) -> dict[str, str]:
    """A cited document by its number or key, and by the name citations give it."""
    entry = entry_for(name)
    if entry is None:
        return _same(name)
    return {lang: f"{name} {document_name(entry, lang)}" for lang in ("vi", "en")}


def _join(*texts: dict[str, str]) -> dict[str, str]:
    return {lang: " ".join(t[lang] for t in texts if t[lang]) for lang in ("vi", "en")}


def _agencies(agencies: Iterable[Agency]) -> dict[str, str]:
    """Agencies by their full and short names ("Sở Tài nguyên và Môi trường", "Sở TN&MT")."""
    unique = {a.id: a for a in agencies}.values()
    return _join(*[_join(_pair(a, "name"), _pair(a, "short")) for a in unique])


def _values(indicator: Indicator) -> dict[str, str]:
    """Each reported value with its year and unit, as the indicator's page shows them
    (21,2% and 17.000 ha in Vietnamese, 21.2% and 17,000 ha in English)."""
    units = _pair(indicator, "unit")
    shown = {}
    for lang in ("vi", "en"):
        with force_locale(lang):
            shown[lang] = " ".join(
                f"{o.year}: {quantity(o.value, units[lang] or units['vi'])}"
                for o in indicator.values
                if o.value is not None
            )
    return shown


# What a plan's number says it is: 1026/QĐ-UBND is a decision, 1847/KH-UBND a plan.
DOCUMENT_KINDS = {
    "QĐ": {"vi": "Quyết định", "en": "Decision"},
    "KH": {"vi": "Kế hoạch", "en": "Plan"},
}


def _kind(number: str) -> dict[str, str]:
    code = number.partition("/")[2].partition("-")[0]
    return DOCUMENT_KINDS.get(code, {"vi": "", "en": ""})


def _names(number: str | None, provinces: Iterable[Province]) -> dict[str, str]:
    """What names a document besides its title: its own number (1026 of 1026/QĐ-UBND)
    and its province."""
    own = number.partition("/")[0] if number else ""
    return {
        lang: " ".join([own, *(getattr(p, f"name_{lang}") or "" for p in provinces)])
        for lang in ("vi", "en")
    }


def _plan(plan: Plan) -> Document:
    body = _join(
        _pair(plan, "issuing_body"),
        _agencies(task.lead for task in plan.tasks),
        _body(plan),
        *[_pair(t, "title") for t in plan.themes],
        *[_pair(t, "title") for t in plan.tasks],
    )
    return Document(
        "plan",
        plan.slug,
        (plan.province.slug,),
        (plan.slug,),
        {
            "title": _join(_kind(plan.number), _same(plan.number), _pair(plan, "title")),
            "summary": _pair(plan, "summary"),
            "body": body,
        },
        _names(plan.number, [plan.province]),
    )


# What an indicator's or a campaign's page calls it ("what is the target for …").
TARGET_WORDS = {"vi": "Mục tiêu chỉ tiêu", "en": "Target"}
CAMPAIGN_WORDS = {"vi": "Chiến dịch", "en": "Campaign"}


def _indicator(indicator: Indicator) -> Document:
    plan = indicator.plan
    return Document(
        "indicator",
        indicator.slug,
        (plan.province.slug,),
        (plan.slug,),
        {
            "title": _join(_pair(indicator, "title"), _pair(indicator, "part")),
            "summary": _join(
                TARGET_WORDS, _pair(indicator, "target_text"), _pair(plan.province, "name")
            ),
            "body": _join(
                _values(indicator),
                _agencies(indicator.reported_by),
                _pair(indicator, "note"),
                _pair(indicator.topic, "name"),
                _pair(plan, "title"),
                # Reports are searched for by number (45/BC-STNMT), and their notes say what
                # changed; an editor's new value brings both.
                *[_cited(o.source_document) for o in indicator.values],
                *[_pair(o, "note") for o in indicator.values],
            ),
        },
        _names(None, [plan.province]),
    )


def _campaign(campaign: Campaign) -> Document:
    body = _join(
        _body(campaign),
        *[_pair(a, "text") for a in campaign.actions],
    )
    return Document(
        "campaign",
        campaign.slug,
        tuple(p.slug for p in campaign.provinces),
        tuple(
            sorted(
                {t.plan.slug for t in campaign.tasks} | {i.plan.slug for i in campaign.indicators}
            )
        ),
        {
            "title": _pair(campaign, "title"),
            "summary": _join(CAMPAIGN_WORDS, _pair(campaign, "summary")),
            "body": body,
        },
        _names(None, campaign.provinces),
    )


def _page(page: Page) -> Document:
    return Document(
        "page",
        page.slug,
        (),
        (),
        {"title": _pair(page, "title"), "summary": {"vi": "", "en": ""}, "body": _body(page)},
    )


def all_documents() -> Iterator[Document]:
    yield from map(_plan, db.session.scalars(select(Plan)))
    yield from map(_indicator, db.session.scalars(select(Indicator)))
    yield from map(_campaign, db.session.scalars(select(Campaign)))
    yield from map(_page, db.session.scalars(select(Page)))


MAKERS: dict[str, tuple[type[Any], Callable[[Any], Document]]] = {
    "plan": (Plan, _plan),
    "indicator": (Indicator, _indicator),
    "campaign": (Campaign, _campaign),
    "page": (Page, _page),
}


def document_for(key: str) -> Document | None:
    """The search document `type:slug` as the database holds it now (None: gone)."""
    kind, _, slug = key.partition(":")
    if kind not in MAKERS:
        return None
    model, make = MAKERS[kind]
    row = db.session.scalar(select(model).where(getattr(model, "slug") == slug))  # noqa: B009
    return make(row) if row is not None else None


def index_root() -> Path:
    return Path(current_app.config["SEARCH_INDEX_DIR"])


def rebuild_index(*, unless_current: bool = False) -> int:
    """Rebuild the search index from the database; return how many documents it holds.
    With `unless_current`, nothing is read or written when another writer built the
    current data version while this one waited for the lock (then it returns 0)."""
    version = stored_data_version()
    read: list[Document] = []

    def documents() -> Iterator[Document]:  # read only if the build goes ahead
        for doc in all_documents():
            read.append(doc)
            yield doc

    terms = terms_in(Path(current_app.config["CONTENT_DIR"]))
    rebuild(index_root(), documents(), version, terms, unless_current=unless_current)
    return len(read)


def bring_index_up_to_date() -> str:
    """Catch this server's index up with the published data: only the changed documents
    when the change log says which, else a full rebuild. Returns what it did."""
    root = index_root()
    for _attempt in range(3):
        target = stored_data_version()
        held = built_from(root)
        if target is None or held == target:
            return "current"
        changed = changes_since(held)
        if changed is None or not holds_current_fields(root):
            return "rebuilt" if rebuild_index(unless_current=True) else "current"
        documents = {key: document_for(key) for key in sorted(changed)}
        if update(root, documents, held, target):
            return f"updated {len(documents)}"
    return "busy"  # other writers kept moving it; the next change or look tries again


def search_index() -> SearchIndex:
    """This worker's reader of the current index."""
    return current_app.extensions["xanh_search"]
