"""The embed panel of an indicator page: the reader's choices, a preview and the snippet."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from markupsafe import escape

from app.embed.options import WidgetOptions, parse_options
from app.i18n import LANGUAGES, current_language, localized
from app.indicators.filters import FilterError
from app.indicators.models import Indicator
from app.queries import today
from app.urls import absolute_url


def iframe_html(src: str, title: str, width: int | str, height: int) -> str:
    """The iframe every snippet and oEmbed answer uses: lazy, titled, borderless, with a
    height that looks right before (or without) the widget's own size message."""
    return (
        f'<iframe src="{escape(src)}" title="{escape(title)}" width="{width}" height="{height}"'
        ' loading="lazy" frameborder="0" style="border:0;max-width:100%"></iframe>'
    )


def widget_title(indicator: Indicator, lang: str) -> str:
    return f"Xanh: {localized(indicator, 'title', lang)}"


@dataclass(frozen=True)
class Panel:
    options: WidgetOptions
    lang: str
    src: str
    snippet: str
    errors: list[FilterError]


def embed_panel(indicator: Indicator, args: Mapping[str, str]) -> Panel:
    options, errors = parse_options(args, today())
    lang = args.get("embed_lang") or current_language()
    if lang not in LANGUAGES:
        errors.append(FilterError("embed_lang", lang))
        lang = current_language()
    src = absolute_url("embed.widget", lang=lang, slug=indicator.slug, **options.query)
    snippet = "\n".join(
        [
            iframe_html(src, widget_title(indicator, lang), "100%", options.height),
            f'<script src="{absolute_url("embed_host.host_script")}" async></script>',
        ]
    )
    return Panel(options, lang, src, snippet, errors)
