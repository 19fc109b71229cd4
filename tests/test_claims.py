"""Every claim traceable: no figure enters a page through prose alone.

A page may show a number only if it is in the structured content (content/**/*.yaml:
targets, values, sections, dates, document numbers, every one of which carries its
citation), or if the prose marks it as cited (`[65%](cite:1026/QĐ-UBND#III.8.9.a)`), or
if it is an illustration a paragraph marks as made-up (`{: .example}`). Counts the site
computes (how many targets have a status…) are marked `class="count"` in the templates.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml
from babel.numbers import format_decimal
from flask import Flask
from flask_babel import force_locale, gettext
from sqlalchemy import select

from app.config import ROOT
from app.extensions import db
from app.indicators.models import Indicator, Observation
from app.indicators.status import ACCELERATION, ON_TRACK
from app.sources.models import SourceDocument
from tests.conftest import LANGS
from tests.test_pages import all_paths

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
# Dates the pages compute (a report due the day before 25 October, today's date…): the
# guard checks only that their year is one the content knows.
DATES = [
    re.compile(r"\b\d{1,2}/\d{1,2}/(?P<year>\d{4})\b"),
    re.compile(
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September|October"
        r"|November|December) (?P<year>\d{4})\b"
    ),
    re.compile(r"\b\d{1,2} tháng \d{1,2}(?: năm (?P<year>\d{4}))?\b"),
    re.compile(
        r"\b\d{1,2} (?:January|February|March|April|May|June|July|August|September"
        r"|October|November|December)\b"
    ),
]
# Elements whose numbers are not claims: a marked citation or illustration, page furniture
# the site computes, the drawn chart (its table beside it is checked), code and forms.
SKIP_CLASSES = {"cited", "cite", "example", "count"}
SKIP_TAGS = {"svg", "code", "pre", "textarea", "script", "style", "select", "form", "nav"}


class MainText(HTMLParser):
    """The text of <main>, leaving out the elements that carry no claim."""

    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_main = False
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "main":
            self.in_main = True
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = (
            (self.stack and self.stack[-1]) or tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        )
        self.stack.append(bool(skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if self.stack:
            self.stack.pop()
        if tag == "main":
            self.in_main = False

    def handle_data(self, data: str) -> None:
        if self.in_main and not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def strings_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings_in(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings_in(value)]
    return [str(node)] if node is not None else []


def forms(value: float) -> set[str]:
    """A number as either language writes it: 21,2 and 21.2; 17.000 and 17,000."""
    shown = {format_decimal(value, format="#,##0.###", locale=lang) for lang in ("vi", "en")}
    return shown | {str(value)} | ({str(int(value))} if float(value).is_integer() else set())


def allowed_numbers(app: Flask, content: Path) -> set[str]:
    """Every number the cited structured content holds, in the forms pages write it."""
    allowed: set[str] = set()
    for path in content.rglob("*.yaml"):
        for text in strings_in(yaml.safe_load(path.read_text(encoding="utf-8"))):
            for token in NUMBER.findall(text):
                allowed.add(token)
                try:
                    allowed |= forms(float(token.replace(",", ".")))
                except ValueError:
                    pass
    with app.app_context():
        figures = [
            *db.session.scalars(select(Observation.value)),
            *db.session.scalars(select(Indicator.target_value)),
            *db.session.scalars(select(Indicator.target_value_high)),
            *db.session.scalars(select(Indicator.baseline_value)),
        ]
        dates = [d for d in db.session.scalars(select(SourceDocument.issued)) if d]
    for value in filter(lambda v: v is not None, figures):
        allowed |= forms(value)
    for day in dates:
        allowed |= {str(day.day), f"{day.day:02d}", str(day.month), f"{day.month:02d}"}
    # The method's own thresholds, which the methodology page states.
    for threshold in (ON_TRACK, ACCELERATION, 0):
        allowed |= forms(threshold)
    return allowed


def unexplained_numbers(text: str, allowed: set[str], years: set[str]) -> list[str]:
    found = []
    for pattern in DATES:
        for match in pattern.finditer(text):
            year = match.groupdict().get("year")
            if year and year not in years:
                found.append(match.group(0))
        text = pattern.sub(" ", text)
    for match in NUMBER.finditer(text):
        token = match.group(0).rstrip(".,")
        if token not in allowed:
            found.append(f"{token} in “…{text[max(0, match.start() - 50) : match.end() + 30]}…”")
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_every_number_on_every_page_is_cited_structured_content(site_app: Flask, lang: str) -> None:
    allowed = allowed_numbers(site_app, ROOT / "content")
    years = {n for n in allowed if re.fullmatch(r"(19|20)\d\d", n)}
    client = site_app.test_client()
    problems: dict[str, list[str]] = {}
    for path in all_paths(site_app):
        response = client.get(f"/{lang}{path}")
        assert response.status_code == 200, path
        parser = MainText()
        parser.feed(response.get_data(as_text=True))
        found = unexplained_numbers(parser.text, allowed, years)
        if found:
            problems[f"/{lang}{path}"] = found
    assert problems == {}


def test_the_guard_catches_a_figure_written_into_prose_only(site_app: Flask) -> None:
    """A made-up figure in a paragraph is caught; marked cited, or as an illustration, it is not."""
    allowed = allowed_numbers(site_app, ROOT / "content")
    years = {"2030"}

    def numbers_in(html: str) -> list[str]:
        parser = MainText()
        parser.feed(f"<main>{html}</main>")
        return unexplained_numbers(parser.text, allowed, years)

    assert "4321" not in allowed
    assert numbers_in("<p>Bags fell by 4321 tonnes.</p>") == [
        "4321 in “…Bags fell by 4321 tonnes.…”"
    ]
    cited = '<p>Bags fell by <a class="cited" href="/en/sources/#x">4321 tonnes</a>.</p>'
    assert numbers_in(cited) == []
    assert numbers_in('<p class="example">Say 4321 tonnes (made-up figures).</p>') == []
    # A date the site computes passes only with a year the content knows.
    assert numbers_in("<p>Due 24 October 2030.</p>") == []
    assert numbers_in("<p>Due 24 October 1999.</p>") == ["24 October 1999"]
    # The real figures the content cites pass in either language's form.
    assert numbers_in("<p>21,2% and 21.2%; 17.000 ha and 17,000 ha</p>") == []


# --- Every citation resolves to its source ------------------------------------------------

CITATION_LINK = re.compile(r'<a class="cite[d]?" href="(/(?:vi|en)/sources/)([^"/]+)/"')


def test_every_citation_in_the_content_names_a_registry_document(site_app: Flask) -> None:
    from app.plans.models import Plan, PlanProvision
    from app.sources.registry import entry_for

    with site_app.test_request_context("/en/"):
        cited = {
            *db.session.scalars(select(Indicator.source_document)),
            *db.session.scalars(select(Observation.source_document)),
            *(p.text_source for p in db.session.scalars(select(Plan))),
            *(p.cited_document for p in db.session.scalars(select(PlanProvision))),
        }
        unknown = {name for name in cited if entry_for(name) is None}
    assert len(cited) >= 5 and unknown == set()


@pytest.mark.parametrize("lang", LANGS)
def test_every_citation_link_on_every_page_lands_on_its_entry(site_app: Flask, lang: str) -> None:
    client = site_app.test_client()
    sources = client.get(f"/{lang}/sources/").get_data(as_text=True)
    entries = set(re.findall(r'<article class="card source" id="([^"]+)"', sources))
    for key in entries:  # each entry has its own page, which citations link to
        own = client.get(f"/{lang}/sources/{key}/")
        assert (
            own.status_code == 200
            and f'<article class="card source" id="{key}"' in own.get_data(as_text=True)
        )
    with site_app.app_context():
        # Documents without a number are cited by name, never by their registry key.
        keys = [d.key for d in db.session.scalars(select(SourceDocument)) if not d.number]
    linked: set[str] = set()
    for path in all_paths(site_app):
        html = client.get(f"/{lang}{path}").get_data(as_text=True)
        text = MainText()
        text.feed(html.replace('class="cite', 'class="x'))  # read the citations' text too
        assert not [k for k in keys if k in text.text], path
        for prefix, key in CITATION_LINK.findall(html):
            assert prefix == f"/{lang}/sources/", path  # in the reader's language
            assert key in entries, f"{path} cites unknown entry {key}"
            linked.add(key)
    # Every document Xanh reads from, and the 2025 resolution, is cited somewhere.
    assert {
        "hai-phong-1463-2014",
        "hai-phong-news-2021",
        "bac-giang-1026-2022",
        "binh-duong-news-2018",
        "lai-chau-1498-2012",
        "nq-202-2025-qh15",
        "luat-72-2025-qh15",
    } <= linked


def test_binh_duong_is_cited_from_the_article_not_from_a_plan_xanh_does_not_hold(
    client: Any,
) -> None:
    record = client.get("/api/v1/plans/binh-duong-1847-2018").get_json()
    cited = [t["source"] for t in record["tasks"]] + [t["source"] for t in record["themes"]]
    cited += [d["source"] for d in record["reporting"]]
    assert {c["document"] for c in cited} == {"binh-duong-news-2018"}
    assert all(c["section"].startswith("paragraph") for c in cited)  # not "#7"-style numbers
    for slug in record["indicators"]:
        source = client.get(f"/api/v1/indicators/{slug}").get_json()["source"]
        assert source["document"] == "binh-duong-news-2018"
    html = client.get("/en/plans/binh-duong-1847-2018/").get_data(as_text=True)
    assert "1847/KH-UBND, section" not in html and "#7" not in html


# --- The legal trail ------------------------------------------------------------------------


def test_each_plan_gives_its_whole_legal_trail_on_its_page_and_in_the_api(client: Any) -> None:
    record = client.get("/api/v1/plans/bac-giang-1026-2022").get_json()
    trail = {(d["number"] or d["key"], d["role"]) for d in record["legal_trail"]}
    assert {
        ("1658/QĐ-TTg", "legal_basis"),
        ("219/QĐ-TTg", "legal_basis"),
        ("882/QĐ-TTg", "legal_basis"),
        ("luat-to-chuc-cqdp-2015", "legal_basis"),
        ("107/TTr-SKHĐT", "proposed_by"),
        ("1658/QĐ-TTg", "implements"),
        ("1092/QĐ-TTg", "cites"),
        ("06/2022/NĐ-CP", "cites"),
    } <= trail
    assert record["signed_by"] == "Lê Ánh Dương"
    assert record["implements"][0] == {
        "number": "1658/QĐ-TTg",
        "issued": "2021-10-01",
        "title": record["legal_trail"][
            next(i for i, d in enumerate(record["legal_trail"]) if d["number"] == "1658/QĐ-TTg")
        ]["title"],
    }
    html = client.get("/en/plans/bac-giang-1026-2022/").get_data(as_text=True)
    legal = html[html.index('id="legal"') :]
    for number, _ in trail:
        assert number in legal or number.startswith("luat-")
    assert 'href="/en/sources/qd-219-2022/"' in legal


def test_lai_chau_is_shown_as_its_plan_says_no_more(client: Any) -> None:
    record = client.get("/api/v1/plans/lai-chau-1498-2012").get_json()
    assert record["vision_year"] is None  # its 2031–2050 phase is not called a vision
    assert [(p["start"], p["end"]) for p in record["phases"]] == [
        (2011, 2020),
        (2021, 2030),
        (2031, 2050),
    ]
    (duty,) = record["reporting"]
    assert duty["recipient"] is None and duty["due"] is None  # the plan names neither
    assert "names neither" in duty["note"]["en"]
    html = client.get("/en/plans/lai-chau-1498-2012/").get_data(as_text=True)
    assert "The plan does not say to whom" in html
    facts = html[: html.index('aria-labelledby="summary"')]
    phases = html[html.index('id="phases"') :]
    phases = phases[: phases.index("</section>")]
    assert "2011–2050" in facts and not re.search(r"\bvision\b", facts + phases)


# --- What the documents say that Xanh used to leave out ----------------------------------


def test_the_plans_principles_measures_funding_and_lessons_are_on_their_pages(client: Any) -> None:
    lai_chau = client.get("/en/plans/lai-chau-1498-2012/").get_data(as_text=True)
    provisions = lai_chau[lai_chau.index('id="provisions"') :]
    assert provisions.count(", section II</span>") == 5  # five principles
    assert "Groups of measures" in provisions and ", section V.6</span>" in provisions
    areas = lai_chau[lai_chau.index('id="areas"') : lai_chau.index('id="tasks"')]
    assert areas.count("<li>") == 12 and "alluvial gold" in areas  # each area's content
    hai_phong = client.get("/vi/plans/hai-phong-1463-2014/").get_data(as_text=True)
    for heading in (
        "Kinh nghiệm địa phương nêu",
        "Đề nghị gửi trung ương",
        "Nguồn vốn, kinh phí",
        "Sửa đổi, bổ sung kế hoạch",
        "Định hướng nêu cho giai đoạn tiếp theo",
    ):
        assert heading in hai_phong
    bac_giang = client.get("/en/plans/bac-giang-1026-2022/").get_data(as_text=True)
    assert "Steering committee" in bac_giang and "Abbreviations used in the plan" in bac_giang


def test_the_plans_abbreviations_are_the_ones_search_expands(site_app: Flask) -> None:
    from app.plans.models import PlanProvision
    from app.search.analyzers import fold
    from app.search.terms import default_terms, key

    listed_forms = default_terms().abbreviations()

    with site_app.app_context():
        listed = db.session.scalars(
            select(PlanProvision).where(PlanProvision.kind == "abbreviation")
        ).all()
    assert len(listed) == 16
    for item in listed:
        short = key(item.title_vi)
        assert short in listed_forms, short
        expected = " ".join(re.findall(r"\w+", fold(item.text_vi).lower()))
        found = " ".join(listed_forms[short].phrases["vi"][0])
        assert fold(found).lower().replace("“", "").replace("”", "") == expected


# --- Targets as the plans word them -----------------------------------------------------


def test_targets_keep_their_wording(client: Any) -> None:
    renewable = client.get("/en/indicators/bac-giang-renewable-power-share/").get_data(as_text=True)
    assert "about 2.5–3% by 2030" in renewable
    electricity = client.get("/vi/indicators/bac-giang-electricity-intensity-reduction/")
    assert "bình quân giai đoạn 2021–2030" in electricity.get_data(as_text=True)
    science = client.get("/en/indicators/lai-chau-science-projects/").get_data(as_text=True)
    assert "in each year of 2013–2020" in science
    assert "No value has been reported yet for a year of 2013–2020." in science
    for lang in LANGS:
        for path in ("/indicators/", "/compare/", "/plans/bac-giang-1026-2022/"):
            assert "≥ 100%" not in client.get(f"/{lang}{path}").get_data(as_text=True)


# --- The 2025 reorganisation ---------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_province_and_plan_pages_give_the_2025_context_with_its_resolution(
    site_app: Flask, lang: str
) -> None:
    from app.plans.models import Plan
    from app.provinces.models import Province

    client = site_app.test_client()
    with site_app.app_context():
        provinces = {
            p.slug: (p.since_2025_vi, p.since_2025_en) for p in db.session.scalars(select(Province))
        }
        plans = {p.slug: p.province.slug for p in db.session.scalars(select(Plan))}
    assert (
        "Bắc Ninh" in provinces["bac-giang"][0] and "Ho Chi Minh City" in provinces["binh-duong"][1]
    )
    for slug, province in [*((s, s) for s in provinces), *plans.items()]:
        kind = "provinces" if slug in provinces else "plans"
        html = client.get(f"/{lang}/{kind}/{slug}/").get_data(as_text=True)
        context = html[html.index('class="notice info context-2025"') :]
        context = context[: context.index("</aside>")]
        assert f'href="/{lang}/sources/nq-202-2025-qh15/">202/2025/QH15</a>' in context
        assert f'href="/{lang}/sources/luat-72-2025-qh15/">72/2025/QH15</a>' in context
        assert provinces[province][0 if lang == "vi" else 1] in context
        says_unknown = (
            "do not say whether it still applies"
            if lang == "en"
            else "không cho biết kế hoạch còn được áp dụng hay không"
        )
        assert (says_unknown in context) == (kind == "plans")


def test_the_content_explains_its_sources_without_pointing_outside_the_repository() -> None:
    readme = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    assert "sources.yaml" in readme and "cite:" in readme  # how to mark a cited figure
    for path in (ROOT / "content").rglob("*"):
        if path.is_file():
            assert "shared/seeds" not in path.read_text(encoding="utf-8"), path


def test_national_documents_carry_only_what_the_citing_plans_say(site_app: Flask) -> None:
    """1393/QĐ-TTg is cited with no period by both plans that name it: Xanh gives none."""
    with site_app.app_context():
        strategy = db.session.scalar(
            select(SourceDocument).where(SourceDocument.number == "1393/QĐ-TTg")
        )
    assert not strategy.held
    assert not re.search(r"\d{4}", strategy.title_vi + (strategy.title_en or ""))


def test_a_citation_to_a_document_the_registry_lacks_stops_the_load(
    empty_app: Flask, tmp_path: Path
) -> None:
    from app.content.loader import load_content
    from app.content.reader import ContentError
    from tests.factories import write_content

    root = write_content(tmp_path / "content")
    page = root / "plans" / "test-plan" / "en.md"
    page.write_text(
        page.read_text(encoding="utf-8") + "\n[12%](cite:99/QĐ-NOWHERE#II.1) of it.\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError) as error:
        load_content(root)
    assert "unknown document '99/QĐ-NOWHERE'" in str(error.value)
    assert "plans/test-plan/en.md" in str(error.value)


def test_a_cited_figure_in_prose_links_to_its_source_in_the_pages_language(
    empty_app: Flask, tmp_path: Path
) -> None:
    from app.content.loader import load_content
    from app.plans.models import Plan
    from tests.factories import write_content

    root = write_content(tmp_path / "content")
    for lang, text in (
        ("vi", "[12%](cite:1/QĐ-TEST#II.1)"),
        ("en", "[12%](cite:test-plan-text#paragraph 3)"),
    ):
        page = root / "plans" / "test-plan" / f"{lang}.md"
        page.write_text(page.read_text(encoding="utf-8") + f"\n{text} of it.\n", encoding="utf-8")
    load_content(root)
    plan = db.session.scalar(select(Plan))
    assert (
        '<a class="cited" href="/vi/sources/test-plan-text/" title="1/QĐ-TEST, mục II.1"'
        in plan.body_html_vi
    )
    assert 'href="/en/sources/test-plan-text/" title="1/QĐ-TEST, paragraph 3"' in plan.body_html_en


@pytest.mark.parametrize("lang", LANGS)
def test_the_sources_page_lists_every_document_with_what_is_taken_and_how_to_find_it(
    site_app: Flask, lang: str
) -> None:
    client = site_app.test_client()
    html = client.get(f"/{lang}/sources/").get_data(as_text=True)
    with site_app.app_context():
        documents = db.session.scalars(select(SourceDocument)).all()
    with site_app.test_request_context(), force_locale(lang):
        finding, takes = gettext("Finding the original"), gettext("What Xanh takes from it")
    for document in documents:
        start = html.index(f'id="{document.key}"')
        entry = html[start : html.index("</article>", start)]
        assert finding in entry, document.key
        assert (takes in entry) == bool(document.takes_vi), document.key
        if document.number:
            assert document.number in entry
    held = [d.key for d in documents if d.held]
    assert held == [
        "hai-phong-1463-2014",
        "hai-phong-news-2021",
        "bac-giang-1026-2022",
        "binh-duong-news-2018",
        "lai-chau-1498-2012",
    ]
