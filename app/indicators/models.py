"""Targets as indicators, with the values reported against them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.database import utc_now
from app.extensions import Model, link_table
from app.plans.models import Plan, PlanTheme
from app.provinces.models import Agency

CONTENT = "content"
EDITOR = "editor"
STATUS_KEYS = (
    "target_achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "unable_to_assess",
    "no_data",
)


# The agencies that report an indicator's values (content's `reported_by`).
indicator_agencies = link_table("indicator_agency", "indicator", "agency")


def effective_values(observations: list[Observation]) -> list[Observation]:
    """One value per year, in year order: an editor's entry stands in for the content one."""
    by_year: dict[int, Observation] = {}
    for o in sorted(observations, key=lambda o: (o.year, o.origin == EDITOR)):
        by_year[o.year] = o
    return list(by_year.values())


class Topic(Model):
    """What an indicator measures, the same across provinces (waste, water, forest…)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int]
    name_vi: Mapped[str]
    name_en: Mapped[str | None]


class Indicator(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("plan_theme.id", ondelete="SET NULL"))
    topic_id: Mapped[int] = mapped_column(ForeignKey("topic.id"))
    position: Mapped[int]
    code: Mapped[str | None] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(20))  # quantitative | milestone
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    part_vi: Mapped[str | None]
    part_en: Mapped[str | None]
    unit_vi: Mapped[str | None] = mapped_column(String(60))
    unit_en: Mapped[str | None] = mapped_column(String(60))
    direction: Mapped[str] = mapped_column(String(20))  # increase | decrease | none
    baseline_value: Mapped[float | None]
    baseline_year: Mapped[int | None]
    target_value: Mapped[float | None]
    target_value_high: Mapped[float | None]
    target_comparator: Mapped[str | None] = mapped_column(String(10))
    target_year: Mapped[int | None]
    # level | yearly_average | every_year (content's `target.applies`).
    target_applies: Mapped[str] = mapped_column(String(20), default="level", server_default="level")
    target_from_year: Mapped[int | None]
    target_approximate: Mapped[bool] = mapped_column(default=False, server_default=false())
    target_text_vi: Mapped[str | None]
    target_text_en: Mapped[str | None]
    source_document: Mapped[str] = mapped_column(String(120))
    source_section: Mapped[str] = mapped_column(String(120))
    note_vi: Mapped[str | None]
    note_en: Mapped[str | None]
    # A status set by hand, with its reason, where the method would mislead.
    status_override: Mapped[str | None] = mapped_column(String(30))
    status_override_reason_vi: Mapped[str | None]
    status_override_reason_en: Mapped[str | None]
    # Raised by every editor's change, so that a save based on an older page is refused.
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    # Its status as of the day and data version SiteState names (app/indicators/stored.py),
    # so lists filter and page, and scoreboards count, in SQL; pages compute the rows
    # they show in full (with the figures behind each status) from the same data.
    stored_status: Mapped[str] = mapped_column(
        String(30), default="no_data", server_default="no_data", index=True
    )
    stored_without_target: Mapped[bool] = mapped_column(default=False, server_default=false())
    stored_report_overdue: Mapped[bool] = mapped_column(default=False, server_default=false())
    stored_deadline_passed: Mapped[bool] = mapped_column(default=False, server_default=false())

    plan: Mapped[Plan] = relationship(back_populates="indicators")
    theme: Mapped[PlanTheme | None] = relationship()
    topic: Mapped[Topic] = relationship()
    reported_by: Mapped[list[Agency]] = relationship(secondary=indicator_agencies)
    observations: Mapped[list[Observation]] = relationship(
        back_populates="indicator", order_by="Observation.year", cascade="all, delete-orphan"
    )

    @property
    def values(self) -> list[Observation]:
        """The published values the public sees, one per year."""
        return effective_values(self.observations)

    @property
    def has_target(self) -> bool:
        """A milestone, or a figure to meet by a year; without one, values are results only."""
        if self.kind == "milestone":
            return True
        return self.target_value is not None and self.target_year is not None


# The fields of a value that a draft carries and publishing copies onto an observation.
VALUE_FIELDS = (
    "value",
    "achieved",
    "source_document",
    "source_section",
    "source_date",
    "note_vi",
    "note_en",
)


class ReportedValue:
    """One year's value with its source: published (Observation) or a draft."""

    year: Mapped[int]
    value: Mapped[float | None]
    achieved: Mapped[bool | None]
    source_document: Mapped[str] = mapped_column(String(300))
    source_section: Mapped[str | None] = mapped_column(String(200))
    source_date: Mapped[dt.date | None]
    note_vi: Mapped[str | None]
    note_en: Mapped[str | None]


class Observation(ReportedValue, Model):
    """A value reported for one year, with its source.

    `origin` tells rows loaded from content files from rows entered by editors;
    reloading content replaces only the former.
    """

    __table_args__ = (UniqueConstraint("indicator_id", "year", "origin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    origin: Mapped[str] = mapped_column(String(20), default=CONTENT)
    # The source gives only its own date, not the year the value refers to.
    year_is_publication: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utc_now)

    indicator: Mapped[Indicator] = relationship(back_populates="observations")
