"""The cross-province view: each province's target and latest value for the same measure."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.compare.queries import selected_comparisons, side_by_side
from app.http_policy import declare, page
from app.paging import page_of

bp = Blueprint("compare", __name__, template_folder="templates")


# Comparisons to a page: each is a table of its own.
COMPARE_PAGE = 10


@bp.get("/compare/")
@declare(page("page"))
def index() -> tuple[str, int]:
    listing = page_of(selected_comparisons(), request.args.get("page"), COMPARE_PAGE)
    html = render_template(
        "compare/index.html",
        listing=listing,
        comparisons=[(c, side_by_side(c)) for c in listing.shown],
    )
    return html, 400 if listing.errors else 200
