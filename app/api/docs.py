"""The readable API page, `/<lang>/api/`: the OpenAPI document, rendered for people."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, render_template
from sqlalchemy import select

from app.api import openapi
from app.extensions import db
from app.http_policy import declare, page
from app.indicators import filters as indicator_filters
from app.indicators.models import Indicator
from app.plans.models import Plan

bp = Blueprint("api_docs", __name__, template_folder="templates")


def example_paths(paths: dict[str, Any]) -> dict[str, str]:
    """A working address for each path: a real plan or indicator where it takes a slug."""
    slugs = {
        "/plans/": db.session.scalar(select(Plan.slug).order_by(Plan.slug)),
        "/indicators/": db.session.scalar(select(Indicator.slug).order_by(Indicator.slug)),
    }
    examples = {}
    for path in paths:
        example = path
        for prefix, slug in slugs.items():
            if path.startswith(prefix) and "{slug}" in path and slug:
                example = path.replace("{slug}", slug)
        if "{" not in example:
            examples[path] = "/api/v1" + example
    examples["/search"] = "/api/v1/search?q=r%C3%A1c%20th%E1%BA%A3i&lang=vi"
    return examples


@bp.get("/api/")
@declare(page())
def index() -> str:
    document = openapi.document(indicator_filters.choices())
    return render_template(
        "api/docs.html",
        document=document,
        examples=example_paths(document["paths"]),
    )
