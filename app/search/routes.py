"""The search page, `/<lang>/search`, and what the API's search shares with it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _

from app.http_policy import declare
from app.http_policy import page as public_page
from app.i18n import current_language
from app.indicators.filters import FilterError, choices
from app.search.documents import search_index
from app.search.engine import TYPES, Results

bp = Blueprint("search", __name__, template_folder="templates")

DETAIL_ENDPOINTS = {
    "plan": "site.plans.detail",
    "indicator": "site.indicators.detail",
    "campaign": "site.campaigns.detail",
}
MAX_PAGE = 1000


@dataclass(frozen=True)
class SearchArgs:
    q: str = ""
    type: str | None = None
    province: str | None = None
    plan: str | None = None
    page: int = 1
    as_typed: bool = False


PARAMETERS = tuple(f.name for f in fields(SearchArgs))


def parse_search_args(args: Mapping[str, str]) -> tuple[SearchArgs, list[FilterError]]:
    known = choices()
    allowed = {"type": list(TYPES), "province": known["province"], "plan": known["plan"]}
    errors: list[FilterError] = []
    values: dict[str, Any] = {"q": args.get("q", "")}
    for name, accepted in allowed.items():
        value = (args.get(name) or "").strip()
        if value and value not in accepted:
            errors.append(FilterError(name, value))
        values[name] = value if value in accepted else None
    as_typed = (args.get("as_typed") or "").strip()
    if as_typed not in ("", "1"):
        errors.append(FilterError("as_typed", as_typed))
    values["as_typed"] = as_typed == "1"
    raw_page = (args.get("page") or "1").strip()
    # isdigit() alone lets "³" through, which int() refuses.
    if raw_page.isascii() and raw_page.isdigit() and 1 <= int(raw_page) <= MAX_PAGE:
        values["page"] = int(raw_page)
    else:
        errors.append(FilterError("page", raw_page))
    return SearchArgs(**values), errors


def run_search(params: SearchArgs, lang: str) -> Results:
    return search_index().search(
        params.q,
        lang,
        type=params.type,
        province=params.province,
        plan=params.plan,
        page=params.page,
        as_typed=params.as_typed,
    )


def result_url(kind: str, slug: str, lang: str) -> str:
    if kind == "page":
        return url_for("site.pages.free_standing", slug=slug, lang=lang)
    return url_for(DETAIL_ENDPOINTS[kind], slug=slug, lang=lang)


def type_label(kind: str) -> str:
    return {
        "plan": _("Plan"),
        "indicator": _("Target"),
        "campaign": _("Campaign"),
        "page": _("Page"),
    }[kind]


@bp.get("/search")
@declare(public_page(*PARAMETERS, reads_index=True))
def page() -> tuple[str, int]:
    params, errors = parse_search_args(request.args)
    lang = current_language()
    results = run_search(params, lang) if params.q.strip() and not errors else None
    return render_template(
        "search/results.html",
        params=params,
        errors=errors,
        results=results,
        result_url=result_url,
        type_label=type_label,
        types=TYPES,
    ), 400 if errors else 200
