"""Documents in the sources registry, and the legal trail linking them to plans."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model

if TYPE_CHECKING:
    from app.plans.models import Plan

# The order in which a plan page lists its legal trail.
ROLES = ("read_from", "legal_basis", "proposed_by", "implements", "cites")


class SourceDocument(Model):
    """A document: one Xanh holds and reads figures from, or one a held document cites."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int]
    number: Mapped[str | None] = mapped_column(String(60))
    kind: Mapped[str] = mapped_column(String(20))
    level: Mapped[str] = mapped_column(String(20))
    issued: Mapped[dt.date | None]
    year: Mapped[int | None]
    issuer_vi: Mapped[str | None]
    issuer_en: Mapped[str | None]
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    held: Mapped[bool] = mapped_column(default=False)
    takes_vi: Mapped[str | None]
    takes_en: Mapped[str | None]
    find_vi: Mapped[str | None]
    find_en: Mapped[str | None]

    citing: Mapped[list[PlanDocument]] = relationship(back_populates="document")

    @property
    def cited_name(self) -> str:
        """How a citation stored in the database names it: its number, else its key."""
        return self.number or self.key

    @property
    def identifiers(self) -> list[str]:
        """What a citation may name this document by: its key, and its number if it has one."""
        return [self.key, self.number] if self.number else [self.key]


class PlanDocument(Model):
    """One document in a plan's legal trail, and the part it plays there."""

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"))
    document_id: Mapped[int] = mapped_column(ForeignKey("source_document.id", ondelete="CASCADE"))
    role: Mapped[str] = mapped_column(String(20))
    position: Mapped[int]
    section: Mapped[str | None] = mapped_column(String(120))

    plan: Mapped[Plan] = relationship(back_populates="documents")
    document: Mapped[SourceDocument] = relationship(back_populates="citing")
