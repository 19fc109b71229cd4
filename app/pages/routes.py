"""Home, methodology, the root redirect to a language, and the browsers' /favicon.ico."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response

from app.campaigns.models import Campaign
from app.campaigns.pledges import all_goals, people_per_campaign
from app.extensions import db
from app.http_policy import PRIVATE, STATIC, declare, page
from app.i18n import browser_language
from app.indicators.models import Observation
from app.indicators.overview import most_awaited, next_deadlines
from app.pages.models import Page
from app.provinces.models import Province
from app.queries import by_slug_or_404, newest_plans, today

bp = Blueprint("pages", __name__, template_folder="templates")
HOME_DEADLINES = 5  # targets listed under "nearest deadline first"
HOME_PLANS = 6  # the newest plans; the list of plans has them all
HOME_CAMPAIGNS = 6  # the first campaigns; the list of campaigns has them all
HOME_OWED = 6  # the provinces with most targets still without a figure; /provinces/ has all
root = Blueprint("root", __name__)


@root.get("/")
@declare(PRIVATE)
def choose_language() -> Response:
    response = redirect(url_for("site.pages.home", lang=browser_language()), code=302)
    response.vary.add("Accept-Language")
    return response


@root.get("/favicon.ico")
@declare(STATIC)
def favicon() -> Response:
    """Browsers ask for it wherever a page names no icon (a widget opened on its own)."""
    response = redirect(url_for("static", filename="favicon.svg"), code=301)
    response.cache_control.public = True
    response.cache_control.max_age = 86400
    return response


@bp.get("/")
@declare(page(shows_pledges=True))
def home() -> str:
    """What is known, what was promised and by when, who owes the next figure."""
    latest = db.session.scalars(
        select(Observation).order_by(Observation.year.desc(), Observation.id.desc()).limit(6)
    ).all()
    plans, plan_count = newest_plans(HOME_PLANS)
    awaited, awaiting = most_awaited(most=HOME_OWED)
    return render_template(
        "pages/home.html",
        plans=plans,
        plan_count=plan_count,
        latest=latest,
        deadlines=next_deadlines(today(), HOME_DEADLINES),
        awaited=awaited,
        awaiting=awaiting,
        campaigns=db.session.scalars(
            select(Campaign)
            .order_by(Campaign.position)
            .options(selectinload(Campaign.actions))
            .limit(HOME_CAMPAIGNS)
        ).all(),
        campaign_count=db.session.scalar(select(func.count()).select_from(Campaign)),
        people=people_per_campaign(),
        goals=all_goals(),
        provinces=db.session.scalars(select(Province).order_by(Province.slug)).all(),
        today=today(),
    )


@bp.get("/methodology/")
@declare(page(about="page"))
def methodology() -> str:
    return free_standing("methodology")


@bp.get("/<slug>/")
@declare(page(about="page"))
def free_standing(slug: str) -> str:
    """Any page of content/pages/ (the sections above, such as /plans/, take precedence:
    the content check refuses a page named like one of them)."""
    return render_template("pages/page.html", page=by_slug_or_404(Page, slug))
