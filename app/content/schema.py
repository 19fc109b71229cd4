"""The shape of every content file, validated once at load."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from app.indicators.models import STATUS_KEYS
from app.plans.models import PROVISION_KINDS
from app.sources.models import ROLES

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Strict):
    """Text in Vietnamese (required) and English (optional until translated)."""

    vi: Text
    en: Text | None = None


class TopicFile(Strict):
    slug: Slug
    name: Bilingual


DocumentKind = Literal[
    "law", "party", "decision", "decree", "resolution", "plan", "letter", "article"
]


class SourceFile(Strict):
    """A document in the sources registry (content/sources.yaml)."""

    key: Slug
    number: Text | None = None
    kind: DocumentKind
    level: Literal["national", "provincial", "press"]
    issued: dt.date | None = None
    # Where the citing text gives only a year ("Luật Bảo vệ Môi trường năm 2005").
    year: int | None = Field(default=None, ge=1945, le=2100)
    issuer: Bilingual | None = None
    title: Bilingual
    held: bool
    takes: Bilingual | None = None
    find: Bilingual | None = None

    @model_validator(mode="after")
    def _held_says_what_it_gives(self) -> SourceFile:
        if self.held and (self.takes is None or self.find is None):
            raise ValueError(
                "a document Xanh holds says what Xanh takes from it and where to find it"
            )
        if self.issued and self.year:
            raise ValueError("give the date or, where only the year is known, the year")
        return self


class AgencyFile(Strict):
    slug: Slug
    name: Bilingual
    short: Bilingual | None = None


class ProvinceFile(Strict):
    name: Bilingual
    kind: Bilingual
    # What Resolution 202/2025/QH15 did to the province, said plainly.
    since_2025: Bilingual
    agencies: list[AgencyFile] = Field(min_length=1)


class Period(Strict):
    start: int = Field(ge=1990, le=2100)
    end: int = Field(ge=1990, le=2100)

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise ValueError("end is before start")
        return self


class Activities(Strict):
    taken: int = Field(ge=0)
    national: int = Field(ge=1)

    @model_validator(mode="after")
    def _within(self) -> Activities:
        if self.taken > self.national:
            raise ValueError("more activities taken up than the national plan has")
        return self


class ThemeFile(Strict):
    key: Slug
    kind: Literal["targets", "tasks", "theme"]
    code: Text
    title: Bilingual
    description: Bilingual | None = None
    activities: Activities | None = None
    section: Text | None = None


class PhaseFile(Strict):
    start: int
    end: int
    description: Bilingual


class Due(Strict):
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)
    before: bool = False

    @model_validator(mode="after")
    def _real_date(self) -> Due:
        dt.date(2024, self.month, self.day)  # a leap year accepts every real day
        return self


class ReportingFile(Strict):
    reporters: Bilingual
    recipient: Slug | None = None  # None: the plan names no recipient
    via: Slug | None = None
    due: Due | None = None
    note: Bilingual | None = None
    section: Text


class TaskFile(Strict):
    key: Slug
    theme: Slug | None = None
    lead: Slug
    partners: list[Slug] = []
    title: Bilingual
    section: Text
    due_year: int | None = None


ProvisionKind = Literal[PROVISION_KINDS]  # type: ignore[valid-type]


class ProvisionFile(Strict):
    """Something a plan (or a report on it) says that is not a target or a task."""

    kind: ProvisionKind
    title: Bilingual | None = None
    text: Bilingual
    section: Text | None = None
    # Where it is read from, when not the plan's own text (a registry key or number).
    document: Text | None = None


DocumentRole = Literal[ROLES]  # type: ignore[valid-type]


class PlanDocumentFile(Strict):
    """A document in a plan's legal trail, by registry key or number."""

    document: Text
    role: DocumentRole
    section: Text | None = None


class PlanFile(Strict):
    province: Slug
    number: Text
    issuing_body: Bilingual
    signed_by: Text | None = None
    issued: dt.date | None
    period: Period | None
    vision_year: int | None = None
    replaces: Slug | None = None
    documents: list[PlanDocumentFile] = Field(min_length=1)
    source: Bilingual
    themes: list[ThemeFile] = []
    phases: list[PhaseFile] = []
    reporting: list[ReportingFile] = []
    tasks: list[TaskFile] = []
    provisions: list[ProvisionFile] = []


Comparator = Literal[">=", ">", "<=", "<", "=", "between"]


