"""Checks that span files: every slug, agency, theme and link points at something real."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from app.content.reader import Content, Problem

# The first part of each section's address under /<lang>/: a free-standing page (served
# at /<lang>/<slug>/) may not take one of them. tests/test_pages.py keeps this in step
# with the URL rules.
SECTIONS = frozenset(
    {
        "plans",
        "indicators",
        "campaigns",
        "provinces",
        "compare",
        "sources",
        "search",
        "feed.atom",
        "api",
        "alerts",
        "follow",
    }
)


def _duplicates(values: Iterable[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def by_identifier[S](sources: Iterable[S]) -> dict[str, S]:
    """Registry documents by every name a citation may give them: key and number."""
    return {name: s for s in sources for name in (s.key, s.number) if name}  # type: ignore[attr-defined]


def check_references(content: Content) -> list[Problem]:
    problems: list[Problem] = []
    topics = {t.slug for t in content.topics}
    documents = by_identifier(content.sources)
    provinces = {p.slug: p for p in content.provinces}
    plans = {p.slug: p for p in content.plans}
    agencies = {p.slug: {a.slug for a in p.data.agencies} for p in content.provinces}

    for slug in sorted(set(content.pages) & SECTIONS):
        problems.append(
            Problem(f"content/pages/{slug}.vi.md", slug, "a section of the site has this address")
        )
    for slug in _duplicates(t.slug for t in content.topics):
        problems.append(Problem("content/topics.yaml", slug, "slug used twice"))
    identifiers = [i for s in content.sources for i in (s.key, s.number) if i]
    for value in _duplicates(identifiers):
        problems.append(Problem("content/sources.yaml", value, "key or number used twice"))
    for province in content.provinces:
        for slug in _duplicates(a.slug for a in province.data.agencies):
            problems.append(
                Problem(f"content/provinces/{province.slug}.yaml", f"agencies.{slug}", "used twice")
            )

    indicator_slugs: list[str] = []
    for plan in content.plans:
        path = f"content/plans/{plan.slug}/plan.yaml"
        data = plan.data
        if data.province not in provinces:
            problems.append(Problem(path, "province", f"unknown province '{data.province}'"))
        if data.replaces and data.replaces not in plans:
            problems.append(Problem(path, "replaces", f"unknown plan '{data.replaces}'"))
        if data.number not in documents:
            problems.append(
                Problem(path, "number", f"'{data.number}' is not in content/sources.yaml")
            )
        for ref in data.documents:
            if ref.document not in documents:
                problems.append(Problem(path, "documents", f"unknown document '{ref.document}'"))
        for item in data.provisions:
            if item.document and item.document not in documents:
                problems.append(Problem(path, "provisions", f"unknown document '{item.document}'"))
        known_agencies = agencies.get(data.province, set())
        theme_keys = [t.key for t in data.themes]
        for key in _duplicates(theme_keys):
            problems.append(Problem(path, f"themes.{key}", "key used twice"))
        for key in _duplicates(t.key for t in data.tasks):
            problems.append(Problem(path, f"tasks.{key}", "key used twice"))
        for task in data.tasks:
            if task.theme and task.theme not in theme_keys:
                problems.append(
                    Problem(path, f"tasks.{task.key}.theme", f"unknown theme '{task.theme}'")
                )
            for agency in [task.lead, *task.partners]:
                if agency not in known_agencies:
                    problems.append(
                        Problem(
                            path,
                            f"tasks.{task.key}",
                            f"unknown agency '{agency}' in {data.province}",
                        )
                    )
        for i, duty in enumerate(data.reporting):
            for agency in filter(None, [duty.recipient, duty.via]):
                if agency not in known_agencies:
                    problems.append(Problem(path, f"reporting.{i}", f"unknown agency '{agency}'"))
        ind_path = f"content/plans/{plan.slug}/indicators.yaml"
        for indicator in plan.indicators:
            indicator_slugs.append(indicator.slug)
            cited = [o.source.document for o in indicator.observations]
            if not isinstance(indicator.source, str):
                cited.append(indicator.source.document)
            for document in cited:
                if document not in documents:
                    problems.append(
                        Problem(
                            ind_path,
                            f"{indicator.slug}.source",
                            f"unknown document '{document}' (see content/sources.yaml)",
                        )
                    )
            if indicator.theme and indicator.theme not in theme_keys:
                problems.append(
                    Problem(
                        ind_path, f"{indicator.slug}.theme", f"unknown theme '{indicator.theme}'"
                    )
                )
            for agency in indicator.reported_by:
                if agency not in known_agencies:
                    problems.append(
                        Problem(
                            ind_path,
                            f"{indicator.slug}.reported_by",
                            f"unknown agency '{agency}' in {data.province}",
                        )
                    )
            if indicator.topic not in topics:
                problems.append(
                    Problem(
                        ind_path, f"{indicator.slug}.topic", f"unknown topic '{indicator.topic}'"
                    )
                )
    for slug in _duplicates(indicator_slugs):
        problems.append(Problem("content/plans", slug, "indicator slug used twice"))

    tasks = {f"{p.slug}/{t.key}" for p in content.plans for t in p.data.tasks}
    for campaign in content.campaigns:
        path = f"content/campaigns/{campaign.slug}/campaign.yaml"
        for slug in campaign.data.provinces:
            if slug not in provinces:
                problems.append(Problem(path, "provinces", f"unknown province '{slug}'"))
        for slug in campaign.data.indicators:
            if slug not in indicator_slugs:
                problems.append(Problem(path, "indicators", f"unknown indicator '{slug}'"))
        keys = campaign.data.actions
        for key in _duplicates(keys):
            problems.append(Problem(path, f"actions.{key}", "key used twice"))
        for lang, text in campaign.texts.items():
            if len(text.meta.actions) != len(keys):
                problems.append(
                    Problem(
                        f"content/campaigns/{campaign.slug}/{lang}.md",
                        "actions",
                        f"lists {len(text.meta.actions)} actions; campaign.yaml names "
                        f"{len(keys)} (one key per action, in the same order)",
                    )
                )
        for task_ref in campaign.data.tasks:
            if task_ref not in tasks:
                problems.append(
                    Problem(path, "tasks", f"unknown task '{task_ref}' (plan-slug/task-key)")
                )
    indicators = {i.slug: (p, i) for p in content.plans for i in p.indicators}
    problems += _comparison_problems(content, indicators)
    return problems


def _comparison_problems(content: Content, indicators: dict) -> list[Problem]:
    """Each comparison sets side by side the same unit from at least two provinces."""
    path = "content/comparisons.yaml"
    problems = [
        Problem(path, slug, "slug used twice")
        for slug in _duplicates(c.slug for c in content.comparisons)
    ]
    for comparison in content.comparisons:
        slugs = [entry.indicator for entry in comparison.indicators]
        for slug in _duplicates(slugs):
            problems.append(Problem(path, comparison.slug, f"indicator '{slug}' listed twice"))
        known = [indicators[s] for s in slugs if s in indicators]
        for slug in slugs:
            if slug not in indicators:
                problems.append(Problem(path, comparison.slug, f"unknown indicator '{slug}'"))
        if len({plan.data.province for plan, _ in known}) < 2:
            problems.append(Problem(path, comparison.slug, "needs targets from two provinces"))
        units = {indicator.unit.vi if indicator.unit else None for _, indicator in known}
        if len(units) > 1:
            problems.append(Problem(path, comparison.slug, "the targets have different units"))
    return problems
