"""An indicator with its status and its reporting state, as every list and page shows it."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from app.indicators.models import Indicator
from app.indicators.status import Assessment, assess
from app.plans.reporting import ReportState, report_state


class Progress(NamedTuple):
    indicator: Indicator
    assessment: Assessment
    report: ReportState


def progress(indicator: Indicator, today: dt.date) -> Progress:
    years = [o.year for o in indicator.observations]
    return Progress(indicator, assess(indicator, today), report_state(indicator.plan, years, today))