class TargetFile(Strict):
    year: int = Field(ge=1990, le=2100)
    # `level`: a value to reach by `year`. `yearly_average`: the yearly values'
    # average over `from_year`–`year` is what must meet it. `every_year`: each
    # year's value from `from_year` to `year` must meet it on its own.
    applies: Literal["level", "yearly_average", "every_year"] = "level"
    # The plan gives the figure as approximate ("khoảng 2,5–3%").
    approximate: bool = False
    from_year: int | None = Field(default=None, ge=1990, le=2100)
    value: float | None = None
    value_high: float | None = None
    comparator: Comparator | None = None
    text: Bilingual

    @model_validator(mode="after")
    def _consistent(self) -> TargetFile:
        if self.comparator == "between":
            if self.value is None or self.value_high is None:
                raise ValueError("a 'between' target needs value and value_high")
            if self.value_high < self.value:
                raise ValueError("value_high is below value")
        elif self.value_high is not None:
            raise ValueError("value_high is only allowed with comparator 'between'")
        if (self.value is None) != (self.comparator is None):
            raise ValueError("value and comparator go together")
        if (self.applies == "level") != (self.from_year is None):
            raise ValueError(
                "from_year goes with a yearly_average or every_year target, and only then"
            )
        if self.from_year is not None and self.from_year > self.year:
            raise ValueError("from_year is after the target year")
        return self


class SourceRef(Strict):
    """A place in a registry document (content/sources.yaml), by key or number."""

    document: Text
    section: Text | None = None
    date: dt.date | None = None


class ObservationFile(Strict):
    year: int = Field(ge=1990, le=2100)
    # `publication`: the source gives no year the value refers to, only its own
    # date; `year` is then that date's year and the site says so.
    year_is: Literal["reference", "publication"] = "reference"
    value: float | None = None
    achieved: bool | None = None
    source: SourceRef
    note: Bilingual | None = None

    @model_validator(mode="after")
    def _has_value(self) -> ObservationFile:
        if self.value is None and self.achieved is None:
            raise ValueError("an observation needs a value or 'achieved'")
        return self


class Baseline(Strict):
    year: int
    value: float


class StatusOverride(Strict):
    status: Literal[STATUS_KEYS]  # type: ignore[valid-type]
    reason: Bilingual


class IndicatorFile(Strict):
    slug: Slug
    code: Text | None = None
    theme: Slug | None = None
    topic: Slug
    kind: Literal["quantitative", "milestone"]
    title: Bilingual
    part: Bilingual | None = None
    unit: Bilingual | None = None
    direction: Literal["increase", "decrease", "none"] = "none"
    baseline: Baseline | None = None
    target: TargetFile | None = None
    # A section of the plan's own document, or a place in another registry document.
    source: Text | SourceRef
    note: Bilingual | None = None
    status_override: StatusOverride | None = None
    # The agencies that report its values; their editors may enter them. Where the plan
    # names none, content says so (`reported_by_unstated: true`) rather than guessing:
    # an administrator then scopes officers to the plan.
    reported_by: list[Slug] = []
    reported_by_unstated: bool = False
    observations: list[ObservationFile] = []

    @model_validator(mode="after")
    def _kind_fits(self) -> IndicatorFile:
        if self.kind == "milestone":
            if self.target is None or self.target.value is not None:
                raise ValueError("a milestone has a target year and text, and no target value")
            if any(o.achieved is None for o in self.observations):
                raise ValueError("a milestone's observations say whether it was achieved")
        else:
            if self.unit is None:
                raise ValueError("a quantitative indicator needs a unit")
            if any(o.value is None for o in self.observations):
                raise ValueError("a quantitative indicator's observations need a value")
        years = [o.year for o in self.observations]
        if len(years) != len(set(years)):
            raise ValueError("two observations for the same year")
        if bool(self.reported_by) == self.reported_by_unstated:
            raise ValueError(
                "name the agencies that report it (reported_by), or say that the plan names "
                "none (reported_by_unstated: true)"
            )
        return self


class CampaignFile(Strict):
    position: int = 0
    # One stable key per action of vi.md and en.md, in their order: pledges count by key.
    actions: list[Slug] = Field(min_length=1)
    provinces: list[Slug] = Field(min_length=1)
    indicators: list[Slug] = []
    tasks: list[Text] = []


class ComparisonEntryFile(Strict):
    indicator: Slug
    definition: Bilingual


class ComparisonFile(Strict):
    slug: Slug
    title: Bilingual
    summary: Bilingual
    differences: Bilingual | None = None
    indicators: list[ComparisonEntryFile] = Field(min_length=2)


class PlanText(Strict):
    """Front matter of a plan's vi.md / en.md."""

    title: Text
    summary: Text


class CampaignText(Strict):
    title: Text
    summary: Text
    actions: list[Text] = Field(min_length=1)


class PageText(Strict):
    title: Text


# content/search_terms.yaml: what search reads as abbreviations, synonyms and question words.
Term = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Abbreviation(Strict):
    short: Term
    vi: Term
    en: Term | None = None
    capitals_only: bool = False


class Synonym(Strict):
    lang: Literal["vi", "en"]
    words: list[Term] = Field(min_length=1)
    means: list[Term] = Field(min_length=1)


class IgnoredWords(Strict):
    vi: list[Term] = []
    en: list[Term] = []


class TermsFile(Strict):
    abbreviations: list[Abbreviation] = []
    synonyms: list[Synonym] = []
    ignore: IgnoredWords = IgnoredWords()
