"""Progress status of an indicator, by one documented method.

Quantitative targets follow the compound-annual-growth-rate method national
statistics offices use for SDG progress: the growth observed so far divided by
the growth needed to reach the target by its year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.indicators.models import Indicator, Observation

ON_TRACK = 0.95
ACCELERATION = 0.6


@dataclass(frozen=True)
class StatusInfo:
    key: str
    label: Any
    symbol: str


STATUSES: dict[str, StatusInfo] = {
    s.key: s
    for s in [
        StatusInfo("target_achieved", _l("Target achieved"), "✔"),
        StatusInfo("on_track", _l("On track"), "↗"),
        StatusInfo("acceleration_needed", _l("Acceleration needed"), "→"),
        StatusInfo("limited_progress", _l("Limited progress"), "⋯"),
        StatusInfo("deterioration", _l("Deterioration"), "↘"),
        StatusInfo("unable_to_assess", _l("Unable to assess"), "?"),
        StatusInfo("no_data", _l("No data"), "∅"),
    ]
}


@dataclass(frozen=True)
class Assessment:
    status: str
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def info(self) -> StatusInfo:
        return STATUSES[self.status]


def latest(indicator: Indicator) -> Observation | None:
    return max(indicator.observations, key=lambda o: o.year, default=None)


def meets_target(indicator: Indicator, value: float) -> bool:
    low, high = indicator.target_value, indicator.target_value_high
    if low is None:
        return False
    match indicator.target_comparator:
        case ">=":
            return value >= low
        case ">":
            return value > low
        case "<=":
            return value <= low
        case "<":
            return value < low
        case "=":
            return value == low
        case "between":
            # Going beyond a range in the wanted direction still meets it.
            if indicator.direction == "increase":
                return value >= low
            if indicator.direction == "decrease":
                return value <= (high if high is not None else low)
            return low <= value <= (high if high is not None else low)
    return False


def assess(indicator: Indicator, today: dt.date | None = None) -> Assessment:
    """Return the indicator's status and the inputs it was computed from."""
    observations = sorted(indicator.observations, key=lambda o: o.year)
    if not observations:
        return Assessment("no_data")
    last = observations[-1]
    if indicator.kind == "milestone":
        return Assessment(
            "target_achieved" if last.achieved else "unable_to_assess",
            {"latest_year": last.year, "achieved": last.achieved},
        )
    inputs: dict[str, Any] = {"latest_year": last.year, "latest_value": last.value}
    if indicator.target_value is None:
        return Assessment("unable_to_assess", {**inputs, "reason": "no_target"})
    if meets_target(indicator, last.value):
        return Assessment("target_achieved", inputs)
    if len(observations) < 2:
        return Assessment("unable_to_assess", {**inputs, "reason": "fewer_than_two_values"})
    first = observations[0]
    target = indicator.target_value
    if indicator.target_comparator == "between" and indicator.direction == "decrease":
        target = indicator.target_value_high or target
    years_done = last.year - first.year
    years_needed = (indicator.target_year or last.year) - first.year
    if first.value <= 0 or target <= 0 or years_done <= 0 or years_needed <= 0:
        return Assessment("unable_to_assess", {**inputs, "reason": "growth_rate_undefined"})
    actual = (last.value / first.value) ** (1 / years_done) - 1
    needed = (target / first.value) ** (1 / years_needed) - 1
    if needed == 0:
        return Assessment("unable_to_assess", {**inputs, "reason": "growth_rate_undefined"})
    ratio = actual / needed
    inputs.update(
        base_year=first.year,
        base_value=first.value,
        target=target,
        actual_rate=actual,
        needed_rate=needed,
        ratio=ratio,
    )
    if ratio >= ON_TRACK:
        return Assessment("on_track", inputs)
    if ratio >= ACCELERATION:
        return Assessment("acceleration_needed", inputs)
    if ratio >= 0:
        return Assessment("limited_progress", inputs)
    return Assessment("deterioration", inputs)
