"""The choices a widget URL carries in its query string, checked once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields

from app.indicators.filters import FilterError

VIEWS = ("card", "chart")
THEMES = ("light", "dark", "auto")
BACKGROUNDS = ("solid", "transparent")
# Fixed heights for the iframe snippet, so it looks right where scripts are stripped;
# the widget then reports its real height. The median content height of the widgets with
# a value, measured in Chromium at 320–400 px wide (card 284–376 px, chart 552–644 px).
HEIGHTS = {"card": 310, "chart": 600}
WIDTH = 640


@dataclass(frozen=True)
class WidgetOptions:
    view: str = "card"
    theme: str = "light"
    bg: str = "solid"
    as_of: dt.date | None = None  # the frozen form: values as they were public on this day

    @property
    def query(self) -> dict[str, str]:
        """The options that differ from the defaults, as query-string arguments."""
        default = WidgetOptions()
        return {
            f.name: str(getattr(self, f.name))
            for f in fields(self)
            if getattr(self, f.name) != getattr(default, f.name)
        }

    @property
    def height(self) -> int:
        return HEIGHTS[self.view]


PARAMETERS = tuple(f.name for f in fields(WidgetOptions))


def parse_options(
    args: Mapping[str, str], today: dt.date
) -> tuple[WidgetOptions, list[FilterError]]:
    errors: list[FilterError] = []
    values: dict[str, object] = {}
    for name, accepted in (("view", VIEWS), ("theme", THEMES), ("bg", BACKGROUNDS)):
        value = (args.get(name) or "").strip()
        if value and value not in accepted:
            errors.append(FilterError(name, value))
        elif value:
            values[name] = value
    raw = (args.get("as_of") or "").strip()
    if raw:
        try:
            day = dt.date.fromisoformat(raw) if len(raw) == 10 else None
        except ValueError:
            day = None
        if day is None or day > today or day.year < 1990:
            errors.append(FilterError("as_of", raw))
        else:
            values["as_of"] = day
    return WidgetOptions(**values), errors  # type: ignore[arg-type]
