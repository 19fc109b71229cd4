"""What every template can use: language, alternates, bilingual text, numbers, dates."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from babel import dates as babel_dates
from flask import Flask, g, url_for
from flask_babel import format_date, format_decimal
from markupsafe import Markup

from app.i18n import LANGUAGE_NAMES, LANGUAGES, current_language, localized
from app.indicators.chart import latest_bar
from app.indicators.status import STATUSES
from app.site import same_page_in
from app.urls import absolute_url, site_root


def format_number(value: float | None) -> str:
    """Locale-aware number: 21,2 and 17.000 in Vietnamese, 21.2 and 17,000 in English."""
    if value is None:
        return ""
    if float(value).is_integer():
        return format_decimal(int(value))
    return format_decimal(value, format="#,##0.###")


def rate(value: float | None) -> str:
    """A growth rate as a percentage with one decimal: 0.102 → "10,2%" in Vietnamese."""
    if value is None:
        return ""
    return format_decimal(value * 100, format="#,##0.#") + "%"


def quantity(value: float | None, unit: str | None) -> str:
    number = format_number(value)
    if not unit:
        return number
    return f"{number}{unit}" if unit.startswith("%") else f"{number} {unit}"


def long_date(value: dt.date | None, lang: str | None = None) -> str:
    """A date as each language's readers write it: "03/7/2014" in Vietnamese, the
    administrative way (a day below 10, and January and February, take a leading zero),
    and "3 July 2014" in British English."""
    if not value:
        return ""
    if (lang or current_language()) == "vi":
        month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
        return f"{value.day:02d}/{month}/{value.year}"
    return babel_dates.format_date(value, format="d MMMM y", locale="en_GB")


def due_day(duty: Any) -> str:
    """The day of the year a report is due, such as "10 November" or "10 tháng 11"."""
    return format_date(dt.date(2000, duty.due_month, duty.due_day), "d MMMM")


OPEN_GRAPH_LOCALES = {"vi": "vi_VN", "en": "en_GB"}
HEADING = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.S)


def headings(html: str) -> list[tuple[str, str]]:
    """The sections of a rendered text (its h2 headings with ids): id and words."""
    return [(anchor, Markup(words).striptags()) for anchor, words in HEADING.findall(str(html))]


def open_graph_locale(alternate: bool = False) -> str:
    """The page's language as Open Graph writes it, or the other language's."""
    lang = current_language()
    if alternate:
        lang = next(code for code in OPEN_GRAPH_LOCALES if code != lang)
    return OPEN_GRAPH_LOCALES[lang]


def page_context() -> dict[str, Any]:
    lang = current_language()
    found = {code: same_page_in(code) for code in LANGUAGES}
    on_item = not g.get("error_page") and all(found.values())
    alternates = {
        code: (url if on_item and url else url_for("site.pages.home", lang=code))
        for code, url in found.items()
    }
    absolute = {code: site_root() + url for code, url in alternates.items()}
    return {
        "lang": lang,
        "other_languages": [code for code in LANGUAGES if code != lang],
        "alternates": alternates,
        "absolute_alternates": absolute,
        "alternates_are_this_page": on_item,
        "language_names": LANGUAGE_NAMES,
    }


def register_template_helpers(app: Flask) -> None:
    from app.sources.registry import document_name, entry_for, section_label

    app.jinja_env.globals.update(
        loc=localized,
        STATUSES=STATUSES,
        due_day=due_day,
        source_entry=entry_for,
        absolute_url=absolute_url,
        open_graph_locale=open_graph_locale,
        latest_bar=latest_bar,
        document_name=document_name,
        section_label=section_label,
    )
    app.jinja_env.filters.update(
        headings=headings,
        number=format_number,
        quantity=quantity,
        rate=rate,
        long_date=long_date,
        isodate=lambda text: dt.date.fromisoformat(text) if text else None,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.context_processor(page_context)
