"""The JSON API, `/api/v1/`: plans, indicators, campaigns and comparisons."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.api import openapi, parameters, tables
from app.api.records import (
    campaign_record,
    comparison_record,
    indicator_record,
    plan_record,
    pledge_record,
)
from app.campaigns.models import Campaign
from app.campaigns.pledges import Tally, tallies, tally
from app.compare.queries import selected_comparisons
from app.errors.handlers import api_error
from app.http_policy import api, declare, request_policy
from app.i18n import LANGUAGES
from app.indicators import filters as indicator_filters
from app.indicators.models import Indicator
from app.indicators.progress import progress
from app.plans.models import Plan, Task
from app.queries import (
    SelectedIndicators,
    Selection,
    by_slug_or_404,
    in_order,
    selected_plans,
    today,
    with_plan_details,
)
from app.search import routes as search_routes
from app.sources.models import PlanDocument
from app.urls import absolute_url

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def language_and_parameters() -> Response | None:
    """API messages follow ?lang=, else the browser's language; every parameter the view
    declares is checked against the schema the OpenAPI document gives it."""
    lang = request.args.get("lang")
    if lang in LANGUAGES:
        g.lang = lang
    repeated = request.environ.get("xanh.repeated")
    if repeated:
        message = _("“%(parameter)s” is given more than once.", parameter=repeated[0])
        return api_error(400, "invalid_parameter", message)
    problem = parameters.check(request.args.to_dict(), request_policy().params)
    return api_error(400, "invalid_parameter", problem) if problem else None


@bp.after_request
def licence(response: Response) -> Response:
    """Every answer, JSON or CSV, names the licence its data may be reused under."""
    response.headers["Link"] = f'<{openapi.LICENCE["url"]}>; rel="license"'
    return response


# Items of a list answer to a page: today's whole content fits on the first.
LIST_PAGE = 100


def paged[T](
    key: str,
    items: Sequence[T],
    record: Callable[[T], dict[str, Any]],
    details: Callable[[Sequence[T]], object] | None = None,
) -> Response:
    """One page of a list (`?page=`, and `?per_page=` items, both checked before the view
    runs): the items under their key, as before pages existed, with `total` and the
    address of the `next` page (null on the last). `details` loads what the records
    read, for the page's items only."""
    page = int((request.args.get("page") or "1").strip())
    size = int((request.args.get("per_page") or str(LIST_PAGE)).strip())
    start = (page - 1) * size
    more = start + size < len(items)
    args = {k: v for k, v in request.args.items() if k != "page"}
    shown = items[start : start + size]
    if details is not None:
        details(shown)
    return jsonify(
        {
            key: [record(item) for item in shown],
            "total": len(items),
            "next": absolute_url(str(request.endpoint), **args, page=page + 1) if more else None,
        }
    )


@bp.get("/plans")
@declare(api("page", "per_page"))
def plans() -> Response:
    day = today()
    return paged("plans", selected_plans(), lambda p: plan_record(p, day), with_plan_details)


@bp.get("/plans/<slug>")
@declare(api(about="plan"))
def plan(slug: str) -> Response:
    return jsonify(plan_record(by_slug_or_404(Plan, slug), today()))


@bp.get("/indicators")
@declare(api(*indicator_filters.PARAMETERS, "page", "per_page"))
def indicators() -> Response:
    rows = filtered_indicators()
    if isinstance(rows, Response):
        return rows
    return paged("indicators", rows, indicator_record)


@bp.get("/indicators.csv")
@declare(api(*indicator_filters.PARAMETERS))
def indicators_csv() -> Response:
    rows = filtered_indicators()
    if isinstance(rows, Response):
        return rows
    return tables.csv_response(rows, "xanh-indicators.csv")


def filtered_indicators() -> SelectedIndicators | Response:
    """The indicators the query string's filters select, or a JSON error naming the bad one."""
    filters, errors = indicator_filters.parse_filters(request.args)
    if errors:
        allowed = indicator_filters.choices()
        first = errors[0]
        message = (
            first.message
            + " "
            + _("Accepted values: %(values)s.", values=", ".join(allowed[first.parameter]))
        )
        return api_error(400, "invalid_parameter", message)
    return SelectedIndicators(filters.conditions(), today())


@bp.get("/indicators/<slug>.csv")
@declare(api(about="indicator"))
def indicator_csv(slug: str) -> Response:
    row = progress(by_slug_or_404(Indicator, slug), today())
    return tables.csv_response([row], f"{slug}.csv")


@bp.get("/indicators/<slug>")
@declare(api(about="indicator"))
def indicator(slug: str) -> Response:
    row = by_slug_or_404(Indicator, slug)
    return jsonify(indicator_record(progress(row, today())))


@bp.get("/campaigns")
@declare(api("page", "per_page", shows_pledges=True))
def campaigns() -> Response:
    ids = select(Campaign.id).order_by(Campaign.position, Campaign.id)
    rows = Selection(ids, lambda chosen: in_order(Campaign, chosen, *CAMPAIGN_RECORD))
    counts: dict[str, Tally] = {}

    def details(shown: Sequence[Campaign]) -> None:
        counts.update(tallies([c.slug for c in shown]))

    return paged("campaigns", rows, lambda c: campaign_record(c, counts[c.slug]), details)


# What a campaign's record shows, loaded with the campaigns.
CAMPAIGN_RECORD = (
    selectinload(Campaign.provinces),
    selectinload(Campaign.actions),
    selectinload(Campaign.indicators),
    selectinload(Campaign.tasks).options(
        selectinload(Task.lead),
        selectinload(Task.plan).selectinload(Plan.documents).selectinload(PlanDocument.document),
    ),
)


@bp.get("/campaigns/<slug>")
@declare(api(shows_pledges=True, about="campaign"))
def campaign(slug: str) -> Response:
    row = by_slug_or_404(Campaign, slug)
    return jsonify(campaign_record(row, tally(row.slug)))


@bp.get("/campaigns/<slug>/pledges")
@declare(api(shows_pledges=True, about="campaign"))
def campaign_pledges(slug: str) -> Response:
    campaign = by_slug_or_404(Campaign, slug)
    return jsonify(pledge_record(campaign, tally(campaign.slug)))


@bp.get("/comparisons")
@declare(api("page", "per_page"))
def comparisons() -> Response:
    return paged("comparisons", selected_comparisons(), comparison_record)


@bp.get("/openapi.json")
@declare(api())
def openapi_document() -> Response:
    with force_locale("en"):
        return jsonify(openapi.document(indicator_filters.choices()))


@bp.get("/search")
@declare(api(*search_routes.PARAMETERS, reads_index=True))
def search() -> Response:
    params, errors = search_routes.parse_search_args(request.args)
    if errors:
        return api_error(400, "invalid_parameter", errors[0].message)
    lang = request.args.get("lang") or "vi"
    lang = lang if lang in LANGUAGES else "vi"
    results = search_routes.run_search(params, lang)
    return jsonify(
        {
            "query": results.query,
            "lang": lang,
            "total": results.total,
            "page": params.page,
            "results": [
                {
                    "type": h.type,
                    "slug": h.slug,
                    "title": h.title,
                    "url": search_routes.result_url(h.type, h.slug, lang),
                    "snippet": h.snippet,
                }
                for h in results.hits
            ],
            "suggestion": results.suggestion,
            "corrected": results.corrected,
            "facets": results.facets,
        }
    )


@bp.get("/<path:unknown>")
@declare(api())
def not_found(unknown: str) -> Response:
    """Any other address under the API: a JSON 404 that other sites' scripts can read."""
    return api_error(404, "not_found", _("There is nothing at this address in the API."))
