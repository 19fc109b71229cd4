"""Text analysis for the search index.

Whoosh pickles analyzers into the index schema, so everything here is a
module-level class or function that later code can import by name.

Vietnamese text is indexed three ways:
- `exact`: NFC, lower case, one tone-mark convention ("hoà" and "hòa" alike);
- `folded`: the same with every diacritic removed and đ→d ("đi xe đạp" → "di xe dap");
- `pairs`: folded syllable pairs ("tang_truong"), so syllables that stand
  together in order, as Vietnamese words do, score above scattered ones.
No stop list and no stemmer touch Vietnamese syllables. English text gets
Whoosh's English stemming.
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


def english_words():  # noqa: ANN201
    """Unstemmed English words, for spelling corrections."""
    return RegexTokenizer(r"[A-Za-z]{3,}") | LowercaseFilter()


# The abbreviations listed at the end of Bắc Giang's plan (1026/QĐ-UBND), folded.
ABBREVIATIONS: dict[str, str] = {
    "ttx": "tăng trưởng xanh",
    "knk": "khí nhà kính",
    "ptbv": "phát triển bền vững",
    "kt xh": "kinh tế xã hội",
    "ktxh": "kinh tế xã hội",
    "bdkh": "biến đổi khí hậu",
    "khcn": "khoa học công nghệ",
    "va": "giá trị gia tăng",
    "go": "giá trị sản xuất",
    "kcn": "khu công nghiệp",
    "ccn": "cụm công nghiệp",
    "cn xd": "công nghiệp xây dựng",
    "gtsx": "giá trị sản xuất",
    "ptr0": "phát thải ròng bằng 0",
    "tfp": "năng suất nhân tố tổng hợp",
    "icor": "hệ số hiệu quả sử dụng vốn",
    "csdl": "cơ sở dữ liệu",
}
# Short ones that are also common words are expanded only when typed in capitals.
CAPITALS_ONLY = {"va", "go"}


def _abbreviation_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, long form) of each abbreviation in text."""
    words = list(re.finditer(WORD, text))
    folded = [fold(w.group(0)).lower() for w in words]
    spans: list[tuple[int, int, str]] = []
    i = 0
    while i < len(words):
        for size in (2, 1):
            if i + size > len(words):
                continue
            key = " ".join(folded[i : i + size])
            if key in ABBREVIATIONS and (key not in CAPITALS_ONLY or words[i].group(0).isupper()):
                spans.append((words[i].start(), words[i + size - 1].end(), ABBREVIATIONS[key]))
                i += size
                break
        else:
            i += 1
    return spans


def expand_abbreviations(text: str) -> str:
    """Add the long form after each abbreviation found in text ("KCN" → "KCN khu công nghiệp")."""
    extra = [long for _, _, long in _abbreviation_spans(text)]
    return " ".join([text, *extra]) if extra else text


def spell_out_abbreviations(text: str) -> str:
    """Replace each abbreviation by its long form ("KCN" → "khu công nghiệp")."""
    for start, end, long in reversed(_abbreviation_spans(text)):
        text = text[:start] + long + text[end:]
    return text
