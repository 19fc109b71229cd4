"""Figures as one searchable word, however they are written.

Vietnamese writes 17.000 and 0,85 where English writes 17,000 and 0.85, and
readers type either. The index holds each figure of a text once more as a
word of its own ("17000", "0_85", "21_2"), read with the text's convention;
a query's figure becomes every word it could mean ("1.500" is 1500 in
Vietnamese and 1.5 in English).
"""

from __future__ import annotations

import re

FIGURE = re.compile(r"(?<![\w.,])\d+(?:[.,]\d+)*")
DECIMAL = {"vi": ",", "en": "."}


def _canonical(whole: str, fraction: str = "") -> str | None:
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    if len(whole) > 15 or len(fraction) > 6:
        return None
    return f"{whole}_{fraction}" if fraction else whole


def readings(figure: str, conventions: tuple[str, ...] = ("vi", "en")) -> list[str]:
    """The figure as a word, once for each convention it can be read with."""
    found: list[str] = []
    for lang in conventions:
        decimal = DECIMAL[lang]
        grouping = "." if decimal == "," else ","
        parts = figure.split(decimal)
        if len(parts) > 2:
            continue
        groups = parts[0].split(grouping)
        if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
            continue
        if len(parts) == 2 and grouping in parts[1]:
            continue
        word = _canonical("".join(groups), parts[1] if len(parts) == 2 else "")
        if word and word not in found:
            found.append(word)
    return found


def figure_words(text: str, lang: str) -> list[str]:
    """The words for every figure in a text written in `lang`'s convention."""
    words: list[str] = []
    for match in FIGURE.finditer(text):
        if not any(sep in match.group(0) for sep in ".,"):
            continue  # whole numbers are words already
        words += readings(match.group(0), (lang,))
    return words
