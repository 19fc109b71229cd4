"""The words an index holds, and the nearest of them to a word it does not hold.

Candidates come from a table of deletions (a word and everything one or two
deletions make of it), so a lookup costs a few dictionary reads however large
the vocabulary. Vietnamese syllables are short and many differ by one letter,
so the choice between equally near syllables goes to the one that stands next
to its neighbours somewhere on the site ("rna" after "thai" is "ran": the site
says "chất thải rắn").
"""

from __future__ import annotations

import math
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from app.search.analyzers import english_stems, fold

TONES = "\u0300\u0301\u0303\u0309\u0323"


def tone(syllable: str) -> str:
    """A syllable's tone mark, "" for none."""
    return next((c for c in unicodedata.normalize("NFD", syllable) if c in TONES), "")


MAX_WORD = 20  # longer words are not corrected


def distance(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbouring letters as one edit."""
    rows = [list(range(len(b) + 1))]
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    return rows[-1][-1]


def allowed_distance(word: str) -> int:
    return 1 if len(word) <= 5 else 2


def _deletions(word: str, depth: int) -> set[str]:
    found = {word}
    edge = {word}
    for _ in range(depth):
        edge = {w[:i] + w[i + 1 :] for w in edge for i in range(len(w))}
        found |= edge
    return found


@dataclass(frozen=True)
class Correction:
    word: str
    distance: int
    supported: bool  # stands next to a neighbour as the site's text has it


class Vocabulary:
    """One build's words: folded Vietnamese, English, English stems and syllable pairs."""

    def __init__(self, reader: Any, accents: dict[str, dict[str, int]]) -> None:  # noqa: ANN401
        """`reader` is a Whoosh reader of the build; `accents` maps each folded syllable to
        its accented spellings on the site and how often each occurs."""

        def terms(field: str) -> dict[str, int]:
            return {
                (t.decode("utf-8") if isinstance(t, bytes) else t): reader.doc_frequency(field, t)
                for t in reader.lexicon(field)
            }

        # Words are read whole (a few thousand, for the table of deletions); stems and
        # pairs, of which there are many more, are looked up one at a time.
        self.reader = reader
        self.folded = terms("all_vi_f")
        self.english = terms("words_en")
        self.accents = accents
        self._table: dict[str, list[str]] | None = None

    def spelling(self, reading: str) -> str | None:
        """The site's spelling of a syllable read from keys: the reading itself, or the
        commonest spelling with the same letters and tone ("truòng" typed "truong2" is
        "trường": VNI readers often leave out the horn)."""
        forms = self.accents.get(fold(reading), {})
        if reading in forms:
            return reading
        same_tone = [f for f in forms if tone(f) == tone(reading)]
        return max(same_tone, key=lambda f: (forms[f], f)) if same_tone else None

    def holds(self, word: str) -> bool:
        """Is the (folded, lower-case) word on the site exactly as typed?"""
        return word in self.folded or word in self.english

    def knows(self, word: str) -> bool:
        """Is the (folded, lower-case) word anywhere on the site, as it is or by its stem?"""
        return self.holds(word) or any(
            ("all_en", stem) in self.reader for stem in english_stems(word)
        )

    def pair_count(self, pair: str) -> int:
        return (
            self.reader.doc_frequency("all_vi_p", pair) if ("all_vi_p", pair) in self.reader else 0
        )

    def pair(self, left: str, right: str) -> bool:
        return self.pair_count(f"{left}_{right}") > 0

    def support(self, word: str, left: str | None, right: str | None) -> int:
        """In how many documents the word stands next to a neighbour (the more, the more)."""
        return max(
            self.pair_count(f"{left}_{word}") if left else 0,
            self.pair_count(f"{word}_{right}") if right else 0,
        )

    def frequency(self, word: str) -> int:
        return max(self.folded.get(word, 0), self.english.get(word, 0))

    def _deletion_table(self) -> dict[str, list[str]]:
        if self._table is None:
            table: dict[str, list[str]] = defaultdict(list)
            for word in {*self.folded, *self.english}:
                if word.isalpha() and len(word) <= MAX_WORD:
                    for variant in _deletions(word, allowed_distance(word)):
                        table[variant].append(word)
            self._table = dict(table)
        return self._table

    def near(self, word: str, most: int | None = None) -> dict[str, int]:
        """Words of the vocabulary within reach of `word`, with their distance."""
        if not word.isalpha() or len(word) > MAX_WORD:
            return {}
        most = allowed_distance(word) if most is None else most
        table = self._deletion_table()
        seen: dict[str, int] = {}
        for variant in _deletions(word, most):
            for candidate in table.get(variant, ()):
                if candidate not in seen and candidate != word:
                    reach = min(allowed_distance(candidate), most)
                    d = distance(word, candidate)
                    if d <= reach:
                        seen[candidate] = d
        return seen

    def correct(self, word: str, left: str | None, right: str | None) -> Correction | None:
        """The likeliest word the reader meant, nearest first, then the one that stands
        next to a neighbour as on the site, then the most common."""
        options = self.near(word)
        if not options:
            return None

        def supported(candidate: str) -> bool:
            return bool(
                (left and self.pair(left, candidate)) or (right and self.pair(candidate, right))
            )

        best = min(
            options,
            key=lambda c: (
                options[c],
                not supported(c),
                -math.log1p(self.frequency(c)),
                c,
            ),
        )
        return Correction(best, options[best], supported(best))

    def in_context(self, word: str, left: str | None, right: str | None) -> tuple[str, int] | None:
        """A syllable one letter away that stands next to a neighbour somewhere on the
        site, where the typed one never does ("Lai Chua" for "Lai Châu"), and in how many
        documents it does. (Where the typed pair occurs at all, it is taken as meant:
        "đạt xe" is common, but "đạp xe" was typed.)"""
        if (left is None and right is None) or not word.isalpha():
            return None
        if self.support(word, left, right):
            return None
        fitting = {c: self.support(c, left, right) for c in self.near(word, 1) if c in self.folded}
        best = max(fitting, key=lambda c: (fitting[c], c), default=None)
        return (best, fitting[best]) if best is not None and fitting[best] > 0 else None
