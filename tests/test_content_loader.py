"""The content loader: real content loads whole, broken files stop it and load nothing."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import func, select

from app.admin import values
from app.admin.entries import Entry
from app.admin.models import Account, Draft, ValueChange
from app.config import ROOT
from app.content.loader import load_content
from app.content.reader import ContentError
from app.extensions import db
from app.indicators.models import EDITOR, Indicator, Observation
from app.plans.models import Plan
from app.provinces.models import Agency
from app.sources.models import SourceDocument
from tests.factories import write_content


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_real_content_holds_every_plan_of_the_source_documents(site_app: Flask) -> None:
    with site_app.app_context():
        numbers = set(db.session.scalars(select(Plan.number)))
    assert {
        "1463/QĐ-UBND",
        "1026/QĐ-UBND",
        "682/QĐ-UBND",
        "1498/QĐ-UBND",
        "1847/KH-UBND",
    } <= numbers


def test_bac_giang_has_all_fifteen_numbered_targets(site_app: Flask) -> None:
    with site_app.app_context():
        plan = db.session.scalar(select(Plan).where(Plan.number == "1026/QĐ-UBND"))
        codes = {i.code for i in plan.indicators if i.code}
        solid_waste = db.session.scalar(
            select(Indicator).where(Indicator.slug == "bac-giang-urban-solid-waste-treated")
        )
    assert codes == {str(n) for n in range(1, 16)}
    assert (solid_waste.target_value, solid_waste.target_year, solid_waste.source_section) == (
        95,
        2030,
        "II.3.b (9)",
    )


def test_hai_phong_2021_results_are_observations_with_their_source(site_app: Flask) -> None:
    """They come from the city news portal's article of 29/10/2021, which gives its own date
    and no year the results refer to: the year shown is said to be the report's."""
    with site_app.app_context():
        rows = db.session.execute(
            select(Indicator.slug, Observation.year, Observation.value, Observation.source_document)
            .join(Observation)
            .where(Indicator.slug.like("hai-phong-%"))
        ).all()
        observations = db.session.scalars(
            select(Observation).join(Indicator).where(Indicator.slug.like("hai-phong-%"))
        ).all()
        documents = {
            d.key: d
            for d in db.session.scalars(select(SourceDocument))
            if d.cited_name in {document for *_, document in rows}
        }
        indicator_sources = set(
            db.session.scalars(
                select(Indicator.source_document).where(Indicator.slug.like("hai-phong-%"))
            )
        )
    assert list(documents) == ["hai-phong-news-2021"]
    article = documents["hai-phong-news-2021"]
    assert (article.kind, article.issued, article.held) == ("article", dt.date(2021, 10, 29), True)
    assert indicator_sources == {article.cited_name}  # not sections of 1463/QĐ-UBND
    assert all(o.year_is_publication for o in observations)
    values = {slug: value for slug, _, value, _ in rows}
    assert values == {
        "hai-phong-clean-water-households": 100,
        "hai-phong-urban-solid-waste-treated": 100,
        "hai-phong-rural-solid-waste-treated": 91,
        "hai-phong-urban-wastewater-treated": 21.2,
        "hai-phong-medical-waste-facilities": 86,
        "hai-phong-industrial-zone-wastewater": 75,
    }
    assert {year for _, year, _, _ in rows} == {2021}


def test_every_indicator_and_plan_has_english_text(site_app: Flask) -> None:
    with site_app.app_context():
        indicators = db.session.scalars(select(Indicator)).all()
        plans = db.session.scalars(select(Plan)).all()
    assert all(i.title_en for i in indicators)
    assert all(p.title_en and p.summary_en and p.body_html_en for p in plans)


def test_generated_content_loads(empty_app: Flask, tmp_path: Path) -> None:
    report = load_content(write_content(tmp_path / "content"))
    assert (report.plans, report.indicators, report.observations, report.campaigns) == (1, 2, 1, 1)
    plan = db.session.scalar(select(Plan))
    assert plan.tasks[0].lead.slug == "test-province-dpi"
    assert "<strong>thử</strong>" in plan.body_html_vi


BROKEN = [
    (
        "plans/test-plan/indicators.yaml",
        "value: 90,",
        "value: ninety,",
        "test-waste-collected.target.value",
    ),
    ("plans/test-plan/plan.yaml", "lead: dpi", "lead: nobody", "tasks.do-it"),
    ("plans/test-plan/plan.yaml", "issued: 2020-01-15", "issued: 2020-13-45", "issued"),
    ("plans/test-plan/plan.yaml", "province: test-province", "province: [unclosed", "(file)"),
    (
        "plans/test-plan/indicators.yaml",
        "topic: test-topic\n  kind: milestone",
        "topic: nowhere\n  kind: milestone",
        "test-milestone.topic",
    ),
    (
        "campaigns/test-campaign/campaign.yaml",
        "[test-waste-collected]",
        "[no-such-indicator]",
        "indicators",
    ),
    (
        "plans/test-plan/indicators.yaml",
        'comparator: ">="',
        'comparator: "about"',
        "test-waste-collected.target.comparator",
    ),
    ("campaigns/test-campaign/en.md", "[Step one, Step two]", "[Only one step]", "actions"),
]


