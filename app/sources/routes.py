"""The sources page: every document Xanh draws on, what it takes from each, and who cites it."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.extensions import db
from app.http_policy import declare, page
from app.queries import by_slug_or_404
from app.sources.models import PlanDocument, SourceDocument

bp = Blueprint("sources", __name__, template_folder="templates")

# The page's groups, in order: what Xanh reads, then what those documents cite.
GROUPS = ("held", "national", "provincial")


def group_of(document: SourceDocument) -> str:
    return (
        "held" if document.held else ("national" if document.level == "national" else "provincial")
    )


@bp.get("/sources/")
@declare(page())
def index() -> str:
    documents = db.session.scalars(
        select(SourceDocument)
        .options(selectinload(SourceDocument.citing).selectinload(PlanDocument.plan))
        .order_by(SourceDocument.position)
    ).all()
    groups = {name: [d for d in documents if group_of(d) == name] for name in GROUPS}
    return render_template("sources/index.html", groups=groups)


@bp.get("/sources/<slug>/")
@declare(page(about="source"))
def detail(slug: str) -> str:
    """One document: the page every citation of it links to."""
    document = by_slug_or_404(SourceDocument, slug, "key")
    return render_template("sources/detail.html", document=document)
