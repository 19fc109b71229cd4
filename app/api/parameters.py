"""The API's query parameters, described once: what each accepts.

Each API view declares which parameters it reads (its HTTP policy, beside it in
routes.py). The OpenAPI document lists, for each path, those parameters with the
schemas below; the API checks each request against the same schemas before the
view runs. The document and the code cannot disagree: both read this table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.indicators.filters import FilterError, choices
from app.search.engine import MAX_QUERY_LENGTH, TYPES
from app.search.routes import MAX_PAGE

Choices = dict[str, list[str]]
MOST_PER_PAGE = 500  # list items one answer may carry (INTERFACE.md)


@dataclass(frozen=True)
class Parameter:
    name: str
    description: Any  # lazy: the readable API page gives it in the reader's language
    # An enum, from the data; an empty value is accepted and means "any" (HTML forms send
    # empty selects, and links built from them carry them).
    values: Callable[[Choices], list[str]] | None = None  # an enum, from the data
    integer: tuple[int, int] | None = None  # lowest and highest
    max_length: int = 1000

    def schema(self, known: Choices) -> dict[str, Any]:
        if self.values is not None:
            return {"enum": ["", *self.values(known)]}  # empty: the same as leaving it out
        if self.integer is not None:
            low, high = self.integer
            return {"type": "integer", "minimum": low, "maximum": high}
        return {"type": "string", "maxLength": self.max_length}

    def problem(self, value: str, known: Choices) -> str | None:
        """What is wrong with a value, in the reader's language (None: nothing)."""
        if self.values is not None:
            if value not in self.values(known):
                return FilterError(self.name, value).message + " " + accepted(self, known)
            return None
        if self.integer is not None:
            low, high = self.integer
            if not (value.isascii() and value.isdigit() and low <= int(value) <= high):
                return _(
                    "“%(parameter)s” must be a whole number from %(low)s to %(high)s.",
                    parameter=self.name,
                    low=low,
                    high=high,
                )
            return None
        if len(value) > self.max_length:
            return _("“%(parameter)s” is too long.", parameter=self.name)
        return None


def accepted(parameter: Parameter, known: Choices) -> str:
    values = parameter.values(known) if parameter.values else []
    return _("Accepted values: %(values)s.", values=", ".join(values))


def _filter(name: str, what: Any) -> Parameter:
    return Parameter(name, what, values=lambda known: known[name])


TABLE: dict[str, Parameter] = {
    p.name: p
    for p in (
        Parameter(
            "lang",
            _l("Language of messages (and of search results)."),
            values=lambda _known: ["vi", "en"],
        ),
        _filter("province", _l("Only items of this province.")),
        _filter("plan", _l("Only items of this plan.")),
        _filter("status", _l("Only indicators with this status.")),
        _filter("theme", _l("Only indicators of this theme.")),
        Parameter(
            "q",
            _l(
                "What to search for, with or without Vietnamese diacritics "
                "(the first %(length)s characters are read).",
                length=MAX_QUERY_LENGTH,
            ),
        ),
        Parameter("type", _l("Only results of this type."), values=lambda _known: list(TYPES)),
        Parameter(
            "page",
            _l("Page of the answer: ten search results, or a hundred list items, to a page."),
            integer=(1, MAX_PAGE),
        ),
        Parameter(
            "per_page",
            _l("How many list items to a page: a hundred unless given, at most 500."),
            integer=(1, MOST_PER_PAGE),
        ),
        Parameter(
            "as_typed",
            _l(
                "1: search for the words exactly as typed, without reading Telex or VNI keys "
                "or correcting spelling (the answer's `corrected` says when that was done)."
            ),
            values=lambda _known: ["1"],
        ),
    )
}


def check(args: dict[str, str], names: tuple[str, ...]) -> str | None:
    """The first problem with a request's parameters, or None."""
    present = [name for name in names if name in args]
    if not present:
        return None
    known = choices()
    for name in present:
        value = args[name].strip()
        if value == "" and TABLE[name].values is not None:
            continue
        problem = TABLE[name].problem(value, known)
        if problem:
            return problem
    return None


def described(names: tuple[str, ...], known: Choices) -> list[dict[str, Any]]:
    """The OpenAPI parameter objects of a path's query parameters."""
    return [
        {
            "name": name,
            "in": "query",
            "required": False,
            "schema": TABLE[name].schema(known),
            "description": str(TABLE[name].description),
        }
        for name in names
    ]
