"""Provinces and the agencies that lead or support tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model

if TYPE_CHECKING:
    from app.plans.models import Plan


class Province(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name_vi: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    kind_vi: Mapped[str] = mapped_column(String(200))
    kind_en: Mapped[str | None] = mapped_column(String(200))
    body_html_vi: Mapped[str] = mapped_column(default="")
    body_html_en: Mapped[str | None]
    # What the 2025 reorganisation did to this province (content's `since_2025`).
    since_2025_vi: Mapped[str | None]
    since_2025_en: Mapped[str | None]

    plans: Mapped[list[Plan]] = relationship(back_populates="province", order_by="Plan.issued")
    agencies: Mapped[list[Agency]] = relationship(back_populates="province")


class Agency(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    name_vi: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str | None] = mapped_column(String(300))
    short_vi: Mapped[str | None] = mapped_column(String(40))
    short_en: Mapped[str | None] = mapped_column(String(40))

    province: Mapped[Province] = relationship(back_populates="agencies")
