"""JSON records of plans, indicators, campaigns and comparisons, as INTERFACE.md describes them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, url_for

from app.campaigns.models import Campaign
from app.campaigns.pledges import Tally
from app.compare.models import Comparison
from app.i18n import LANGUAGES, both
from app.indicators.progress import Progress
from app.plans.models import Plan
from app.plans.reporting import last_due, next_due
from app.provinces.models import Agency, Province
from app.sources.models import SourceDocument
from app.sources.registry import document_name, entry_for


def _urls(endpoint: str, **values: Any) -> dict[str, str]:
    """An item's address in each language. A list cites the same documents in record after
    record: each address is built once per request."""
    built: dict[tuple, dict[str, str]] = g.setdefault("xanh_record_urls", {})
    key = (endpoint, *sorted(values.items()))
    if key not in built:
        built[key] = {lang: url_for(endpoint, lang=lang, **values) for lang in LANGUAGES}
    return dict(built[key])


def source_record(document: str, section: str | None, **extra: Any) -> dict[str, Any]:
    """A citation: the document as cited, the section, and where the registry describes it."""
    record: dict[str, Any] = {"document": document, "section": section or None, **extra}
    entry = entry_for(document)
    if entry is not None:
        record["name"] = {lang: document_name(entry, lang) for lang in LANGUAGES}
        record["entry"] = _urls("site.sources.detail", slug=entry.key)
    return record


def document_record(document: SourceDocument) -> dict[str, Any]:
    return {
        "key": document.key,
        "number": document.number,
        "kind": document.kind,
        "level": document.level,
        "issued": _iso(document.issued),
        "year": document.year,
        "issuer": both(document, "issuer") if document.issuer_vi else None,
        "title": both(document, "title"),
        "held": document.held,
        "entry": _urls("site.sources.detail", slug=document.key),
    }


def province_record(province: Province) -> dict[str, Any]:
    return {"slug": province.slug, "name": both(province, "name")}


def agency_record(agency: Agency) -> dict[str, Any]:
    return {"slug": agency.slug, "name": both(agency, "name")}


def plan_record(plan: Plan, today: dt.date) -> dict[str, Any]:
    return {
        "slug": plan.slug,
        "number": plan.number,
        "title": both(plan, "title"),
        "summary": both(plan, "summary"),
        "province": province_record(plan.province),
        "issuing_body": both(plan, "issuing_body"),
        "signed_by": plan.signed_by,
        "issued": plan.issued.isoformat() if plan.issued else None,
        "period": {"start": plan.period_start, "end": plan.period_end}
        if plan.period_start
        else None,
        "vision_year": plan.vision_year,
        "status": plan.status(today),
        "replaces": plan.replaces.slug if plan.replaces else None,
        "replaced_by": [p.slug for p in plan.replaced_by],
        "implements": [
            {"number": d.number, "issued": _iso(d.issued), "title": both(d, "title")}
            for d in plan.decisions
        ],
        "legal_trail": [
            {"role": link.role, "section": link.section, **document_record(link.document)}
            for link in plan.documents
        ],
        "phases": [
            {"start": p.start, "end": p.end, "description": both(p, "description")}
            for p in plan.phases
        ],
        "themes": [
            {
                "key": t.key,
                "kind": t.kind,
                "code": t.code,
                "title": both(t, "title"),
                "activities": (
                    {"taken": t.activities_taken, "national": t.activities_national}
                    if t.activities_national
                    else None
                ),
                "source": source_record(plan.text_source, t.source_section),
            }
            for t in plan.themes
        ],
        "tasks": [
            {
                "key": t.key,
                "title": both(t, "title"),
                "lead": agency_record(t.lead),
                "partners": [agency_record(a) for a in t.partners],
                "theme": t.theme.key if t.theme else None,
                "due_year": t.due_year,
                "source": source_record(plan.text_source, t.source_section),
            }
            for t in plan.tasks
        ],
        "reporting": [
            {
                "reporters": both(d, "reporters"),
                "recipient": agency_record(d.recipient) if d.recipient else None,
                "via": agency_record(d.via) if d.via else None,
                "due": (
                    {"month": d.due_month, "day": d.due_day, "before": d.due_is_exclusive}
                    if d.due_month
                    else None
                ),
                "note": both(d, "note") if d.note_vi else None,
                "last_due": _iso(last_due(d, plan, today)),
                "next_due": _iso(next_due(d, plan, today)),
                "source": source_record(plan.text_source, d.source_section),
            }
            for d in plan.reporting_duties
        ],
        "indicators": [i.slug for i in plan.indicators],
        "source": both(plan, "source"),
        "url": _urls("site.plans.detail", slug=plan.slug),
    }


def indicator_record(row: Progress) -> dict[str, Any]:
    indicator, assessment, report = row
    plan = indicator.plan
    return {
        "slug": indicator.slug,
        "title": both(indicator, "title"),
        "part": both(indicator, "part") if indicator.part_vi else None,
        "code": indicator.code,
        "province": province_record(plan.province),
        "plan": {"slug": plan.slug, "number": plan.number},
        "theme": {"slug": indicator.topic.slug, "name": both(indicator.topic, "name")},
        "plan_group": indicator.theme.key if indicator.theme else None,
        "kind": indicator.kind,
        "unit": both(indicator, "unit") if indicator.unit_vi else None,
        "direction": indicator.direction,
        "baseline": (
            {"year": indicator.baseline_year, "value": indicator.baseline_value}
            if indicator.baseline_value is not None
            else None
        ),
        "target": (
            {
                "year": indicator.target_year,
                "value": indicator.target_value,
                "value_high": indicator.target_value_high,
                "comparator": indicator.target_comparator,
                "applies": indicator.target_applies,
                "approximate": indicator.target_approximate,
                "from_year": indicator.target_from_year,
                "text": both(indicator, "target_text"),
            }
            if indicator.target_year
            else None
        ),
        "observations": [
            {
                "year": o.year,
                "value": o.value,
                **({"achieved": o.achieved} if indicator.kind == "milestone" else {}),
                "year_is": "publication" if o.year_is_publication else "reference",
                "source": source_record(
                    o.source_document, o.source_section, date=_iso(o.source_date)
                ),
                "note": both(o, "note") if o.note_vi else None,
            }
            for o in indicator.values
        ],
        "status": assessment.status,
        "status_inputs": assessment.inputs,
        "reporting": {
            "last_due": _iso(report.last_due),
            "next_due": _iso(report.next_due),
            "awaited_year": report.awaited_year,
            "overdue": report.overdue,
        },
        "source": source_record(indicator.source_document, indicator.source_section),
        "note": both(indicator, "note") if indicator.note_vi else None,
        "url": _urls("site.indicators.detail", slug=indicator.slug),
        "embed_url": {lang: f"/embed/{lang}/indicators/{indicator.slug}" for lang in LANGUAGES},
    }


def pledge_record(campaign: Campaign, tally: Tally) -> dict[str, Any]:
    """The public count of a campaign's pledges: totals only, never a pledge."""
    goal = tally.goal
    return {
        "campaign": campaign.slug,
        "people": tally.people,
        "actions": [
            {"key": a.key, "text": both(a, "text"), "people": tally.by_action[a.key]}
            for a in campaign.actions
        ],
        "provinces": [
            {**province_record(p), "people": tally.by_province[p.slug]} for p in campaign.provinces
        ],
        "province_not_given": tally.no_province,
        "goal": (
            {
                "people": goal.people,
                "by": goal.by.isoformat() if goal.by else None,
                "label": both(goal, "label") if goal.label_vi else None,
            }
            if goal
            else None
        ),
        "removed": [
            {"count": v.count, "reason": v.reason, "on": v.voided_at.date().isoformat()}
            for v in tally.voids
        ],
        "url": _urls("site.campaigns.detail", slug=campaign.slug),
    }


