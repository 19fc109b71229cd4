"""Matching and BM25F ranking over Whoosh's postings, one array operation per term.

Whoosh's own matchers walk postings one document at a time in Python, which
took hundreds of milliseconds for queries whose syllables occur in most
documents (Vietnamese syllables often do). Here each term's postings are read
from the Whoosh index once per build, scored with the same BM25F formula and
statistics Whoosh uses, and kept as arrays; a query then combines them with
numpy. Scores, ties (lower document number first) and therefore ranking match
what Whoosh's `Or`, `And` and `AndMaybe` queries give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from whoosh.codec.whoosh3 import W3LeafMatcher

K1 = 1.2
B = 0.75
TITLES_FIRST = 1.5
TITLE_WORDS_PER_QUERY_WORD = 2
SHORT_TITLE = 4  # words: "Cycle the short trips" is what "cycling" names
# Terms' score arrays kept per build. 12 bytes a posting, so at most the size
# of the index's postings: well under a megabyte for the real site.
TERM_CACHE_SIZE = 20_000
# What a term the index does not hold scores: shared, so that the cache of the many
# terms people type that are not on the site holds no arrays of its own (two empty
# arrays each cost about 4 kB, and a worker grew by 20 MB per 1,000 new searches).
NO_IDS = np.empty(0, np.int64)
NO_SCORES = np.empty(0, np.float32)
NO_IDS.setflags(write=False)
NO_SCORES.setflags(write=False)


@dataclass(frozen=True)
class Clause:
    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class AllOf:
    """Clauses that count only together: one alternative phrasing of several words."""

    clauses: tuple[Clause, ...]


Alternative = Clause | AllOf


@dataclass(frozen=True)
class WeightedQuery:
    """Every group must match (one of its alternatives); extras only add to the score.

    `need` lowers how many groups must match ("most words"); documents that
    match more of them still come first. The groups in `kept` match however low
    `need` goes: a figure or a document number is what the reader is after.
    """

    groups: tuple[tuple[Alternative, ...], ...]
    extras: tuple[Clause, ...] = ()
    need: int | None = None
    kept: frozenset[int] = frozenset()

    def at_least(self, need: int) -> WeightedQuery:
        return WeightedQuery(self.groups, self.extras, max(need, len(self.kept)), self.kept)

    def any_words(self) -> WeightedQuery:
        """The same words, any one of which is enough."""
        return self.at_least(1)

    def fallbacks(self) -> list[WeightedQuery]:
        """Looser forms to try in turn while no document matches: all words but one (of
        three or more), then half of them, then any one."""
        n = len(self.groups)
        needs = {n - 1 if n >= 3 else n, (n + 1) // 2, 1} - {n}
        return [self.at_least(k) for k in sorted(needs, reverse=True)]


@dataclass
class Matches:
    """What one group of alternatives finds, per document."""

    score: np.ndarray
    mask: np.ndarray
    titled: np.ndarray  # a word of the group is in the title
    named: np.ndarray  # the document's number or place is a word of the group


@dataclass
class Ranking:
    docnums: np.ndarray  # every match, best first
    matched: np.ndarray  # boolean mask over all documents


class Ranker:
    """Scores queries against one Whoosh searcher (one build of the index)."""

    def __init__(
        self,
        searcher,  # noqa: ANN001
        field_b: dict[str, float],
        fields: Sequence[str],
        name_fields: dict[str, str] | None = None,
    ) -> None:
        self.searcher = searcher
        self.name_fields = name_fields or {}
        self.reader = searcher.reader()
        self.size = self.reader.doc_count_all()
        self.field_b = field_b
        self.live = np.ones(self.size, dtype=bool)
        if self.reader.has_deletions():  # never, for builds written whole; cheap to honour
            for docnum in range(self.size):
                self.live[docnum] = not self.reader.is_deleted(docnum)
        self.term_scores = lru_cache(maxsize=TERM_CACHE_SIZE)(self._term_scores)
        self._lengths = lru_cache(maxsize=None)(self._field_lengths)
        self.values = lru_cache(maxsize=None)(self._values)
        for name in fields:  # read once when a worker opens the build, not during a query
            self._lengths(name)

    def _field_lengths(self, field: str) -> np.ndarray:
        length = self.reader.doc_field_length
        return np.fromiter((length(d, field) for d in range(self.size)), np.float32, self.size)

    def _term_scores(self, field: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Document numbers holding the term and their BM25F scores (before boosts)."""
        if (field, text) not in self.reader:
            return NO_IDS, NO_SCORES
        ids, weights = _postings(self.reader.postings(field, text))
        lengths = self._lengths(field)[ids]
        average = self.searcher.avg_field_length(field) or 1
        b = self.field_b.get(field, B)
        idf = self.searcher.idf(field, text)
        scores = idf * (weights * (K1 + 1)) / (weights + K1 * ((1 - b) + b * lengths / average))
        return ids, scores.astype(np.float32)

    def _values(self, field: str) -> dict[str, np.ndarray]:
        """Each value of a keyword field and the documents that have it."""
        masks = {}
        for value in self.reader.lexicon(field):
            mask = np.zeros(self.size, dtype=bool)
            mask[_postings(self.reader.postings(field, value))[0]] = True
            masks[value.decode("utf-8") if isinstance(value, bytes) else value] = mask
        return masks

    def _clauses(self, clauses: Sequence[Alternative]) -> Matches:
        """Scores and matches of alternatives, any of which is enough; the documents
        where a single-term alternative matched in a title, and those it names."""
        found = Matches(
            np.zeros(self.size, dtype=np.float32),
            np.zeros(self.size, dtype=bool),
            np.zeros(self.size, dtype=bool),
            np.zeros(self.size, dtype=bool),
        )
        for clause in clauses:
            if isinstance(clause, AllOf):
                together, everywhere = self._together(clause.clauses)
                found.score += together
                found.mask |= everywhere
                if all(c.field.startswith("title") for c in clause.clauses):
                    found.titled |= everywhere
                continue
            ids, scores = self.term_scores(clause.field, clause.text)
            found.score[ids] += scores * clause.boost
            found.mask[ids] = True
            if clause.field.startswith("title"):
                found.titled[ids] = True
            if clause.field in self.name_fields:
                found.named[self.term_scores(self.name_fields[clause.field], clause.text)[0]] = True
        return found

    def _together(self, clauses: Sequence[Clause]) -> tuple[np.ndarray, np.ndarray]:
        score = np.zeros(self.size, dtype=np.float32)
        found = np.ones(self.size, dtype=bool)
        for clause in clauses:
            ids, scores = self.term_scores(clause.field, clause.text)
            here = np.zeros(self.size, dtype=bool)
            here[ids] = True
            found &= here
            score[ids] += scores * clause.boost
        return np.where(found, score, 0).astype(np.float32), found

    def rank(
        self, query: WeightedQuery, filters: dict[str, str], *, titles_first: bool = True
    ) -> Ranking:
        """Documents matching the query, best first. With `titles_first`, a document whose
        title holds every word, and not many more, ranks as if its score were half again
        as high: a target named by the query comes before a long plan that mentions its
        words. A document's number and place count as its title, and a document whose
        own number the query gives ("QĐ 1026") is named by it, however long its title."""
        matched = self.live.copy()
        for field, value in filters.items():
            matched &= self.values(field).get(value, np.zeros(self.size, dtype=bool))
        total = np.zeros(self.size, dtype=np.float32)
        count = np.zeros(self.size, dtype=np.int32)
        in_titles = np.ones(self.size, dtype=bool)
        # Documents whose own number is every figure the query asks for.
        numbered = np.full(self.size, bool(query.kept))
        title_fields: Counter[str] = Counter()
        for at, group in enumerate(query.groups):
            found = self._clauses(group)
            if at in query.kept:
                matched &= found.mask
                numbered &= found.named
            count += found.mask
            total += found.score
            in_titles &= found.titled | found.named
            title_fields.update(
                c.field
                for c in group
                if isinstance(c, Clause) and c.field.startswith("title") and c.boost > 1
            )
        if title_fields:  # the title is the query, not a long title that holds its words
            length = self._lengths(title_fields.most_common(1)[0][0])
            short = length <= max(SHORT_TITLE, TITLE_WORDS_PER_QUERY_WORD * len(query.groups))
            in_titles &= short | numbered
        else:
            in_titles[:] = False
        need = len(query.groups) if query.need is None else query.need
        matched &= count >= need
        if query.extras:
            total += self._clauses(query.extras).score
        if titles_first and query.groups:
            total = np.where(in_titles, total * TITLES_FIRST, total).astype(np.float32)
        docnums = np.flatnonzero(matched)
        # More of the words first, then the higher score; ties: lower docnum first.
        order = np.lexsort((-total[docnums], -count[docnums]))
        return Ranking(docnums[order], matched)

    def counts(self, matched: np.ndarray, field: str) -> dict[str, int]:
        """How many matching documents have each value of field (values with none left out)."""
        counts = {
            value: int(np.count_nonzero(mask & matched))
            for value, mask in self.values(field).items()
        }
        return {value: n for value, n in counts.items() if n}


def _postings(matcher) -> tuple[np.ndarray, np.ndarray]:  # noqa: ANN001
    """All document numbers and weights of a term, read a block at a time."""
    if not isinstance(matcher, W3LeafMatcher):  # short lists Whoosh keeps inline
        ids: list[int] = []
        weights: list[float] = []
        while matcher.is_active():
            ids.append(matcher.id())
            weights.append(matcher.weight())
            matcher.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)
    # Whoosh 2.7.4's on-disk blocks (the version is pinned): each block stores
    # its document numbers as gaps, which numpy adds up faster than Whoosh does.
    id_blocks: list[np.ndarray] = []
    weight_blocks: list[np.ndarray] = []
    while matcher.is_active():
        matcher._read_weights()  # reads the block's data too
        id_blocks.append(np.cumsum(np.asarray(matcher._data[0], dtype=np.int64)))
        weight_blocks.append(np.asarray(matcher._weights, dtype=np.float32))
        matcher._next_block()
    if not id_blocks:
        return np.empty(0, np.int64), np.empty(0, np.float32)
    return np.concatenate(id_blocks), np.concatenate(weight_blocks)
