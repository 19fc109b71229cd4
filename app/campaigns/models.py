"""Campaigns residents can join, tied to the targets and tasks they serve."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model, link_table
from app.indicators.models import Indicator
from app.plans.models import Task
from app.provinces.models import Province

campaign_indicators = link_table("campaign_indicator", "campaign", "indicator")
campaign_tasks = link_table("campaign_task", "campaign", "task")
campaign_provinces = link_table("campaign_province", "campaign", "province")


class Campaign(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int]
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    summary_vi: Mapped[str]
    summary_en: Mapped[str | None]
    body_html_vi: Mapped[str] = mapped_column(default="")
    body_html_en: Mapped[str | None]

    actions: Mapped[list[CampaignAction]] = relationship(
        back_populates="campaign", order_by="CampaignAction.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        secondary=campaign_indicators, order_by="Indicator.position"
    )
    tasks: Mapped[list[Task]] = relationship(secondary=campaign_tasks)
    provinces: Mapped[list[Province]] = relationship(
        secondary=campaign_provinces, order_by="Province.slug"
    )


class CampaignAction(Model):
    """One concrete thing a resident can do, and may pledge to do."""

    __table_args__ = (UniqueConstraint("campaign_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaign.id", ondelete="CASCADE"))
    # content's key, kept across rewordings: pledges are counted by it
    key: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    text_vi: Mapped[str]
    text_en: Mapped[str | None]

    campaign: Mapped[Campaign] = relationship(back_populates="actions")
