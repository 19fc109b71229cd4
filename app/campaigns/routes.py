"""Campaigns residents can join."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.http_policy import declare, page
from app.queries import by_slug_or_404, with_progress

bp = Blueprint("campaigns", __name__, template_folder="templates")


@bp.get("/campaigns/")
@declare(page())
def index() -> str:
    campaigns = db.session.scalars(select(Campaign).order_by(Campaign.position)).all()
    return render_template("campaigns/index.html", campaigns=campaigns)


@bp.get("/campaigns/<slug>/")
@declare(page())
def detail(slug: str) -> str:
    campaign = by_slug_or_404(Campaign, slug)
    return render_template(
        "campaigns/detail.html", campaign=campaign, indicators=with_progress(campaign.indicators)
    )