def campaign_record(campaign: Campaign, pledges: Tally) -> dict[str, Any]:
    """A campaign with its public pledge count (`pledges`, as its own record gives it)."""
    counts = pledge_record(campaign, pledges)
    return {
        "slug": campaign.slug,
        "title": both(campaign, "title"),
        "summary": both(campaign, "summary"),
        "provinces": [province_record(p) for p in campaign.provinces],
        "actions": [both(a, "text") for a in campaign.actions],
        "indicators": [i.slug for i in campaign.indicators],
        "tasks": [
            {
                "plan": t.plan.slug,
                "key": t.key,
                "title": both(t, "title"),
                "lead": agency_record(t.lead),
                "source": source_record(t.plan.text_source, t.source_section),
            }
            for t in campaign.tasks
        ],
        "pledges": {k: v for k, v in counts.items() if k not in ("campaign", "url")},
        "url": _urls("site.campaigns.detail", slug=campaign.slug),
    }


def comparison_record(comparison: Comparison) -> dict[str, Any]:
    return {
        "slug": comparison.slug,
        "title": both(comparison, "title"),
        "summary": both(comparison, "summary"),
        "differences": both(comparison, "differences") if comparison.differences_vi else None,
        "entries": [
            {
                "indicator": entry.indicator.slug,
                "province": province_record(entry.indicator.plan.province),
                "definition": both(entry, "definition"),
            }
            for entry in comparison.entries
        ],
        "url": _urls("site.compare.index", _anchor=comparison.slug),
    }


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None
