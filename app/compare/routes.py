"""The cross-province view: each province's target and latest value for the same measure."""

from __future__ import annotations

from flask import Blueprint, render_template

from app.compare.queries import all_comparisons, side_by_side
from app.http_policy import declare, page

bp = Blueprint("compare", __name__, template_folder="templates")


@bp.get("/compare/")
@declare(page())
def index() -> str:
    return render_template(
        "compare/index.html",
        comparisons=[(c, side_by_side(c)) for c in all_comparisons()],
    )
