"""The widget of one indicator, the images of indicators, plans and campaigns, and the host
script that lets a widget's iframe take its content's height."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    jsonify,
    render_template,
    request,
    send_from_directory,
)
from flask_babel import gettext as _
from sqlalchemy import func, select
from werkzeug.wrappers import Response

from app.campaigns.models import Campaign
from app.campaigns.pledges import tally
from app.embed import image
from app.embed import oembed as oembed_answer
from app.embed import options as widget_options
from app.embed.options import parse_options
from app.errors.handlers import api_error
from app.extensions import db
from app.http_policy import declare, embeddable
from app.i18n import localized
from app.indicators.chart import build_chart
from app.indicators.models import Indicator, Observation
from app.indicators.progress import known_on, progress
from app.indicators.scoreboard import tally_of
from app.indicators.status import assess, latest
from app.indicators.stored import counted
from app.plans.models import Plan
from app.provinces.models import Province
from app.queries import by_slug_or_404, today
from app.site import add_language, take_language
from app.urls import absolute_url

bp = Blueprint("embed", __name__, url_prefix="/embed/<lang>", template_folder="templates")
bp.url_value_preprocessor(take_language)
bp.url_defaults(add_language)
host = Blueprint("embed_host", __name__)


@bp.get("/indicators/<slug>")
@declare(embeddable(*widget_options.PARAMETERS, about="indicator"))
def widget(slug: str) -> tuple[str, int]:
    indicator = by_slug_or_404(Indicator, slug)
    options, errors = parse_options(request.args, today())
    if errors:
        return render_template("embed/error.html", errors=errors, indicator=indicator), 400
    day = options.as_of or today()
    shown = known_on(indicator, day) if options.as_of else indicator
    row = progress(shown, day)
    return render_template(
        "embed/widget.html",
        indicator=indicator,
        options=options,
        assessment=row.assessment,
        report=row.report,
        last=latest(shown),
        chart=build_chart(shown) if options.view == "chart" else None,
        values=shown.values,
    ), 200


@bp.get("/campaigns/<slug>/pledges")  # its first address, kept for pages that embed it
@bp.get("/campaigns/<slug>")
@declare(embeddable(seconds=60, shows_pledges=True, about="campaign"))
def pledges_widget(slug: str) -> str:
    """A campaign's pledge counter, for a school's, a ward's or a newspaper's page."""
    campaign = by_slug_or_404(Campaign, slug)
    return render_template("embed/pledges.html", campaign=campaign, tally=tally(campaign.slug))


@bp.get("/indicators/<slug>.png")
@declare(embeddable("width", about="indicator"))
def indicator_image(slug: str) -> Response:
    indicator = by_slug_or_404(Indicator, slug)
    return png(image.indicator_card(indicator, assess(indicator, today()), latest(indicator)))


@bp.get("/plans/<slug>.png")
@declare(embeddable("width", about="plan"))
def plan_image(slug: str) -> Response:
    return png(image.plan_card(by_slug_or_404(Plan, slug), today()))


@bp.get("/campaigns/<slug>.png")
@declare(embeddable("width", about="campaign"))
def campaign_image(slug: str) -> Response:
    return png(image.campaign_card(by_slug_or_404(Campaign, slug)))


@bp.get("/provinces/<slug>.png")
@declare(embeddable("width", about="province"))
def province_image(slug: str) -> Response:
    return png(image.province_card(by_slug_or_404(Province, slug), today()))


@bp.get("/site.png")
@declare(embeddable("width"))
def site_image() -> Response:
    """The card of the pages that have none of their own (home, lists, search)."""
    plans = db.session.scalar(select(func.count()).select_from(Plan)) or 0
    years = select(Observation.indicator_id, Observation.year).distinct().subquery()
    reported = db.session.scalar(select(func.count()).select_from(years)) or 0
    targets = tally_of(None, counted().get(None))
    return png(image.site_card(plans, targets, reported))


def png(card: image.Card) -> Response:
    width = image.requested_width(request.args.get("width"))
    if width is None:
        message = _(
            "“%(parameter)s” must be a whole number from %(low)s to %(high)s.",
            parameter="width",
            low=image.MIN_WIDTH,
            high=image.WIDTH,
        )
        return Response(f"{message}\n", 400, mimetype="text/plain")
    return Response(image.draw(card, width), mimetype="image/png")


@host.get("/embed/embed.js")
@declare(embeddable(seconds=86400))
def host_script() -> Response:
    """The listener a host page loads once, beside any number of widgets."""
    return send_from_directory(
        f"{current_app.static_folder}/embed", "host.js", mimetype="text/javascript", max_age=86400
    )


def widget_url(indicator: Indicator, lang: str, **query: str) -> str:
    return absolute_url("embed.widget", lang=lang, slug=indicator.slug, **query)


CARD_PAGES: dict[str, tuple[type[Plan] | type[Campaign], str, str]] = {
    "plans": (Plan, "site.plans.detail", "embed.plan_image"),
    "campaigns": (Campaign, "site.campaigns.detail", "embed.campaign_image"),
}


def card_oembed(
    lang: str, section: str, slug: str, maxwidth: int | None, maxheight: int | None
) -> Response:
    model, page_endpoint, image_endpoint = CARD_PAGES[section]
    item = db.session.scalar(select(model).where(model.slug == slug))
    if item is None:
        return api_error(404, "not_found", _("Xanh has no embeddable item at this address."))
    title = str(localized(item, "title", lang))
    return jsonify(
        oembed_answer.card_answer(
            absolute_url(page_endpoint, lang=lang, slug=slug),
            image_endpoint,
            lang,
            slug,
            title,
            maxwidth,
            maxheight,
        )
    )


@host.get("/oembed")
@declare(oembed_answer.POLICY)
def oembed() -> Response:
    if (request.args.get("format") or "json") != "json":  # left empty, it means the default
        return api_error(501, "format_not_implemented", _("Only the JSON format is available."))
    url = request.args.get("url") or ""
    try:
        maxwidth = oembed_answer.size_limit(request.args, "maxwidth")
        maxheight = oembed_answer.size_limit(request.args, "maxheight")
    except ValueError as bad:
        return api_error(
            400, "invalid_parameter", _("“%(parameter)s” must be a whole number.", parameter=bad)
        )
    card = oembed_answer.resolve_card(url)
    if card is not None:
        return card_oembed(*card, maxwidth, maxheight)
    try:
        lang, slug, options = oembed_answer.resolve(url)
    except oembed_answer.NotOurs:
        return api_error(404, "not_found", _("Xanh has no embeddable item at this address."))
    indicator = db.session.scalar(select(Indicator).where(Indicator.slug == slug))
    if indicator is None:
        return api_error(404, "not_found", _("Xanh has no embeddable item at this address."))
    return jsonify(oembed_answer.answer(indicator, lang, options, maxwidth, maxheight))
