"""Text analysis for the search index.

Whoosh pickles analyzers into the index schema, so everything here is a
module-level class or function that later code can import by name.

Vietnamese text is indexed three ways:
- `exact`: NFC, lower case, one tone-mark convention ("hoà" and "hòa" alike);
- `folded`: the same with every diacritic removed and đ→d ("đi xe đạp" → "di xe dap");
- `pairs`: folded syllable pairs ("tang_truong"), so syllables that stand
  together in order, as Vietnamese words do, score above scattered ones.
No stop list and no stemmer touch Vietnamese syllables. English text gets
Whoosh's English stemming, and its stemmed word pairs are indexed too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from whoosh.analysis import (
    Filter,
    LowercaseFilter,
    RegexTokenizer,
    ShingleFilter,
    StemFilter,
    StopFilter,
    Token,
)

WORD = r"\w+"

OLD_TO_NEW_TONE_MARKS = {
    # Old-style marks on the second vowel of an open "oa", "oe", "uy" syllable
    # move to the first vowel: hoà → hòa, khoẻ → khỏe, thuỷ → thủy, uý → úy.
    "oà": "òa",
    "oá": "óa",
    "oả": "ỏa",
    "oã": "õa",
    "oạ": "ọa",
    "oè": "òe",
    "oé": "óe",
    "oẻ": "ỏe",
    "oẽ": "õe",
    "oẹ": "ọe",
    "uỳ": "ùy",
    "uý": "úy",
    "uỷ": "ủy",
    "uỹ": "ũy",
    "uỵ": "ụy",
}
_OPEN_SYLLABLE_END = re.compile(r"(?<!q)(" + "|".join(OLD_TO_NEW_TONE_MARKS) + r")$")


def normalize(text: str) -> str:
    """NFC, lower case, and one tone-mark convention for one syllable or a whole text."""
    text = unicodedata.normalize("NFC", text).lower()
    return re.sub(
        r"\w+",
        lambda m: _OPEN_SYLLABLE_END.sub(lambda v: OLD_TO_NEW_TONE_MARKS[v.group(1)], m.group(0)),
        text,
    )


def fold(text: str) -> str:
    """Remove every diacritic, including đ → d."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def has_diacritics(text: str) -> bool:
    return fold(text) != unicodedata.normalize("NFC", text)


# A language has far fewer distinct words than a corpus has tokens: remember them.
normalize_word = lru_cache(maxsize=200_000)(normalize)
fold_word = lru_cache(maxsize=200_000)(fold)


class NormalizeFilter(Filter):
    """NFC, lower case and one tone-mark convention; offsets stay on the original text."""

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = normalize_word(token.text)
            yield token


class FoldFilter(Filter):
    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for token in tokens:
            token.text = fold_word(token.text)
            yield token


def vietnamese_exact():  # noqa: ANN201 - a Whoosh analyzer
    return RegexTokenizer(WORD) | NormalizeFilter()


def vietnamese_folded():  # noqa: ANN201
    return RegexTokenizer(WORD) | NormalizeFilter() | FoldFilter()


def vietnamese_pairs():  # noqa: ANN201
    return RegexTokenizer(WORD) | NormalizeFilter() | FoldFilter() | ShingleFilter(size=2, sep="_")


def english_stemmed():  # noqa: ANN201
    return RegexTokenizer(WORD) | NormalizeFilter() | FoldFilter() | StopFilter() | StemFilter()


_STEMMER = english_stemmed()


def english_stems(text: str) -> list[str]:
    """The stems English search would index for text ("Hospitals" → "hospit")."""
    return [t.text for t in _STEMMER(text)]


def english_pairs():  # noqa: ANN201
    """Stemmed English word pairs ("medic_wast"), as `vietnamese_pairs` for Vietnamese."""
    return english_stemmed() | ShingleFilter(size=2, sep="_")


def english_words():  # noqa: ANN201
    """Unstemmed English words, for spelling corrections."""
    return RegexTokenizer(r"[A-Za-z]{3,}") | LowercaseFilter()
