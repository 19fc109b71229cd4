"""Images of widgets, plans and campaigns as PNG, for social previews, `og:image` and
`<noscript>`; drawn with Pillow in a font shipped with Xanh that covers Vietnamese."""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from flask import get_template_attribute
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup
from PIL import Image, ImageDraw, ImageFont

from app.campaigns.models import Campaign
from app.i18n import localized
from app.indicators.chart import Bar, latest_bar
from app.indicators.models import Indicator, Observation
from app.indicators.progress import progress
from app.indicators.scoreboard import Tally, tally
from app.indicators.status import STATUSES, Assessment
from app.plans.models import Plan
from app.provinces.models import Province
from app.sources.registry import document_name, entry_for
from app.urls import site_host

FONTS = Path(__file__).parent / "fonts"
WIDTH, HEIGHT = 1200, 630  # the size social sites ask for
MIN_WIDTH = 120
MARGIN = 60
INK, MUTED, BRAND, PAPER, TRACK = "#1b2a22", "#4d5e55", "#1f6b3a", "#fbfcfa", "#dfe7e1"


@dataclass(frozen=True)
class Card:
    kicker: str
    title: str
    figure: str | None = None
    lines: list[str] = field(default_factory=list)
    status: str | None = None
    footer: str = ""
    bar: Bar | None = None  # the figure as progress to its target (or out of 100%)


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def requested_width(raw: str | None) -> int | None:
    """The width asked for in `?width=`, or the full width; None when it is not usable."""
    if raw is None:
        return WIDTH
    if raw.isascii() and raw.isdigit() and MIN_WIDTH <= int(raw) <= WIDTH:
        return int(raw)
    return None


def scaled_height(width: int) -> int:
    return HEIGHT * width // WIDTH


def _plain(markup: str) -> str:
    """Text of a macro's output, as one NFC line (precomposed letters draw best)."""
    return unicodedata.normalize("NFC", " ".join(Markup(markup).striptags().split()))


def _wrap(
    draw: ImageDraw.ImageDraw, text: str, face: ImageFont.FreeTypeFont, width: int, max_lines: int
) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=face) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1].rstrip(".,;:") + "…"
    return lines


def _fitting(
    draw: ImageDraw.ImageDraw, text: str, largest: int, smallest: int, width: int
) -> ImageFont.FreeTypeFont:
    """The largest bold face, down to `smallest`, in which text fits on one line."""
    for size in range(largest, smallest - 1, -2):
        if draw.textlength(text, font=font(size, bold=True)) <= width:
            break
    return font(size, bold=True)


def _draw_bar(pen: ImageDraw.ImageDraw, bar: Bar, y: int, inner: int) -> int:
    """The bar of the page, drawn across the card; returns where the next line starts."""
    scale = inner / bar.width
    pen.rectangle((MARGIN, y, MARGIN + inner, y + 24), fill=TRACK)
    pen.rectangle((MARGIN, y, MARGIN + round(bar.fill * scale), y + 24), fill=BRAND)
    if bar.target_x is not None:
        x = MARGIN + round(bar.target_x * scale)
        pen.rectangle((x - 2, y - 10, x + 2, y + 34), fill=INK)
    return y + 52


