"""A measure several plans set targets for, and how each plan defines it."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.indicators.models import Indicator


class Comparison(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int]
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    summary_vi: Mapped[str]
    summary_en: Mapped[str | None]
    # How the plans' definitions differ; None when they measure exactly the same thing.
    differences_vi: Mapped[str | None]
    differences_en: Mapped[str | None]

    entries: Mapped[list[ComparisonEntry]] = relationship(
        back_populates="comparison",
        order_by="ComparisonEntry.position",
        cascade="all, delete-orphan",
    )


class ComparisonEntry(Model):
    """One plan's target for the measure, with what exactly that plan counts."""

    id: Mapped[int] = mapped_column(primary_key=True)
    comparison_id: Mapped[int] = mapped_column(ForeignKey("comparison.id", ondelete="CASCADE"))
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    position: Mapped[int]
    definition_vi: Mapped[str]
    definition_en: Mapped[str | None]

    comparison: Mapped[Comparison] = relationship(back_populates="entries")
    indicator: Mapped[Indicator] = relationship()
