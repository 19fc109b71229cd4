"""Free-standing pages written in Markdown, such as the methodology."""

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class Page(Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title_vi: Mapped[str]
    title_en: Mapped[str | None]
    body_html_vi: Mapped[str] = mapped_column(default="")
    body_html_en: Mapped[str | None]
