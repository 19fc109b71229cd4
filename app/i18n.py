"""Languages, locale selection and bilingual text.

The language comes from the URL (`/vi/…`, `/en/…`); outside those prefixes
(the root redirect, error pages for unknown paths, the API) it falls back to
the browser's Accept-Language, and to Vietnamese when in doubt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import g, has_request_context, request
from markupsafe import Markup
from werkzeug.datastructures import LanguageAccept
from werkzeug.http import parse_accept_header

LANGUAGES: tuple[str, ...] = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
LANGUAGE_NAMES = {"vi": "Tiếng Việt", "en": "English"}


def browser_language() -> str:
    if not has_request_context():
        return DEFAULT_LANGUAGE
    return language_accepted(request.headers.get("Accept-Language", ""))


def language_accepted(header: str) -> str:
    """The site language an Accept-Language header prefers."""
    accepted = parse_accept_header(header, LanguageAccept)
    return accepted.best_match(LANGUAGES, default=DEFAULT_LANGUAGE) or DEFAULT_LANGUAGE


def current_language() -> str:
    """Return the page's language: the URL's, else the browser's."""
    if has_request_context() and g.get("lang") in LANGUAGES:
        return g.lang
    return browser_language()


def language_from_path(path: str) -> str | None:
    """`vi` or `en` from /<lang>/…, /admin/<lang>/… or /embed/<lang>/…, else None."""
    parts = path.lstrip("/").split("/", 2)
    if parts[0] in ("admin", "embed") and len(parts) > 1:
        parts = parts[1:]
    return parts[0] if parts[0] in LANGUAGES else None


@dataclass(frozen=True)
class Localized:
    """A piece of text in the reader's language, or the Vietnamese fallback."""

    value: Any
    lang: str
    wanted: str

    @property
    def is_fallback(self) -> bool:
        return bool(self.value) and self.lang != self.wanted

    @property
    def lang_attr(self) -> Markup:
        return Markup(f' lang="{self.lang}"') if self.is_fallback else Markup("")

    def __str__(self) -> str:
        return str(self.value or "")

    def __html__(self) -> str:
        value = self.value or ""
        return value.__html__() if hasattr(value, "__html__") else str(Markup.escape(value))

    def __bool__(self) -> bool:
        return bool(self.value)


def localized(obj: object, attr: str, lang: str | None = None) -> Localized:
    """Pick `attr_<lang>` from obj, falling back to Vietnamese when it is empty.

    Attributes ending in `html` hold Markdown rendered and sanitised at load.
    """
    wanted = lang or current_language()
    chosen = wanted if getattr(obj, f"{attr}_{wanted}", None) else DEFAULT_LANGUAGE
    value = getattr(obj, f"{attr}_{chosen}", None)
    if value and attr.endswith("html"):
        value = Markup(value)  # sanitised once, when the content was loaded
    return Localized(value, chosen, wanted)


def both(obj: object, attr: str) -> dict[str, Any]:
    """Return {"vi": …, "en": …} for the API, with None where a language is missing."""
    return {lang: getattr(obj, f"{attr}_{lang}", None) or None for lang in LANGUAGES}
