"""An indicator with its status and its reporting state, as every list and page shows it."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from app.indicators.models import Indicator, Observation, effective_values
from app.indicators.status import Assessment, assess
from app.plans.reporting import ReportState, report_state


class Progress(NamedTuple):
    indicator: Indicator
    assessment: Assessment
    report: ReportState


def progress(indicator: Indicator, today: dt.date) -> Progress:
    years = [o.year for o in indicator.values]
    report = report_state(indicator.plan, years, today, until=indicator.target_year)
    return Progress(indicator, assess(indicator, today), report)


class AsOf:
    """An indicator as it stood with only some of its values reported."""

    def __init__(self, indicator: Indicator, observations: list[Observation]) -> None:
        self._indicator = indicator
        self.observations = observations

    @property
    def values(self) -> list[Observation]:
        return effective_values(self.observations)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._indicator, name)


def known_since(observation: Observation) -> dt.date:
    """The day a value became public: its source's date, else the day Xanh recorded it."""
    return observation.source_date or observation.created_at.date()


def known_on(indicator: Indicator, day: dt.date) -> Indicator:
    """The indicator with only the values that were public on `day`."""
    kept = [o for o in indicator.observations if known_since(o) <= day]
    return AsOf(indicator, kept)  # type: ignore[return-value]
