"""One row per figure the project tracks, and the one table `make bench` prints."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    area: str
    name: str
    value: str  # Xanh's figure, with its unit
    against: str = ""  # what it is compared with, measured in the same run (or a goal)
    ratio: float | None = None  # Xanh's figure over the one it is compared with
    errors: int | None = None  # socket errors and answers that are not 2xx or 3xx


def rate(requests_per_second: float) -> str:
    return f"{requests_per_second:,.0f} req/s"


def print_table(title: str, figures: list[Figure]) -> None:
    """Print the figures under one title, grouped by area as they come."""
    widths = {
        "name": max(len(f.name) for f in figures),
        "value": max(len(f.value) for f in figures),
        "against": max([len(f.against) for f in figures] + [len("compared with")]),
    }
    print(f"\n{title}")
    header = (
        f"{'figure':{widths['name']}}  {'Xanh':>{widths['value']}}  "
        f"{'compared with':{widths['against']}}  {'ratio':>6}  {'errors':>6}"
    )
    print(header)
    area = None
    for f in figures:
        if f.area != area:
            area = f.area
            print(f"-- {area} " + "-" * (len(header) - len(area) - 4))
        ratio = "" if f.ratio is None else f"{f.ratio:.2f}"
        errors = "" if f.errors is None else str(f.errors)
        print(
            f"{f.name:{widths['name']}}  {f.value:>{widths['value']}}  "
            f"{f.against:{widths['against']}}  {ratio:>6}  {errors:>6}"
        )
