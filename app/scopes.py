"""Which items' pages a published change touches, so that the page cache keeps the rest.

A value published for one indicator changes that indicator's page, widget, image and
record, its plan's and its province's, and those of the campaigns that follow it;
no other item's. Answers that show data of many items (lists, summaries, home, the
feed) declare no item (`HttpPolicy.about`) and are rendered anew after any change.
"""

from __future__ import annotations

from sqlalchemy import select

from app.campaigns.models import Campaign
from app.extensions import db
from app.indicators.models import Indicator
from app.plans.models import Plan
from app.provinces.models import Province
from app.publishing import EVERYTHING


def touched_by(documents: set[str] | None) -> set[str] | None:
    """The items (`kind:slug`) whose pages these changed documents touch; None when any
    page may be touched (a content load, a restore, a kind of change not known here)."""
    if documents is None or EVERYTHING in documents:
        return None
    touched: set[str] = set()
    indicators: set[str] = set()
    for document in documents:
        kind, _, slug = document.partition(":")
        if kind == "indicator":
            indicators.add(slug)
        elif kind == "campaign":
            touched.add(document)
        else:
            return None
    if indicators:
        rows = db.session.execute(
            select(Indicator.slug, Plan.slug, Province.slug)
            .join(Indicator.plan)
            .join(Plan.province)
            .where(Indicator.slug.in_(sorted(indicators)))
        ).all()
        for indicator, plan, province in rows:
            touched |= {f"indicator:{indicator}", f"plan:{plan}", f"province:{province}"}
        following = db.session.scalars(
            select(Campaign.slug)
            .join(Campaign.indicators)
            .where(Indicator.slug.in_(sorted(indicators)))
        )
        touched |= {f"campaign:{slug}" for slug in following}
        # A slug no longer found (a deleted row) is still touched.
        touched |= {f"indicator:{slug}" for slug in indicators}
    return touched
