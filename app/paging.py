"""Pages of a long list: which page `?page=` asks for, and the rows it shows."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Rows to a page of an HTML list.
PAGE_SIZE = 50


@dataclass(frozen=True)
class ListPage[T]:
    rows: Sequence[T]  # the whole list (a `Selection` reads only what is asked of it)
    shown: list[T]
    number: int
    pages: int


def page_of[T](
    rows: Sequence[T], asked: str | None, size: int | None = None
) -> tuple[ListPage[T], str | None]:
    """The page `asked` names, or the first with what was asked when no such page exists."""
    size = size or PAGE_SIZE
    raw = (asked or "1").strip()
    number = int(raw) if raw.isascii() and raw.isdigit() else 0
    pages = max(1, -(-len(rows) // size))
    bad = None
    if not 1 <= number <= pages:
        bad, number = raw[:20], 1
    start = (number - 1) * size
    return ListPage(rows, list(rows[start : start + size]), number, pages), bad
