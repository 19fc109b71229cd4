"""Geometry of an indicator's line chart, drawn as SVG by the server.

The chart is a few dozen SVG elements in the page itself: nothing for the
reader to download or run. Templates turn a `Chart` into markup; numbers on
it are formatted in the reader's locale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.indicators.models import Indicator
from app.indicators.status import series

WIDTH, HEIGHT = 320, 180
LEFT, RIGHT, TOP, BOTTOM = 44, 14, 14, 26


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    year: int
    value: float
    origin: str


@dataclass(frozen=True)
class Tick:
    position: float
    value: float


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    marks: list[Mark]
    target_y: float | None  # the target line (the low end of a range)
    target_high_y: float | None  # the high end of a range, drawn as a band
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    left: int = LEFT
    right: int = WIDTH - RIGHT
    bottom: int = HEIGHT - BOTTOM

    @property
    def path(self) -> str:
        return " ".join(f"{m.x:.1f},{m.y:.1f}" for m in self.marks)


def nice_step(span: float, count: int = 4) -> float:
    """A round step (1, 2 or 5 times a power of ten) giving about `count` intervals."""
    raw = span / count if span > 0 else 1
    power = 10 ** math.floor(math.log10(raw))
    return next(f * power for f in (1, 2, 5, 10) if f * power >= raw)


def build_chart(indicator: Indicator) -> Chart | None:
    """The chart of a quantitative indicator with at least one value, else None."""
    if indicator.kind != "quantitative":
        return None
    points = series(indicator)
    if not any(p.origin == "observation" for p in points):
        return None
    targets = [v for v in (indicator.target_value, indicator.target_value_high) if v is not None]
    values = [p.value for p in points] + targets
    low, high = min(0.0, *values), max(values)
    step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        high = low + step
    years = [p.year for p in points] + ([indicator.target_year] if indicator.target_year else [])
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1

    def x(year: int) -> float:
        return LEFT + (year - first) / (last - first) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - TOP - BOTTOM)

    year_step = max(1, math.ceil((last - first) / 5))
    x_ticks = [Tick(x(year), year) for year in range(first, last + 1, year_step)]
    y_ticks = [
        Tick(y(low + i * step), low + i * step) for i in range(round((high - low) / step) + 1)
    ]
    target = indicator.target_value
    return Chart(
        width=WIDTH,
        height=HEIGHT,
        marks=[Mark(x(p.year), y(p.value), p.year, p.value, p.origin) for p in points],
        target_y=y(target) if target is not None else None,
        target_high_y=(
            y(indicator.target_value_high) if indicator.target_value_high is not None else None
        ),
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
