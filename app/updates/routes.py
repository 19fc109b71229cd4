"""The updates feed (new values and the status changes they bring), the sitemap and
/robots.txt, which points crawlers at it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, render_template, url_for
from sqlalchemy import ColumnElement, String, cast, exists, func, or_, select
from sqlalchemy.orm import aliased, selectinload

from app.campaigns.models import Campaign
from app.campaigns.posts import CampaignPost, posts_of
from app.extensions import db
from app.http_policy import declare, page
from app.i18n import LANGUAGES
from app.indicators.models import EDITOR, Indicator, Observation
from app.indicators.progress import AsOf, known_since
from app.indicators.status import Assessment, assess
from app.pages.models import Page
from app.plans.models import Plan
from app.provinces.models import Province
from app.queries import INDICATOR_PAGE_OPTIONS, by_slug_or_404, in_order, today
from app.sources.models import SourceDocument
from app.urls import site_root

bp = Blueprint("updates", __name__, template_folder="templates")
root = Blueprint("sitemap", __name__, template_folder="templates")

FEED_SIZE = 50


@dataclass(frozen=True)
class Update:
    """One feed entry: a value reported, or a milestone's deadline passing."""

    indicator: Indicator
    day: dt.date
    observation: Observation | None
    before: Assessment
    after: Assessment

    @property
    def key(self) -> str:
        year = self.observation.year if self.observation else "deadline"
        return f"{self.indicator.slug}/{year}"

    @property
    def status_changed(self) -> bool:
        return self.before.status != self.after.status


def updates(indicators: list[Indicator], day: dt.date) -> list[Update]:
    """Every reported value with the status before and after it, newest first."""
    found: list[Update] = []
    for indicator in indicators:
        values = indicator.values
        for i, o in enumerate(values):
            when = known_since(o)
            before = assess(AsOf(indicator, values[:i]), when)  # type: ignore[arg-type]
            after = assess(AsOf(indicator, values[: i + 1]), when)  # type: ignore[arg-type]
            found.append(Update(indicator, when, o, before, after))
        if indicator.kind == "milestone" and indicator.target_year:
            passed = dt.date(indicator.target_year + 1, 1, 1)
            if passed <= day:
                before = assess(AsOf(indicator, values), passed - dt.timedelta(days=1))  # type: ignore[arg-type]
                after = assess(indicator, passed)
                if after.overdue_milestone:
                    found.append(Update(indicator, passed, None, before, after))
    return sorted(found, key=lambda u: (u.day, u.key), reverse=True)[:FEED_SIZE]


def newest_updated(day: dt.date) -> list[Indicator]:
    """The indicators the site feed's newest FEED_SIZE entries come from, found without
    working out every indicator's history: SQL orders the entries as the feed does
    (`Update` day, then key), and only the indicators of the newest are loaded."""
    ids = _newest_values() | _milestones_passed_last(day)
    return in_order(Indicator, sorted(ids), *INDICATOR_PAGE_OPTIONS)


def _in_feed_order(key: ColumnElement[str]) -> ColumnElement[str]:
    """An entry's key as SQL orders it the way Python orders `Update.key` (byte by byte:
    PostgreSQL's own collation would pass over the hyphens)."""
    return key.collate("C") if db.engine.dialect.name == "postgresql" else key


def _newest_values() -> set[int]:
    """The indicators of the FEED_SIZE newest values the public sees."""
    known = func.coalesce(Observation.source_date, func.date(Observation.created_at))
    key = _in_feed_order(Indicator.slug + "/" + cast(Observation.year, String))
    twin = aliased(Observation)
    standing = or_(  # not a content value an editor's entry stands in for
        Observation.origin == EDITOR,
        ~exists().where(
            twin.indicator_id == Observation.indicator_id,
            twin.year == Observation.year,
            twin.origin == EDITOR,
        ),
    )
    newest = (
        select(Observation.indicator_id)
        .join(Observation.indicator)
        .where(standing)
        .order_by(known.desc(), key.desc())
        .limit(FEED_SIZE)
    )
    return set(db.session.scalars(newest))


