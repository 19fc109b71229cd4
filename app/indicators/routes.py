"""The indicator list with its filters, and one indicator's page."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask import request as flask_request
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app.compare.queries import comparisons_of
from app.embed import options as widget_options
from app.embed.panel import embed_panel
from app.extensions import db
from app.http_policy import declare, page
from app.i18n import localized
from app.indicators import filters as indicator_filters
from app.indicators.chart import build_chart
from app.indicators.models import Indicator, Topic
from app.indicators.progress import progress
from app.indicators.status import STATUSES
from app.paging import page_of
from app.plans.models import Plan
from app.provinces.models import Province
from app.queries import PLAN_ORDER, SelectedIndicators, by_slug_or_404, today

bp = Blueprint("indicators", __name__, template_folder="templates")


@bp.get("/indicators/")
@declare(page(*indicator_filters.PARAMETERS, "page"))
def index() -> tuple[str, int]:
    filters, errors = indicator_filters.parse_filters(flask_request.args)
    listing = page_of(
        SelectedIndicators(filters.conditions(), today()), flask_request.args.get("page")
    )
    errors += listing.errors
    page = render_template(
        "indicators/index.html",
        listing=listing,
        filters=filters,
        errors=errors,
        options=filter_options(),
    )
    return page, 400 if errors else 200


def filter_options() -> dict[str, list[tuple[str, str]]]:
    """The choices of each filter as (value, label in the reader's language)."""
    provinces = db.session.scalars(select(Province).order_by(Province.slug))
    plans = db.session.scalars(
        select(Plan)
        .join(Plan.province)
        .options(contains_eager(Plan.province))
        .order_by(*PLAN_ORDER)
    )
    topics = db.session.scalars(select(Topic).order_by(Topic.position))
    return {
        "province": [(p.slug, str(localized(p, "name"))) for p in provinces],
        "plan": [(p.slug, f"{localized(p.province, 'name')} – {p.number}") for p in plans],
        "theme": [(t.slug, str(localized(t, "name"))) for t in topics],
        "status": [(key, str(info.label)) for key, info in STATUSES.items()],
    }


@bp.get("/indicators/<slug>/")
@declare(page(*widget_options.PARAMETERS, "embed_lang", about="indicator"))
def detail(slug: str) -> tuple[str, int]:
    indicator = by_slug_or_404(Indicator, slug)
    row = progress(indicator, today())
    panel = embed_panel(indicator, flask_request.args)
    page = render_template(
        "indicators/detail.html",
        indicator=indicator,
        assessment=row.assessment,
        report=row.report,
        chart=build_chart(indicator),
        campaigns=indicator_campaigns(indicator),
        comparisons=comparisons_of({indicator.id}),
        panel=panel,
        history=public_history(indicator),
    )
    return page, 400 if panel.errors else 200


def public_history(indicator: Indicator) -> list:
    """Published changes, newest first; the page shows no one's name."""
    # Imported here: the editors' feature builds on indicators, not the other way round.
    from app.admin.values import value_changes

    return value_changes([indicator.id], published_only=True)


def indicator_campaigns(indicator: Indicator) -> list:
    # Imported here: campaigns and comparisons refer to indicators, not the other way round.
    from app.campaigns.models import Campaign

    return list(db.session.scalars(select(Campaign).where(Campaign.indicators.contains(indicator))))
