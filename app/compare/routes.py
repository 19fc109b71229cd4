"""The cross-province view: each province's target and latest value for the same measure."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.compare.queries import selected_comparisons, side_by_side
from app.http_policy import declare, page
from app.indicators.filters import FilterError
from app.paging import page_of

bp = Blueprint("compare", __name__, template_folder="templates")


# Comparisons to a page: each is a table of its own.
COMPARE_PAGE = 10


@bp.get("/compare/")
@declare(page("page"))
def index() -> tuple[str, int]:
    listing, bad_page = page_of(selected_comparisons(), request.args.get("page"), COMPARE_PAGE)
    errors = [FilterError("page", bad_page)] if bad_page is not None else []
    html = render_template(
        "compare/index.html",
        listing=listing,
        comparisons=[(c, side_by_side(c)) for c in listing.shown],
        errors=errors,
    )
    return html, 400 if errors else 200
