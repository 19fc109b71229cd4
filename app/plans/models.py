"""Plans, their themes, phases, tasks and reporting duties."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model, link_table
from app.provinces.models import Agency, Province
from app.sources.models import ROLES, PlanDocument, SourceDocument

if TYPE_CHECKING:
    from app.indicators.models import Indicator

task_partners = link_table("task_partner", "task", "agency")


def in_groups[T](
    items: list[T], attribute: str, order: tuple[str, ...]
) -> list[tuple[str, list[T]]]:
    """Items grouped by an attribute, groups in the given order, empty ones left out."""
    groups = [(key, [i for i in items if getattr(i, attribute) == key]) for key in order]
    return [(key, members) for key, members in groups if members]


class Plan(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    number: Mapped[str] = mapped_column(String(60))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    issuing_body_vi: Mapped[str]
    issuing_body_en: Mapped[str | None]
    signed_by: Mapped[str | None] = mapped_column(String(200))
    issued: Mapped[dt.date | None]
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    vision_year: Mapped[int | None]
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"))
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    summary_vi: Mapped[str]
    summary_en: Mapped[str | None]
    body_html_vi: Mapped[str] = mapped_column(default="")
    body_html_en: Mapped[str | None]
    source_vi: Mapped[str]
    source_en: Mapped[str | None]
    # Set by an administrator, not by content: each value needs a second editor's approval.
    second_approval: Mapped[bool] = mapped_column(default=False, server_default="0")

    province: Mapped[Province] = relationship(back_populates="plans")
    replaces: Mapped[Plan | None] = relationship(
        remote_side="Plan.id", back_populates="replaced_by", foreign_keys=[replaces_id]
    )
    replaced_by: Mapped[list[Plan]] = relationship(back_populates="replaces")
    documents: Mapped[list[PlanDocument]] = relationship(
        back_populates="plan", order_by="PlanDocument.position", cascade="all, delete-orphan"
    )
    themes: Mapped[list[PlanTheme]] = relationship(
        back_populates="plan", order_by="PlanTheme.position", cascade="all, delete-orphan"
    )
    phases: Mapped[list[PlanPhase]] = relationship(
        back_populates="plan", order_by="PlanPhase.start", cascade="all, delete-orphan"
    )
    tasks: Mapped[list[Task]] = relationship(
        back_populates="plan", order_by="Task.position", cascade="all, delete-orphan"
    )
    provisions: Mapped[list[PlanProvision]] = relationship(
        back_populates="plan", order_by="PlanProvision.position", cascade="all, delete-orphan"
    )
    reporting_duties: Mapped[list[ReportingDuty]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        back_populates="plan", order_by="Indicator.position"
    )

    def documents_in(self, role: str) -> list[SourceDocument]:
        return [link.document for link in self.documents if link.role == role]

    @property
    def provisions_by_kind(self) -> list[tuple[str, list[PlanProvision]]]:
        return in_groups(self.provisions, "kind", PROVISION_KINDS)

    @property
    def legal_trail(self) -> list[tuple[str, list[PlanDocument]]]:
        """The plan's documents grouped by the part they play, in the order of ROLES."""
        return in_groups(self.documents, "role", ROLES)

    @property
    def text_source(self) -> str:
        """The document the plan's tasks, themes and duties are cited from.

        Its own number where Xanh holds its text; otherwise the first document
        Xanh reads it from (a news article, or the decision that replaced it).
        """
        read_from = self.documents_in("read_from")
        return read_from[0].cited_name if read_from else self.number

    @property
    def decisions(self) -> list[SourceDocument]:
        """The national documents this plan carries out."""
        return self.documents_in("implements")

    def status(self, today: dt.date) -> str:
        """Return `replaced`, `ended` once its period is over, else `in_force`."""
        if self.replaced_by:
            return "replaced"
        if self.period_end is not None and today.year > self.period_end:
            return "ended"
        return "in_force"


class PlanTheme(Model):
    """A group of targets or tasks, or a theme, as the plan itself numbers them."""

    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))  # targets | tasks | theme
    code: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    description_vi: Mapped[str | None]
    description_en: Mapped[str | None]
    activities_taken: Mapped[int | None]
    activities_national: Mapped[int | None]
    source_section: Mapped[str | None] = mapped_column(String(80))

    plan: Mapped[Plan] = relationship(back_populates="themes")


class PlanPhase(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    start: Mapped[int]
    end: Mapped[int]
    description_vi: Mapped[str]
    description_en: Mapped[str | None]

    plan: Mapped[Plan] = relationship(back_populates="phases")


class Task(Model):
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(80))
    position: Mapped[int]
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("plan_theme.id", ondelete="SET NULL"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("agency.id"))
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    source_section: Mapped[str] = mapped_column(String(80))
    due_year: Mapped[int | None]

    plan: Mapped[Plan] = relationship(back_populates="tasks")
    theme: Mapped[PlanTheme | None] = relationship()
    lead: Mapped[Agency] = relationship()
    partners: Mapped[list[Agency]] = relationship(secondary=task_partners)


class ReportingDuty(Model):
    """Who reports to whom, how often, and by which date each year."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    position: Mapped[int]
    reporters_vi: Mapped[str]
    reporters_en: Mapped[str | None]
    recipient_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    via_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    due_month: Mapped[int | None]
    due_day: Mapped[int | None]
    due_is_exclusive: Mapped[bool] = mapped_column(default=False)
    note_vi: Mapped[str | None]
    note_en: Mapped[str | None]
    source_section: Mapped[str] = mapped_column(String(80))

    plan: Mapped[Plan] = relationship(back_populates="reporting_duties")
    recipient: Mapped[Agency | None] = relationship(foreign_keys=[recipient_id])
    via: Mapped[Agency | None] = relationship(foreign_keys=[via_id])


# The order in which a plan page shows what a plan says besides targets and tasks.
PROVISION_KINDS = (
    "principle",
    "requirement",
    "measure",
    "steering",
    "funding",
    "amendment",
    "priority",
    "lesson",
    "request",
    "abbreviation",
)


class PlanProvision(Model):
    """A principle, measure, funding rule, lesson… that a plan or a report on it sets out."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    title_vi: Mapped[str | None]
    title_en: Mapped[str | None]
    text_vi: Mapped[str]
    text_en: Mapped[str | None]
    source_document: Mapped[str | None] = mapped_column(String(120))
    source_section: Mapped[str | None] = mapped_column(String(120))

    plan: Mapped[Plan] = relationship(back_populates="provisions")

    @property
    def cited_document(self) -> str:
        return self.source_document or self.plan.text_source
