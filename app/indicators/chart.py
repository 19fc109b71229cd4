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

WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 52, 14, 22, 30
# Text is drawn at 14 units, and the chart is never narrower than its 320 units on a 360 px
# phone: labels read at 14 px or more.
BAR_HEIGHT = 104
BAR_TOP, BAR_THICKNESS = 34, 26


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
class Bar:
    """One value as progress along a scale from zero: to the target, or out of 100%."""

    value: float
    top: float  # the value at the bar's right end
    fill: float  # width of the value's part, in units
    target_x: float | None

    width: int = WIDTH
    height: int = BAR_HEIGHT
    y: int = BAR_TOP
    thickness: int = BAR_THICKNESS


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    marks: list[Mark]
    target_y: float | None  # the target line (the low end of a range)
    target_high_y: float | None  # the high end of a range, drawn as a band
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    bar: Bar | None = None  # drawn instead of the line when there is one value
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


def _axis(values: list[float]) -> tuple[float, float, float]:
    """Low end, high end and step of a value axis fitted to the values: from zero when
    the values are far from it in proportion (a share of 20 to 60%), else around them
    (91 to 95% on 90–96, not on 0–100)."""
    low, high = min(values), max(values)
    from_zero = low >= 0 and (high == 0 or low < high / 2)
    if from_zero:
        low = 0.0
    step = nice_step(high - low)
    if not from_zero:  # room above and below, so no mark sits on the frame
        low, high = low - step / 2, high + step / 2
        step = nice_step(high - low)
    low, high = math.floor(low / step) * step, math.ceil(high / step) * step
    if high == low:
        high = low + step
    return low, high, step


def progress_bar(indicator: Indicator, value: float) -> Bar | None:
    """A value as a bar: out of 100% for a share, else out of a target to reach; None for
    a target to fall to, or a figure with nothing to measure it against."""
    rising = indicator.target_comparator in (None, ">=", ">", "=", "between")
    if value < 0 or not rising:
        return None
    target = indicator.target_value
    if (indicator.unit_vi or "").strip() == "%":
        top = max(100.0, value, target or 0)
    elif target is not None and target > 0:
        top = max(value, indicator.target_value_high or target)
    else:
        return None
    return Bar(
        value=value,
        top=top,
        fill=value / top * WIDTH,
        target_x=target / top * WIDTH if target is not None else None,
    )


def build_chart(indicator: Indicator) -> Chart | None:
    """The chart of a quantitative indicator with at least one value, else None."""
    if indicator.kind != "quantitative":
        return None
    points = series(indicator)
    if not any(p.origin == "observation" for p in points):
        return None
    targets = [v for v in (indicator.target_value, indicator.target_value_high) if v is not None]
    low, high, step = _axis([p.value for p in points] + targets)
    years = [p.year for p in points] + ([indicator.target_year] if indicator.target_year else [])
    first, last = min(years), max(years)
    if first == last:
        first, last = first - 1, last + 1

    def x(year: int) -> float:
        return LEFT + (year - first) / (last - first) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return HEIGHT - BOTTOM - (value - low) / (high - low) * (HEIGHT - TOP - BOTTOM)

    year_step = max(1, math.ceil((last - first) / 4))
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
        bar=progress_bar(indicator, points[0].value) if len(points) == 1 else None,
    )


def latest_bar(indicator: Indicator) -> Bar | None:
    """The latest value of a quantitative indicator as a bar, for lists."""
    values = indicator.values
    if indicator.kind != "quantitative" or not values or values[-1].value is None:
        return None
    return progress_bar(indicator, values[-1].value)
