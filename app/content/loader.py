"""Load validated content into the database, all of it or nothing.

Rows are matched on their natural keys (slugs, numbers, plan + key) and updated
in place, so ids stay stable for data that refers to them. Values entered by
editors (observations whose origin is not `content`) are never touched; an
indicator that still has such values, drafts or trail cannot be removed from
content, nor an agency or plan that an account is scoped to.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select

from app.alerts import events as alert_events
from app.alerts.models import AlertEvent
from app.campaigns.models import Campaign, CampaignAction
from app.compare.models import Comparison, ComparisonEntry
from app.content import schema
from app.content.reader import Content, ContentError, Narrative, Problem, read_content
from app.content.references import check_references
from app.extensions import db
from app.indicators.models import CONTENT, Indicator, Observation, Topic
from app.indicators.status import assess
from app.pages.models import Page
from app.plans.models import Plan, PlanPhase, PlanProvision, PlanTheme, ReportingDuty, Task
from app.provinces.models import Agency, Province
from app.publishing import mark_published
from app.sources.models import PlanDocument, SourceDocument

T = TypeVar("T")


@dataclass(frozen=True)
class LoadReport:
    provinces: int
    plans: int
    indicators: int
    observations: int
    campaigns: int
    pages: int

    def __str__(self) -> str:
        return (
            f"{self.provinces} provinces, {self.plans} plans, {self.indicators} indicators, "
            f"{self.observations} reported values, {self.campaigns} campaigns, {self.pages} pages"
        )


def bilingual(name: str, value: schema.Bilingual | None) -> dict[str, str | None]:
    return {f"{name}_vi": value.vi if value else None, f"{name}_en": value.en if value else None}


def narrative(texts: dict[str, Narrative], **fields: str) -> dict[str, Any]:
    """Map front-matter fields and the rendered body of each language onto columns."""
    values: dict[str, Any] = {}
    for lang in ("vi", "en"):
        text = texts.get(lang)
        for column, meta_field in fields.items():
            values[f"{column}_{lang}"] = getattr(text.meta, meta_field) if text else None
        values[f"body_html_{lang}"] = text.html if text else None
    values["body_html_vi"] = values["body_html_vi"] or ""
    return values


class Sync:
    """Upsert rows by key; remember the ones content no longer mentions."""

    def __init__(self) -> None:
        self.stale: list[object] = []

    def rows(self, model: type[T], key: str, wanted: dict[Any, dict[str, Any]]) -> dict[Any, T]:
        existing = {getattr(row, key): row for row in db.session.scalars(select(model))}
        result: dict[Any, T] = {}
        for value, fields in wanted.items():
            row = existing.pop(value, None)
            if row is None:
                row = model(**{key: value})
                db.session.add(row)
            _set_changed(row, fields)
            result[value] = row
        self.stale.extend(existing.values())
        return result

    @staticmethod
    def children(
        current: list[T], key: str, wanted: list[tuple[Any, dict[str, Any]]], make: type[T]
    ) -> list[T]:
        by_key = {getattr(row, key): row for row in current}
        result = []
        for value, fields in wanted:
            row = by_key.get(value) or make(**{key: value})
            _set_changed(row, fields)
            result.append(row)
        return result

    @staticmethod
    def replaced(current: list[T], wanted: list[dict[str, Any]], make: type[T]) -> list[T]:
        """Rows without a key of their own (a plan's provisions, phases, duties): kept as
        they are when content gives them unchanged, else made anew."""
        if len(current) == len(wanted) and all(
            getattr(row, name) == value
            for row, fields in zip(current, wanted, strict=True)
            for name, value in fields.items()
        ):
            return current
        return [make(**fields) for fields in wanted]


def _set_changed(row: object, fields: dict[str, Any]) -> None:
    """Write only the fields whose value differs: setting an attribute to what it holds
    still costs the ORM its change tracking, for every field of every row of a reload."""
    for name, value in fields.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


def load_content(root: Path) -> LoadReport:
    """Validate the content folder and load it in one transaction."""
    content = read_content(root)
    problems = check_references(content)
    if problems:
        raise ContentError(problems)
    try:
        report = _write(content)
        mark_published()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return report


def _write(content: Content) -> LoadReport:
    sync = Sync()
    topics = sync.rows(
        Topic,
        "slug",
        {
            t.slug: {"position": i, **bilingual("name", t.name)}
            for i, t in enumerate(content.topics)
        },
    )
    documents = sync.rows(
        SourceDocument,
        "key",
        {s.key: _source_fields(s, i) for i, s in enumerate(content.sources)},
    )
    by_name = {name: doc for doc in documents.values() for name in doc.identifiers}
    provinces = sync.rows(
        Province,
        "slug",
        {
            p.slug: {
                **bilingual("name", p.data.name),
                **bilingual("kind", p.data.kind),
                **bilingual("since_2025", p.data.since_2025),
                **narrative(p.texts),
            }
            for p in content.provinces
        },
    )
    agencies = sync.rows(
        Agency,
        "slug",
        {
            f"{p.slug}-{a.slug}": {
                "province": provinces[p.slug],
                **bilingual("name", a.name),
                **bilingual("short", a.short),
            }
            for p in content.provinces
            for a in p.data.agencies
        },
    )
    plans = sync.rows(
        Plan,
        "slug",
        {b.slug: _plan_fields(b.data, b.texts, provinces) for b in content.plans},
    )
    indicator_fields: dict[str, dict[str, Any]] = {}
    observations: dict[str, list[Observation]] = {}
    for bundle in content.plans:
        plan = plans[bundle.slug]
        plan.replaces = plans[bundle.data.replaces] if bundle.data.replaces else None
        with db.session.no_autoflush:  # the new links hang off documents before the plan
            links = Sync.replaced(
                plan.documents,
                [
                    {
                        "document": by_name[ref.document],
                        "role": ref.role,
                        "position": i,
                        "section": ref.section,
                    }
                    for i, ref in enumerate(bundle.data.documents)
                ],
                PlanDocument,
            )
            if links is not plan.documents:
                plan.documents = links
        themes = _write_plan_parts(
            plan, bundle.data, lambda s, p=bundle.data.province: agencies[f"{p}-{s}"], by_name
        )
        for position, item in enumerate(bundle.indicators):
            indicator_fields[item.slug] = _indicator_fields(
                item, plan, themes, topics, position, by_name
            )
            indicator_fields[item.slug]["reported_by"] = [
                agencies[f"{bundle.data.province}-{s}"] for s in item.reported_by
            ]
            observations[item.slug] = _observations(item, by_name)
    indicators = sync.rows(Indicator, "slug", indicator_fields)
    _refuse_to_drop_editor_data(sync.stale)
    news: list[AlertEvent] = []
    for slug, row in indicators.items():
        news += _replace_content_observations(row, observations[slug])
    campaigns = sync.rows(
        Campaign,
        "slug",
        {c.slug: _campaign_fields(c, provinces) for c in content.campaigns},
    )
    tasks = {f"{t.plan.slug}/{t.key}": t for t in db.session.scalars(select(Task))}
    for campaign_bundle in content.campaigns:
        campaign = campaigns[campaign_bundle.slug]
        campaign.indicators = [indicators[s] for s in campaign_bundle.data.indicators]
        campaign.tasks = [tasks[ref] for ref in campaign_bundle.data.tasks]
    comparisons = sync.rows(
        Comparison,
        "slug",
        {
            c.slug: {
                "position": i,
                **bilingual("title", c.title),
                **bilingual("summary", c.summary),
                **bilingual("differences", c.differences),
            }
            for i, c in enumerate(content.comparisons)
        },
    )
    for comparison in content.comparisons:
        comparisons[comparison.slug].entries = [
            ComparisonEntry(
                indicator=indicators[entry.indicator],
                position=position,
                **bilingual("definition", entry.definition),
            )
            for position, entry in enumerate(comparison.indicators)
        ]
    pages = sync.rows(
        Page,
        "slug",
        {slug: narrative(texts, title="title") for slug, texts in content.pages.items()},
    )
    db.session.flush()
    for stale in reversed(sync.stale):  # dependants before what they depend on
        db.session.delete(stale)
    db.session.add_all(news)  # last, so they are written just before the load commits
    db.session.flush()
    observation_count = sum(len(rows) for rows in observations.values())
    return LoadReport(
        len(provinces), len(plans), len(indicators), observation_count, len(campaigns), len(pages)
    )


def _content_fields(o: Observation) -> tuple:
    return (
        o.year,
        o.year_is_publication,
        o.value,
        o.achieved,
        o.source_document,
        o.source_section,
        o.source_date,
        o.note_vi,
        o.note_en,
    )


def _replace_content_observations(row: Indicator, new: list[Observation]) -> list[AlertEvent]:
    """Swap the values loaded from content; keep those editors entered. Values the
    content still gives as they are stay untouched: a load rewrites what changed, not
    every value of every indicator (a flush per indicator made most of a reload's time)."""
    wanted = {_content_fields(o): o for o in new}
    current = [o for o in row.observations if o.origin == CONTENT]
    unchanged = [o for o in current if _content_fields(o) in wanted]
    if len(unchanged) == len(current) == len(wanted) == len(new):
        return []
    shown_before = {o.year for o in row.values}
    status_before = assess(row, dt.date.today()).status
    kept = [o for o in row.observations if o.origin != CONTENT] + unchanged
    row.observations = kept
    db.session.flush()  # the old rows go before new ones take their (year, origin) slot
    same = {_content_fields(o) for o in unchanged}
    added = [o for key, o in wanted.items() if key not in same]
    row.observations = kept + added
    # Residents who follow it hear of what content published (an indicator new to the
    # site, with no row yet, is announced like any other).
    return alert_events.values_published(
        row,
        [(o.year, o.year in shown_before) for o in added],
        status_before,
        assess(row, dt.date.today()).status,
    )


def _plan_fields(
    data: schema.PlanFile, texts: dict[str, Narrative], provinces: dict
) -> dict[str, Any]:
    return {
        "number": data.number,
        "province": provinces[data.province],
        **bilingual("issuing_body", data.issuing_body),
        "signed_by": data.signed_by,
        "issued": data.issued,
        "period_start": data.period.start if data.period else None,
        "period_end": data.period.end if data.period else None,
        "vision_year": data.vision_year,
        **bilingual("source", data.source),
        **narrative(texts, title="title", summary="summary"),
    }


def _source_fields(item: schema.SourceFile, position: int) -> dict[str, Any]:
    return {
        "position": position,
        "number": item.number,
        "kind": item.kind,
        "level": item.level,
        "issued": item.issued,
        "year": item.year,
        "held": item.held,
        **bilingual("issuer", item.issuer),
        **bilingual("title", item.title),
        **bilingual("takes", item.takes),
        **bilingual("find", item.find),
    }


def _write_plan_parts(
    plan: Plan, data: schema.PlanFile, agency, by_name: dict[str, SourceDocument]
) -> dict[str, PlanTheme]:
    themes_now = Sync.children(
        plan.themes,
        "key",
        [
            (
                t.key,
                {
                    "position": i,
                    "kind": t.kind,
                    "code": t.code,
                    **bilingual("title", t.title),
                    **bilingual("description", t.description),
                    "activities_taken": t.activities.taken if t.activities else None,
                    "activities_national": t.activities.national if t.activities else None,
                    "source_section": t.section,
                },
            )
            for i, t in enumerate(data.themes)
        ],
        PlanTheme,
    )
    if themes_now != plan.themes:
        plan.themes = themes_now
    themes = {t.key: t for t in plan.themes}
    tasks_now = Sync.children(
        plan.tasks,
        "key",
        [
            (
                t.key,
                {
                    "position": i,
                    "theme": themes.get(t.theme) if t.theme else None,
                    "lead": agency(t.lead),
                    "partners": [agency(p) for p in t.partners],
                    **bilingual("title", t.title),
                    "source_section": t.section,
                    "due_year": t.due_year,
                },
            )
            for i, t in enumerate(data.tasks)
        ],
        Task,
    )
    if tasks_now != plan.tasks:
        plan.tasks = tasks_now
    provisions = Sync.replaced(
        plan.provisions,
        [
            {
                "kind": p.kind,
                "position": i,
                **bilingual("title", p.title),
                **bilingual("text", p.text),
                "source_document": by_name[p.document].cited_name if p.document else None,
                "source_section": p.section,
            }
            for i, p in enumerate(data.provisions)
        ],
        PlanProvision,
    )
    if provisions is not plan.provisions:
        plan.provisions = provisions
    phases = Sync.replaced(
        plan.phases,
        [
            {"start": p.start, "end": p.end, **bilingual("description", p.description)}
            for p in data.phases
        ],
        PlanPhase,
    )
    if phases is not plan.phases:
        plan.phases = phases
    duties = Sync.replaced(
        plan.reporting_duties,
        [
            {
                "position": i,
                **bilingual("reporters", r.reporters),
                "recipient": agency(r.recipient) if r.recipient else None,
                "via": agency(r.via) if r.via else None,
                "due_month": r.due.month if r.due else None,
                "due_day": r.due.day if r.due else None,
                "due_is_exclusive": r.due.before if r.due else False,
                **bilingual("note", r.note),
                "source_section": r.section,
            }
            for i, r in enumerate(data.reporting)
        ],
        ReportingDuty,
    )
    if duties is not plan.reporting_duties:
        plan.reporting_duties = duties
    return themes


def _indicator_fields(
    item: schema.IndicatorFile,
    plan: Plan,
    themes: dict,
    topics: dict,
    position: int,
    by_name: dict[str, SourceDocument],
) -> dict[str, Any]:
    target = item.target
    section: str | None
    if isinstance(item.source, str):
        document, section = plan.number, item.source
    else:
        document, section = by_name[item.source.document].cited_name, item.source.section
    return {
        "plan": plan,
        "theme": themes.get(item.theme) if item.theme else None,
        "topic": topics[item.topic],
        "position": position,
        "code": item.code,
        "kind": item.kind,
        **bilingual("title", item.title),
        **bilingual("part", item.part),
        **bilingual("unit", item.unit),
        "direction": item.direction,
        "baseline_value": item.baseline.value if item.baseline else None,
        "baseline_year": item.baseline.year if item.baseline else None,
        "target_value": target.value if target else None,
        "target_value_high": target.value_high if target else None,
        "target_comparator": target.comparator if target else None,
        "target_year": target.year if target else None,
        "target_applies": target.applies if target else "level",
        "target_from_year": target.from_year if target else None,
        "target_approximate": target.approximate if target else False,
        **bilingual("target_text", target.text if target else None),
        "source_document": document,
        "source_section": section or "",
        **bilingual("note", item.note),
        "status_override": item.status_override.status if item.status_override else None,
        **bilingual(
            "status_override_reason", item.status_override.reason if item.status_override else None
        ),
    }


def _observations(
    item: schema.IndicatorFile, by_name: dict[str, SourceDocument]
) -> list[Observation]:
    return [
        Observation(
            year=o.year,
            year_is_publication=o.year_is == "publication",
            value=o.value,
            achieved=o.achieved,
            origin=CONTENT,
            source_document=by_name[o.source.document].cited_name,
            source_section=o.source.section,
            source_date=o.source.date,
            **bilingual("note", o.note),
        )
        for o in item.observations
    ]


def _campaign_fields(bundle, provinces: dict) -> dict[str, Any]:
    values = narrative(bundle.texts, title="title", summary="summary")
    values["position"] = bundle.data.position
    values["provinces"] = [provinces[s] for s in bundle.data.provinces]
    vi, en = bundle.texts["vi"].meta.actions, bundle.texts.get("en")
    existing = db.session.scalars(
        select(CampaignAction).join(Campaign).where(Campaign.slug == bundle.slug)
    ).all()
    values["actions"] = Sync.children(
        list(existing),
        "key",
        [
            (key, {"position": i, "text_vi": vi[i], "text_en": en.meta.actions[i] if en else None})
            for i, key in enumerate(bundle.data.actions)
        ],
        CampaignAction,
    )
    return values


def _refuse_to_drop_editor_data(stale: list[object]) -> None:
    """Content may not remove what editors' work hangs on.

    An indicator's values, drafts and trail entered by editors would go with it
    (they cascade); an agency or plan named in an account's scope would quietly
    narrow what that editor may report.
    """
    from app.admin.models import Draft, ValueChange, account_agencies, account_plans

    def stale_slugs(model: type[Indicator | Agency | Plan]) -> dict[int, str]:
        return {row.id: row.slug for row in stale if isinstance(row, model)}

    indicators, agencies, plans = stale_slugs(Indicator), stale_slugs(Agency), stale_slugs(Plan)
    with_editor_data = [
        select(Draft.indicator_id).where(Draft.indicator_id.in_(indicators)),
        select(ValueChange.indicator_id).where(ValueChange.indicator_id.in_(indicators)),
        select(Observation.indicator_id).where(
            Observation.indicator_id.in_(indicators), Observation.origin != CONTENT
        ),
    ]
    in_a_scope = [
        select(account_agencies.c.agency_id).where(account_agencies.c.agency_id.in_(agencies)),
        select(account_plans.c.plan_id).where(account_plans.c.plan_id.in_(plans)),
    ]
    held = {i for query in with_editor_data for i in db.session.scalars(query)}
    scoped_agencies, scoped_plans = (set(db.session.scalars(query)) for query in in_a_scope)
    entered = "removed from content but editors entered values for it; keep it in content"
    scoped = (
        "removed from content but an editor's account is scoped to it; keep it in content "
        "or change the account's scope first (flask accounts scope)"
    )
    problems = [
        *(Problem("content/plans", indicators[i], entered) for i in sorted(held)),
        *(Problem("content/provinces", agencies[i], scoped) for i in sorted(scoped_agencies)),
        *(Problem("content/plans", plans[i], scoped) for i in sorted(scoped_plans)),
    ]
    if problems:
        raise ContentError(problems)