@pytest.mark.parametrize(("name", "old", "new", "field"), BROKEN)
def test_a_broken_file_names_path_and_field_and_loads_nothing(
    empty_app: Flask, tmp_path: Path, name: str, old: str, new: str, field: str
) -> None:
    root = write_content(tmp_path / "content")
    load_content(root)
    before = (count(Plan), count(Indicator), count(Observation))
    path = root / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    # A change that would show if the load went half-way.
    plan_text = (root / "plans/test-plan/vi.md").read_text(encoding="utf-8")
    (root / "plans/test-plan/vi.md").write_text(
        plan_text.replace("Kế hoạch thử", "Đổi tên"), encoding="utf-8"
    )

    with pytest.raises(ContentError) as caught:
        load_content(root)

    message = str(caught.value)
    assert name in message and field in message
    db.session.expire_all()
    assert (count(Plan), count(Indicator), count(Observation)) == before
    assert db.session.scalar(select(Plan.title_vi)) == "Kế hoạch thử"


def test_missing_vietnamese_text_is_reported(empty_app: Flask, tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    (root / "plans/test-plan/vi.md").unlink()
    with pytest.raises(
        ContentError, match=r"plans/test-plan/vi.md: \(file\): the Vietnamese text is missing"
    ):
        load_content(root)


def test_script_in_markdown_is_removed(empty_app: Flask, tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    path = root / "plans/test-plan/vi.md"
    path.write_text(
        path.read_text() + '\n<script>alert(1)</script><a href="javascript:x()">x</a>\n'
    )
    load_content(root)
    html = db.session.scalar(select(Plan.body_html_vi))
    assert "<script" not in html and "javascript:" not in html


def test_reload_keeps_values_entered_by_editors(empty_app: Flask, tmp_path: Path) -> None:
    root = write_content(tmp_path / "content")
    load_content(root)
    indicator = db.session.scalar(select(Indicator).where(Indicator.slug == "test-waste-collected"))
    indicator.observations.append(
        Observation(year=2022, value=55.0, source_document="editor test", origin=EDITOR)
    )
    db.session.commit()
    indicator_id = indicator.id

    load_content(root)
    db.session.expire_all()
    indicator = db.session.get(Indicator, indicator_id)
    assert [(o.year, o.value, o.origin) for o in indicator.observations] == [
        (2021, 40.5, "content"),
        (2022, 55.0, EDITOR),
    ]


def test_a_reload_rewrites_only_the_values_whose_content_changed(
    empty_app: Flask, tmp_path: Path
) -> None:
    """Issue 22: a reload kept rewriting every value of every indicator. An unchanged value
    stays the same row; a changed one is replaced, with its new figure."""
    root = write_content(tmp_path / "content")
    path = root / "plans/test-plan/indicators.yaml"
    path.write_text(
        path.read_text().replace(
            '    - {year: 2021, value: 40.5, source: {document: test-report, section: "1"}}\n',
            '    - {year: 2021, value: 40.5, source: {document: test-report, section: "1"}}\n'
            '    - {year: 2022, value: 47.0, source: {document: test-report, section: "2"}}\n',
        )
    )
    load_content(root)

    def content_rows() -> dict[tuple[str, int], tuple[int, dt.datetime, float]]:
        """Each value's row, the time it was recorded (the day an undated value became
        public, as the feed says) and its figure."""
        db.session.expire_all()
        rows = db.session.scalars(select(Observation).where(Observation.origin == "content"))
        return {(o.indicator.slug, o.year): (o.id, o.created_at, o.value) for o in rows}

    before = content_rows()
    assert len(before) == 2
    load_content(root)
    assert content_rows() == before  # nothing rewritten
    path.write_text(path.read_text().replace("value: 40.5", "value: 61.25"))
    load_content(root)
    after = content_rows()
    changed = [k for k in before if after[k] != before[k]]
    assert changed == [("test-waste-collected", 2021)]
    assert after[changed[0]][2] == 61.25


def an_account(**scope: list) -> Account:
    account = Account(email="test@example.org", name="Test", role="editor", **scope)
    db.session.add(account)
    db.session.flush()
    return account


def entry(year: int) -> Entry:
    return Entry(year, None, True, "TEST-REPORT", None, None, None, None, None)


def published_value(indicator: Indicator, account: Account) -> None:
    values.save_draft(indicator, entry(2024), account)
    values.publish(indicator, [2024], account)


def draft_only(indicator: Indicator, account: Account) -> None:
    values.save_draft(indicator, entry(2024), account)


def discarded_draft(indicator: Indicator, account: Account) -> None:
    """Leaves nothing but the trail: a draft saved, then discarded."""
    values.save_draft(indicator, entry(2024), account)
    db.session.flush()
    values.discard(indicator, 2024, account)


@pytest.mark.parametrize("work", [published_value, draft_only, discarded_draft])
def test_removing_an_indicator_with_editors_work_is_refused(
    empty_app: Flask, tmp_path: Path, work: Callable[[Indicator, Account], None]
) -> None:
    root = write_content(tmp_path / "content")
    load_content(root)
    indicator = db.session.scalar(select(Indicator).where(Indicator.slug == "test-milestone"))
    work(indicator, an_account())
    db.session.commit()
    kept = (count(Observation), count(Draft), count(ValueChange))
    path = root / "plans/test-plan/indicators.yaml"
    path.write_text(path.read_text().split("- slug: test-milestone")[0])

    with pytest.raises(ContentError, match="test-milestone: removed from content but editors"):
        load_content(root)
    assert (count(Observation), count(Draft), count(ValueChange)) == kept
    assert count(Indicator) == 2


def test_removing_an_agency_or_plan_an_account_is_scoped_to_is_refused(
    empty_app: Flask, tmp_path: Path
) -> None:
    root = write_content(tmp_path / "content")
    province = root / "provinces/test-province.yaml"
    province.write_text(
        province.read_text() + "  - slug: spare\n    name: {vi: Sở dự phòng, en: Spare office}\n"
    )
    load_content(root)
    agency = db.session.scalar(select(Agency).where(Agency.slug == "test-province-spare"))
    plan = db.session.scalar(select(Plan))
    an_account(agencies=[agency], plans=[plan])
    db.session.commit()
    province.write_text(province.read_text().split("  - slug: spare")[0])
    shutil.rmtree(root / "plans/test-plan")
    shutil.rmtree(root / "campaigns/test-campaign")

    with pytest.raises(ContentError) as refused:
        load_content(root)
    message = str(refused.value)
    assert "test-province-spare: removed from content but an editor's account" in message
    assert "test-plan: removed from content but an editor's account" in message
    assert (count(Agency), count(Plan), count(Indicator)) == (3, 1, 2)
    # Once the account reports for another agency, the content can go.
    moved = empty_app.test_cli_runner().invoke(
        args=["accounts", "scope", "test@example.org", "--agency", "test-province-dpi"]
    )
    assert moved.exit_code == 0, moved.output
    load_content(root)
    assert (count(Agency), count(Plan)) == (2, 0)
    account = db.session.scalar(select(Account))
    assert [a.slug for a in account.agencies] == ["test-province-dpi"] and account.plans == []


def test_removing_an_indicator_without_editor_values_deletes_it(
    empty_app: Flask, tmp_path: Path
) -> None:
    root = write_content(tmp_path / "content")
    load_content(root)
    path = root / "plans/test-plan/indicators.yaml"
    path.write_text(path.read_text().split("- slug: test-milestone")[0])
    load_content(root)
    assert list(db.session.scalars(select(Indicator.slug))) == ["test-waste-collected"]


def test_content_check_command_passes_on_real_content(site_app: Flask) -> None:
    with site_app.app_context():
        result = site_app.test_cli_runner().invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert (ROOT / "content" / "README.md").is_file()


def test_removing_a_plan_and_its_campaign_removes_them_cleanly(
    empty_app: Flask, tmp_path: Path
) -> None:
    from app.campaigns.models import Campaign
    from app.plans.models import Task

    root = write_content(tmp_path / "content")
    load_content(root)
    shutil.rmtree(root / "plans/test-plan")
    shutil.rmtree(root / "campaigns/test-campaign")
    load_content(root)
    assert (count(Plan), count(Indicator), count(Task), count(Campaign)) == (0, 0, 0, 0)


def test_a_reload_keeps_unchanged_plan_parts_and_rewrites_changed_ones(
    empty_app: Flask, tmp_path: Path
) -> None:
    """A deploy reloads content it mostly already holds: the plan's documents, duties
    and tasks it gives unchanged stay the same rows; a changed one is written anew."""
    from sqlalchemy import select

    from app.plans.models import ReportingDuty, Task
    from app.sources.models import PlanDocument

    content = write_content(tmp_path / "content")
    load_content(content)

    def ids() -> tuple[list[int], list[int], list[int]]:
        return (
            list(db.session.scalars(select(ReportingDuty.id))),
            list(db.session.scalars(select(PlanDocument.id))),
            list(db.session.scalars(select(Task.id))),
        )

    before = ids()
    load_content(content)
    assert ids() == before
    plan = content / "plans/test-plan/plan.yaml"
    plan.write_text(
        plan.read_text().replace("due: {month: 11, day: 10}", "due: {month: 12, day: 1}")
    )
    load_content(content)
    duties, documents, tasks = ids()
    assert duties != before[0] and documents == before[1] and tasks == before[2]
    due = db.session.scalar(select(ReportingDuty))
    assert (due.due_month, due.due_day) == (12, 1)
