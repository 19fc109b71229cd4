"""The list of plans and one plan's page."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from sqlalchemy.orm import selectinload

from app.http_policy import declare, page
from app.indicators.scoreboard import scoreboard, tally
from app.paging import page_of
from app.plans.models import Plan, Task
from app.plans.reporting import last_due, next_due
from app.provinces.models import Agency
from app.queries import (
    TARGET_ROW,
    by_slug_or_404,
    selected_plans,
    today,
    with_plan_details,
    with_progress,
)

bp = Blueprint("plans", __name__, template_folder="templates")


@bp.get("/plans/")
@declare(page("page"))
def index() -> tuple[str, int]:
    listing = page_of(selected_plans(), request.args.get("page"))
    html = render_template("plans/index.html", listing=listing, today=today())
    return html, 400 if listing.errors else 200


@bp.get("/plans/<slug>/")
@declare(page(about="plan"))
def detail(slug: str) -> str:
    plan = by_slug_or_404(Plan, slug)
    with_plan_details([plan], selectinload(Plan.indicators).options(*TARGET_ROW))
    day = today()
    indicators = with_progress(plan.indicators)
    by_theme = group_indicators(plan, indicators)
    return render_template(
        "plans/detail.html",
        plan=plan,
        status=plan.status(day),
        indicators_by_theme=by_theme,
        board=scoreboard(
            [tally(theme, rows) for theme, rows in by_theme], total_filters={"plan": plan.slug}
        ),
        tasks_by_agency=tasks_by_lead(plan.tasks),
        duties=[(d, last_due(d, plan, day), next_due(d, plan, day)) for d in plan.reporting_duties],
    )


def tasks_by_lead(tasks: list[Task]) -> list[tuple[Agency, list[Task]]]:
    """Group tasks under their lead agency, in the order the plan names them."""
    groups: dict[int, tuple[Agency, list[Task]]] = {}
    for task in tasks:
        groups.setdefault(task.lead_id, (task.lead, []))[1].append(task)
    return list(groups.values())


def group_indicators(plan: Plan, indicators: list) -> list[tuple[object, list]]:
    """Indicators under the plan's own target groups; ungrouped ones last."""
    order = {theme.id: i for i, theme in enumerate(plan.themes)}
    groups: dict[int | None, list] = {}
    for row in indicators:
        groups.setdefault(row.indicator.theme_id, []).append(row)
    themes = {t.id: t for t in plan.themes}
    keys = sorted(
        groups, key=lambda k: order.get(k, len(order)) if k is not None else len(order) + 1
    )
    return [(themes.get(k) if k is not None else None, groups[k]) for k in keys]
