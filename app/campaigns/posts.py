"""Campaign updates: short posts editors write for a campaign (a green week, a clean-up,
a result), in both languages, shown on the campaign page, in its feed and in alerts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, select
from sqlalchemy.orm import Mapped, mapped_column

from app.content.markdown import render
from app.database import utc_now
from app.extensions import Model, db

TITLE_LENGTH = 200
TEXT_LENGTH = 5000
PLACE_LENGTH = 200
SHOWN = 10  # on the campaign page; the feed has the rest


class CampaignPost(Model):
    __tablename__ = "campaign_post"
    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_slug: Mapped[str] = mapped_column(String(120), index=True)
    title_vi: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    title_en: Mapped[str | None] = mapped_column(String(TITLE_LENGTH))
    # What the editor wrote (Markdown), and the HTML the page shows, made once and cleaned.
    text_vi: Mapped[str]
    text_en: Mapped[str | None]
    body_html_vi: Mapped[str]
    body_html_en: Mapped[str | None]
    event_day: Mapped[dt.date | None]  # for an event: its day and place
    event_place: Mapped[str | None] = mapped_column(String(PLACE_LENGTH))
    published_at: Mapped[dt.datetime] = mapped_column(default=utc_now, index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id"))


def new_post(
    campaign_slug: str,
    titles: dict[str, str | None],
    texts: dict[str, str | None],
    event_day: dt.date | None,
    event_place: str | None,
    account_id: int | None,
) -> CampaignPost:
    """A post with its HTML rendered from Markdown and stripped of anything unsafe."""
    html = {lang: render(text, lang)[0] if text else None for lang, text in texts.items()}
    post = CampaignPost(
        campaign_slug=campaign_slug,
        title_vi=titles["vi"],
        title_en=titles["en"],
        text_vi=texts["vi"],
        text_en=texts["en"],
        body_html_vi=html["vi"],
        body_html_en=html["en"],
        event_day=event_day,
        event_place=event_place,
        account_id=account_id,
    )
    db.session.add(post)
    return post


def posts_of(campaign_slug: str, limit: int | None = SHOWN) -> list[CampaignPost]:
    query = (
        select(CampaignPost)
        .where(CampaignPost.campaign_slug == campaign_slug)
        .order_by(CampaignPost.published_at.desc(), CampaignPost.id.desc())
    )
    return list(db.session.scalars(query.limit(limit) if limit else query))
