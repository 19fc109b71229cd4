"""Provinces: their plans, targets and campaigns."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.campaigns.models import Campaign
from app.compare.queries import comparisons_of
from app.extensions import db
from app.http_policy import declare, page
from app.indicators.overview import awaited_figures, next_deadlines
from app.indicators.scoreboard import scoreboard, tally, tally_of
from app.indicators.stored import counted
from app.plans.models import Plan, Task
from app.provinces.models import Agency, Province
from app.queries import PLAN_FOR_STATUS, TARGET_ROW, by_slug_or_404, today, with_progress

bp = Blueprint("provinces", __name__, template_folder="templates")
PROVINCE_REPORTED = 6
PROVINCE_DEADLINES = 5


def in_charge(plans: Iterable[Plan]) -> list[tuple[Agency, int, Plan]]:
    """The agencies the plans put in charge of tasks, with how many tasks and the plan
    that gives them the most, most tasks first."""
    counts: Counter[tuple[Agency, Plan]] = Counter(
        (task.lead, plan) for plan in plans for task in plan.tasks
    )
    return [(agency, n, plan) for (agency, plan), n in counts.most_common()]


@bp.get("/provinces/")
@declare(page())
def index() -> str:
    provinces = db.session.scalars(
        select(Province).order_by(Province.slug).options(selectinload(Province.plans))
    ).all()
    counts = counted(Plan.province_id)
    return render_template(
        "provinces/index.html",
        provinces=provinces,
        board=scoreboard(
            [
                tally_of(p, counts[p.id], filters={"province": p.slug})
                for p in provinces
                if p.id in counts
            ],
            total_filters={},
        ),
        today=today(),
    )


@bp.get("/provinces/<slug>/")
@declare(page(about="province"))
def detail(slug: str) -> str:
    province = by_slug_or_404(Province, slug)
    db.session.scalars(  # what the page shows of each plan, loaded with the plans
        select(Plan)
        .where(Plan.province_id == province.id)
        .options(
            *PLAN_FOR_STATUS,
            selectinload(Plan.indicators).options(*TARGET_ROW),
            selectinload(Plan.tasks).selectinload(Task.lead),
        )
    ).all()
    campaigns = db.session.scalars(
        select(Campaign).where(Campaign.provinces.contains(province)).order_by(Campaign.position)
    ).all()
    plans = [(plan, with_progress(plan.indicators)) for plan in reversed(province.plans)]
    rows = [row for _, plan_rows in plans for row in plan_rows]
    values = (o for row in rows for o in row.indicator.values)
    reported = sorted(values, key=lambda o: (o.year, o.id), reverse=True)
    return render_template(
        "provinces/detail.html",
        province=province,
        plans=plans,
        latest=reported[:PROVINCE_REPORTED],
        deadlines=next_deadlines(today(), PROVINCE_DEADLINES, province),
        awaited=awaited_figures(province),
        in_charge=in_charge(plan for plan, _ in plans),
        board=scoreboard(
            [tally(plan, rows, filters={"plan": plan.slug}) for plan, rows in plans],
            total_filters={"province": province.slug},
        ),
        campaigns=campaigns,
        comparisons=comparisons_of({i.id for plan in province.plans for i in plan.indicators}),
        today=today(),
    )
