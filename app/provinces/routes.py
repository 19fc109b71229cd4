"""Provinces: their plans, targets and campaigns."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.provinces.models import Province
from app.queries import by_slug_or_404, today, with_progress

bp = Blueprint("provinces", __name__, template_folder="templates")


@bp.get("/provinces/")
def index() -> str:
    provinces = db.session.scalars(select(Province).order_by(Province.slug)).all()
    return render_template("provinces/index.html", provinces=provinces, today=today())


@bp.get("/provinces/<slug>/")
def detail(slug: str) -> str:
    province = by_slug_or_404(Province, slug)
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.provinces.contains(province)).order_by(Campaign.position)
    ).all()
    return render_template(
        "provinces/detail.html",
        province=province,
        plans=[(plan, with_progress(plan.indicators)) for plan in province.plans],
        campaigns=campaigns,
        today=today(),
    )
