"""Pages of a long list: which page `?page=` asks for, and the rows it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.indicators.filters import FilterError

# Rows to a page of an HTML list.
PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage[T]:
    rows: Sequence[T]  # the whole list (a `Selection` reads only what is asked of it)
    shown: list[T]
    number: int
    pages: int
    errors: list[FilterError]  # the page asked for, when no such page exists


def page_of[T](rows: Sequence[T], asked: str | None, size: int | None = None) -> ListPage[T]:
    """The page `asked` names, or the first (with an error naming what was asked) when no
    such page exists."""
    size = size or PAGE_SIZE
    raw = (asked or "1").strip()
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    pages = max(1, -(-len(rows) // size))
    errors = []
    if not 1 <= number <= pages:
        errors, number = [FilterError("page", raw[:20])], 1
    start = (number - 1) * size
    return ListPage(rows, list(rows[start : start + size]), number, pages, errors)
