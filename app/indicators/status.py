"""Progress status of an indicator, by one published method.

Quantitative targets follow the compound-annual-growth-rate (CAGR) method that
national statistics offices use for SDG progress: the growth observed since
the base year divided by the growth needed to reach the target by its year.
Where a growth rate cannot be compounded (a base or target of zero or below),
the same ratio is taken of yearly changes instead. The methodology page
explains each rule here in both languages; `Assessment.inputs` publishes the
figures each status was computed from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from app.indicators.models import STATUS_KEYS, Indicator, Observation

ON_TRACK = 0.95
ACCELERATION = 0.6
THRESHOLDS = {"on_track": ON_TRACK, "acceleration_needed": ACCELERATION, "limited_progress": 0.0}


@dataclass(frozen=True)
class StatusInfo:
    key: str
    label: Any
    symbol: str
    meaning: Any = ""  # one line a resident reads beside the label


STATUSES: dict[str, StatusInfo] = {
    s.key: s
    for s in [
        StatusInfo(
            "target_achieved",
            _l("Target achieved"),
            "✔",
            _l("The published figures meet the target."),
        ),
        StatusInfo(
            "on_track",
            _l("On track"),
            "↗",
            _l("At the pace shown so far, the target will be met on time."),
        ),
        StatusInfo(
            "acceleration_needed",
            _l("Acceleration needed"),
            "→",
            _l("Moving the right way, but too slowly to meet the target on time."),
        ),
        StatusInfo(
            "limited_progress",
            _l("Limited progress"),
            "⋯",
            _l("Far behind the pace the target needs, or the target was missed."),
        ),
        StatusInfo(
            "deterioration",
            _l("Deterioration"),
            "↘",
            _l("Moving away from the target."),
        ),
        StatusInfo(
            "unable_to_assess",
            _l("Unable to assess"),
            "?",
            _l("Figures are published, but not enough to judge the pace."),
        ),
        StatusInfo(
            "no_data",
            _l("No published figure yet"),
            "∅",
            _l("No figure for this target has been made public."),
        ),
    ]
}
assert tuple(STATUSES) == STATUS_KEYS
# A result the plan set no target for: its API status stays "unable_to_assess" (with
# the reason "no_target"); pages say what it is, and scoreboards of targets leave it out.
NO_TARGET = StatusInfo(
    "no_target",
    _l("Reported; the plan sets no target for it"),
    "•",
    _l("A published result the plan sets no target for."),
)


@dataclass(frozen=True)
class Assessment:
    status: str
    inputs: dict[str, Any] = field(default_factory=dict)

    @property
    def info(self) -> StatusInfo:
        return NO_TARGET if self.without_target else STATUSES[self.status]

    @property
    def without_target(self) -> bool:
        """A reported result for which the plan sets no target."""
        return self.status == "unable_to_assess" and self.inputs.get("reason") == "no_target"

    @property
    def overdue_milestone(self) -> bool:
        return self.inputs.get("milestone") == "overdue"


@dataclass(frozen=True)
class Point:
    year: int
    value: float
    origin: str  # "baseline" (from the plan) or "observation"


def latest(indicator: Indicator) -> Observation | None:
    values = indicator.values
    return values[-1] if values else None


def direction(indicator: Indicator) -> str:
    """The way the indicator should move; a target's comparator says it when the plan does not."""
    if indicator.direction in ("increase", "decrease"):
        return indicator.direction
    return {">=": "increase", ">": "increase", "<=": "decrease", "<": "decrease"}.get(
        indicator.target_comparator or "", "none"
    )


def meets_target(indicator: Indicator, value: float) -> bool:
    low, high = indicator.target_value, indicator.target_value_high
    if low is None:
        return False
    match indicator.target_comparator:
        case ">=":
            return value >= low
        case ">":
            return value > low
        case "<=":  # a ceiling ("at most 5%")
            return value <= low
        case "<":
            return value < low
        case "=":
            return value == low
        case "between":
            high = low if high is None else high
            # Going beyond a range in the wanted direction still meets it.
            match direction(indicator):
                case "increase":
                    return value >= low
                case "decrease":
                    return value <= high
            return low <= value <= high
    return False


def target_point(indicator: Indicator, value: float) -> float:
    """The figure progress is measured against: for a range, its nearer end."""
    low, high = indicator.target_value, indicator.target_value_high
    assert low is not None
    if indicator.target_comparator != "between" or high is None:
        return low
    match direction(indicator):
        case "increase":
            return low
        case "decrease":
            return high
    return low if value < low else high


def series(indicator: Indicator) -> list[Point]:
    """The plan's baseline (when earlier than every report) and the reported values, by year."""
    points = [
        Point(o.year, o.value, "observation") for o in indicator.values if o.value is not None
    ]
    base_year, base_value = indicator.baseline_year, indicator.baseline_value
    if base_year is not None and base_value is not None:
        if not points or base_year < points[0].year:
            points.insert(0, Point(base_year, base_value, "baseline"))
    return points


def assess(indicator: Indicator, today: dt.date | None = None) -> Assessment:
    """Return the indicator's status and the inputs it was computed from."""
    computed = _computed(indicator, today or dt.date.today())
    if indicator.status_override:
        return Assessment(
            indicator.status_override,
            {
                "method": "override",
                "reason": {
                    "vi": indicator.status_override_reason_vi,
                    "en": indicator.status_override_reason_en,
                },
                "computed_status": computed.status,
                "computed_inputs": computed.inputs,
            },
        )
    return computed