def draw(card: Card, width: int = WIDTH) -> bytes:
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    pen = ImageDraw.Draw(image)
    inner = WIDTH - 2 * MARGIN
    pen.rectangle((0, 0, WIDTH, 96), fill=BRAND)
    pen.text((MARGIN, 22), "Xanh", font=font(44, bold=True), fill="#ffffff")
    kicker = _wrap(pen, card.kicker, font(28), inner - 200, 1)[0] if card.kicker else ""
    pen.text((MARGIN + 180, 34), kicker, font=font(28), fill="#ffffff")
    y = 128
    for line in _wrap(pen, card.title, font(46, bold=True), inner, 3):
        pen.text((MARGIN, y), line, font=font(46, bold=True), fill=INK)
        y += 58
    y += 14
    if card.figure:
        pen.text(
            (MARGIN, y), card.figure, font=_fitting(pen, card.figure, 80, 48, inner), fill=BRAND
        )
        y += 104
    if card.bar:
        y = _draw_bar(pen, card.bar, y, inner)
    for text in card.lines:
        for line in _wrap(pen, text, font(32), inner, 2):
            pen.text((MARGIN, y), line, font=font(32), fill=MUTED)
            y += 42
    if card.status:
        y += 12
        face = _fitting(pen, card.status, 34, 22, inner - 32)
        box = pen.textbbox((MARGIN + 16, y + 8), card.status, font=face)
        pen.rounded_rectangle((MARGIN, y, box[2] + 16, box[3] + 12), radius=8, outline=INK, width=3)
        pen.text((MARGIN + 16, y + 8), card.status, font=face, fill=INK)
    if card.footer:
        footer = _wrap(pen, card.footer, font(26), inner, 1)[0]
        pen.text((MARGIN, HEIGHT - 56), footer, font=font(26), fill=MUTED)
    if width != WIDTH:
        image = image.resize((width, scaled_height(width)), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def _status_text(assessment: Assessment) -> str:
    info = assessment.info
    return f"{info.symbol} {info.label}"


def _cited_name(document: str) -> str:
    """The document as citations name it in the reader's language (an article by its
    publisher and date, not its registry key)."""
    entry = entry_for(document)
    return document_name(entry) if entry else document


def _site() -> str:
    return site_host()


def indicator_card(indicator: Indicator, assessment: Assessment, last: Observation | None) -> Card:
    title = _plain(get_template_attribute("macros.html", "indicator_title")(indicator))
    target = _plain(get_template_attribute("macros.html", "target_figure")(indicator))
    if last is not None:
        value = _plain(get_template_attribute("macros.html", "observed_value")(indicator, last))
        # A year that is only the report's takes a line of its own: it does not fit the figure.
        year = _plain(get_template_attribute("macros.html", "value_year")(last))
        figure = value if last.year_is_publication else f"{value} ({year})"
        source = _("Source: %(source)s", source=_cited_name(last.source_document))
    else:
        figure = None
        source = _("Source: %(source)s", source=_cited_name(indicator.source_document))
    lines = [] if last else [_("No value has been reported yet.")]
    if last is not None and last.year_is_publication:
        lines.append(year[:1].upper() + year[1:])
    return Card(
        kicker=f"{localized(indicator.plan.province, 'name')} · {indicator.plan.number}",
        title=title,
        figure=figure,
        bar=latest_bar(indicator),
        lines=[*lines, f"{_('Target')}: {target}"],
        status=_status_text(assessment),
        footer=f"{source} · {_site()}",
    )


def plan_card(plan: Plan, today: dt.date) -> Card:
    rows = [progress(i, today) for i in plan.indicators]
    targets = tally(plan, rows)
    return Card(
        kicker=f"{localized(plan.province, 'name')} · {plan.number}",
        title=str(localized(plan, "title")),
        figure=_targets_figure(targets),
        lines=_status_summary(targets) or [str(localized(plan, "summary"))],
        footer=f"{_('Source: %(source)s', source=plan.number)} · {_site()}",
    )


def campaign_card(campaign: Campaign) -> Card:
    provinces = ", ".join(str(localized(p, "name")) for p in campaign.provinces)
    plans = sorted(
        {task.plan.number for task in campaign.tasks} | {i.plan.number for i in campaign.indicators}
    )
    source = _("Source: %(source)s", source=", ".join(plans)) + " · " if plans else ""
    return Card(
        kicker=provinces,
        title=str(localized(campaign, "title")),
        lines=[
            str(localized(campaign, "summary")),
            *[f"{_('What you can do')}: {localized(a, 'text')}" for a in campaign.actions[:1]],
        ],
        footer=source + _site(),
    )


def _targets_figure(targets: Tally) -> str | None:
    """ "26 targets", the figure of a plan's or a province's card (none when it has none)."""
    if not targets.total:
        return None
    return ngettext("%(num)d target", "%(num)d targets", targets.total)


def _status_summary(targets: Tally) -> list[str]:
    """ "↗ On track: 2 · ∅ No published figure yet: 26", the statuses that occur."""
    summary = [
        f"{STATUSES[key].symbol} {STATUSES[key].label}: {targets.count(key)}"
        for key in STATUSES
        if targets.count(key)
    ]
    return [" · ".join(summary)] if summary else []


def province_card(province: Province, today: dt.date) -> Card:
    rows = [progress(i, today) for plan in province.plans for i in plan.indicators]
    targets = tally(province, rows)
    return Card(
        kicker=str(localized(province, "kind") or ""),
        title=str(localized(province, "name")),
        figure=_targets_figure(targets),
        lines=_status_summary(targets)
        or [ngettext("%(num)d plan", "%(num)d plans", len(province.plans))],
        footer=_site(),
    )


def site_card(plans: int, targets: Tally, reported: int) -> Card:
    """The site's card: how many plans and targets, and values reported (one per year of
    a target: an editor's correction stands in for the value it corrects)."""
    counts = [
        ngettext("%(num)d plan", "%(num)d plans", plans),
        ngettext("%(num)d target", "%(num)d targets", targets.total),
    ]
    counts.append(ngettext("%(num)d reported value", "%(num)d reported values", reported))
    return Card(
        kicker=_("Green growth, followed in public"),
        title=_("What did the provinces promise for green growth, and how far have they come?"),
        lines=[" · ".join(counts), *_status_summary(targets)],
        footer=_site(),
    )