def _milestones_passed_last(day: dt.date) -> set[int]:
    """The milestones of the newest FEED_SIZE deadlines passed unmet (each dated the day
    after its target year), in the feed's order, loading them FEED_SIZE at a time."""
    key = _in_feed_order(Indicator.slug + "/deadline")
    passed = (
        select(Indicator.id)
        .where(Indicator.kind == "milestone", Indicator.target_year < day.year)
        .order_by(Indicator.target_year.desc(), key.desc())
    )
    found: set[int] = set()
    unmet = 0
    start = 0
    while chosen := list(db.session.scalars(passed.offset(start).limit(FEED_SIZE))):
        for indicator in in_order(Indicator, chosen, selectinload(Indicator.observations)):
            year = indicator.target_year
            assert year is not None
            found.add(indicator.id)
            unmet += assess(indicator, dt.date(year + 1, 1, 1)).overdue_milestone
            if unmet >= FEED_SIZE:
                return found
        start += FEED_SIZE
    return found


@bp.get("/feed.atom")
@declare(page())
def feed() -> Response:
    return atom(newest_updated(today()), None)


@dataclass(frozen=True)
class Scope:
    """What a scoped feed follows: a province, a plan, a target or a campaign."""

    kind: str
    item: Any

    @property
    def page(self) -> str:
        return url_for(f"site.{self.kind}.detail", slug=self.item.slug)

    @property
    def feed(self) -> str:
        return url_for("site.updates.scoped_feed", kind=self.kind, slug=self.item.slug)


def atom(
    indicators: list[Indicator], scope: Scope | None, posts: list[CampaignPost] | None = None
) -> Response:
    day = today()
    entries = updates(indicators, day)
    posts = posts or []
    days = [u.day for u in entries] + [p.published_at.date() for p in posts]
    body = render_template(
        "updates/feed.atom.xml",
        entries=entries,
        posts=posts,
        updated=max(days, default=day),
        site=site_root(),
        scope=scope,
    )
    return Response(body, mimetype="application/atom+xml")


# What each kind of page's feed follows: the indicators in its scope.
SCOPES: dict[str, tuple[type, Callable[[Any], list[Indicator]]]] = {
    "provinces": (Province, lambda p: [i for plan in p.plans for i in plan.indicators]),
    "plans": (Plan, lambda plan: list(plan.indicators)),
    "indicators": (Indicator, lambda indicator: [indicator]),
    "campaigns": (Campaign, lambda campaign: list(campaign.indicators)),
}


@declare(page())
def scoped_feed(kind: str, slug: str) -> Response:
    """The feed of one province, plan, target or campaign: its updates only."""
    model, indicators = SCOPES[kind]
    item: Any = by_slug_or_404(model, slug)
    # A campaign's feed also carries the updates its editors write.
    posts = posts_of(item.slug, limit=FEED_SIZE) if kind == "campaigns" else None
    return atom(indicators(item), Scope(kind, item), posts)


# One address per kind (/<lang>/plans/<slug>/feed.atom …), one view and one endpoint:
# url_for("site.updates.scoped_feed", kind=…, slug=…) picks the address by its kind.
for _kind in SCOPES:
    bp.add_url_rule(
        f"/{_kind}/<slug>/feed.atom", "scoped_feed", scoped_feed, defaults={"kind": _kind}
    )


@root.get("/sitemap.xml")
@declare(page())
def sitemap() -> Response:
    pages: list[tuple[str, dict[str, Any]]] = [
        ("site.pages.home", {}),
        ("site.plans.index", {}),
        ("site.indicators.index", {}),
        ("site.campaigns.index", {}),
        ("site.provinces.index", {}),
        ("site.compare.index", {}),
        ("site.sources.index", {}),
        ("site.api_docs.index", {}),
    ]
    for endpoint, model in (
        ("site.plans.detail", Plan),
        ("site.indicators.detail", Indicator),
        ("site.campaigns.detail", Campaign),
        ("site.provinces.detail", Province),
        ("site.pages.free_standing", Page),
    ):
        slugs = db.session.scalars(select(model.slug).order_by(model.slug))
        pages += [(endpoint, {"slug": slug}) for slug in slugs]
    keys = db.session.scalars(select(SourceDocument.key).order_by(SourceDocument.key))
    pages += [("site.sources.detail", {"slug": key}) for key in keys]
    site = site_root()
    urls = [
        {lang: site + url_for(endpoint, lang=lang, **args) for lang in LANGUAGES}
        for endpoint, args in pages
    ]
    body = render_template("updates/sitemap.xml", urls=urls, languages=LANGUAGES)
    return Response(body, mimetype="application/xml")


@root.get("/robots.txt")
@declare(page())
def robots() -> Response:
    """Crawlers may read every public page; the editors' pages are not for them. The
    sitemap lists every page in both languages."""
    body = (
        f"User-agent: *\nDisallow: /admin/\n\nSitemap: {site_root()}{url_for('sitemap.sitemap')}\n"
    )
    return Response(body, mimetype="text/plain")