def _computed(indicator: Indicator, today: dt.date) -> Assessment:
    if indicator.kind == "milestone":
        return _milestone(indicator, today)
    if indicator.target_applies in ("yearly_average", "every_year") and indicator.has_target:
        return _yearly(indicator, today)
    return _quantitative(indicator)


def _yearly(indicator: Indicator, today: dt.date) -> Assessment:
    """A target for each year of a period, not a level to reach by its last year.

    `yearly_average`: the average of the years reported in the period must meet
    the target ("an average cut of 1.5–2% a year over 2021–2030"). `every_year`:
    each year must meet it on its own ("10 to 15 projects every year"). While the
    period runs, the status says whether the years so far meet it; once it is
    over, it is achieved or not only if every year of it has been reported.
    """
    start, end = indicator.target_from_year, indicator.target_year
    assert start is not None and end is not None
    inputs: dict[str, Any] = {
        "method": indicator.target_applies,
        "period": {"start": start, "end": end},
        "target_comparator": indicator.target_comparator,
        "target_value": indicator.target_value,
        "target_value_high": indicator.target_value_high,
    }
    values = [o for o in indicator.values if o.value is not None and start <= o.year <= end]
    if not values:
        return Assessment("no_data", {**inputs, "reason": "no_values_in_period"})
    years = [o.year for o in values]
    missing = [y for y in range(start, min(end, today.year - 1) + 1) if y not in years]
    over = today.year > end
    inputs.update(years_reported=years, years_missing=missing, latest_year=years[-1])
    if indicator.target_applies == "yearly_average":
        average = sum(o.value for o in values) / len(values)  # type: ignore[misc]
        inputs["average"] = round(average, 6)
        met = meets_target(indicator, average)
    else:
        missed = [o.year for o in values if not meets_target(indicator, o.value)]  # type: ignore[arg-type]
        inputs["years_missed"] = missed
        met = not missed if over else meets_target(indicator, values[-1].value)  # type: ignore[arg-type]
    if not over:
        return Assessment("on_track" if met else "acceleration_needed", inputs)
    if missing:
        return Assessment("unable_to_assess", {**inputs, "reason": "years_missing"})
    return Assessment("target_achieved" if met else "limited_progress", inputs)


def _milestone(indicator: Indicator, today: dt.date) -> Assessment:
    """Done, not done yet, or overdue (the target year is over and it was not reported done)."""
    last = latest(indicator)
    overdue = indicator.target_year is not None and today.year > indicator.target_year
    inputs: dict[str, Any] = {"method": "milestone", "target_year": indicator.target_year}
    if last is not None:
        inputs.update(latest_year=last.year, achieved=last.achieved)
    if last is not None and last.achieved:
        return Assessment("target_achieved", {**inputs, "milestone": "done"})
    if last is None:
        # Past its deadline it is flagged overdue, but with no report there is no status.
        return Assessment("no_data", {**inputs, "milestone": "overdue" if overdue else "no_report"})
    if overdue:  # reported not done, and the deadline has passed
        return Assessment("limited_progress", {**inputs, "milestone": "overdue"})
    return Assessment("unable_to_assess", {**inputs, "milestone": "not_done"})


def _quantitative(indicator: Indicator) -> Assessment:
    points = series(indicator)
    inputs: dict[str, Any] = {"method": "cagr", "thresholds": THRESHOLDS}
    reported = [p for p in points if p.origin == "observation"]
    if not reported:
        return Assessment("no_data", {**inputs, "reason": "no_values"})
    last = points[-1]
    inputs.update(latest_year=last.year, latest_value=last.value)
    if not indicator.has_target:
        return Assessment("unable_to_assess", {**inputs, "reason": "no_target"})
    assert indicator.target_value is not None and indicator.target_year is not None
    inputs.update(
        target_year=indicator.target_year,
        target_comparator=indicator.target_comparator,
        target_value=indicator.target_value,
        target_value_high=indicator.target_value_high,
    )
    if meets_target(indicator, last.value):
        return Assessment("target_achieved", inputs)
    if len(points) < 2:
        return Assessment("unable_to_assess", {**inputs, "reason": "fewer_than_two_values"})
    base = points[0]
    target = target_point(indicator, last.value)
    inputs.update(base_year=base.year, base_value=base.value, base_origin=base.origin)
    inputs["target"] = target
    years_done = last.year - base.year
    years_needed = indicator.target_year - base.year
    if years_done <= 0 or years_needed <= 0:
        return Assessment("unable_to_assess", {**inputs, "reason": "target_year_not_after_base"})
    if base.value > 0 and target > 0 and last.value > 0:
        actual = (last.value / base.value) ** (1 / years_done) - 1
        needed = (target / base.value) ** (1 / years_needed) - 1
    else:  # growth from or to zero cannot be compounded: compare yearly changes
        inputs["method"] = "linear"
        actual = (last.value - base.value) / years_done
        needed = (target - base.value) / years_needed
    if needed == 0:
        # The base already sat at the target and the latest value does not meet it.
        return Assessment("deterioration", {**inputs, "reason": "moved_away_from_target"})
    ratio = actual / needed
    inputs.update(actual_rate=round(actual, 6), needed_rate=round(needed, 6), ratio=round(ratio, 4))
    if ratio >= ON_TRACK:
        return Assessment("on_track", inputs)
    if ratio >= ACCELERATION:
        return Assessment("acceleration_needed", inputs)
    if ratio >= 0:
        return Assessment("limited_progress", inputs)
    return Assessment("deterioration", inputs)
