"""From what a reader typed to the weighted query the ranker runs, in this order:

1. NFC, lower case, one tone-mark convention; control characters out.
2. Telex and VNI keys read as Vietnamese ("nguwowif" → "người", "d9a5p" → "đạp")
   where the word is not on the site and the reading is.
3. Abbreviations and synonyms from content/search_terms.yaml become
   alternatives ("KCN" or "khu công nghiệp"; "garbage" or "waste"); figures
   become every number they can mean ("1.500" → 1500 or 1.5).
4. Question words and other words without a subject are left out, and when
   no document has every remaining word, most of them are enough.
5. A word the site does not hold is corrected to the nearest word it does
   hold, and used when the correction is sure; a syllable that stands beside
   no neighbour as the site writes it also looks for the one that does.

No query syntax reaches Whoosh: every word becomes a term of a known field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from app.search import analyzers as an
from app.search import figures
from app.search.ranking import AllOf, Clause, WeightedQuery
from app.search.spelling import Vocabulary
from app.search.telex import readings as telex_readings
from app.search.terms import Meaning, SearchTerms, default_terms

MAX_QUERY_LENGTH = 200
TITLE_BOOST = 2.0
OTHER_LANGUAGE = 0.3  # weight of matches in the language the reader did not choose
PAIR_BOOST = {"vi": 3.0, "en": 1.0}  # syllables standing together, as in a word, count most
# (English words are words already: that two stand together counts for less.)
MEANING_WEIGHT = 0.8  # another phrasing counts a little less than the words typed
TOKEN = re.compile(figures.FIGURE.pattern + r"|\w+|%")
# "91%" says it is a share: pages that show a percentage come first.
PERCENT = Meaning({"vi": (("phần", "trăm"),), "en": (("percent",),)})
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_query(text: str) -> str:
    """NFC, no control characters, one space between words, at most 200 characters."""
    text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


@dataclass
class Word:
    typed: str  # as the reader typed it
    text: str  # normalised, after any reading or correction
    figure: bool = False
    meaning: Meaning | None = None
    ignored: bool = False
    also: str | None = None  # a syllable the context suggests, searched as well
    changed: bool = False  # read or corrected, surely

    @property
    def folded(self) -> str:
        return an.fold_word(self.text)


@dataclass
class Interpretation:
    words: list[Word]
    query: WeightedQuery | None
    corrected: str | None = None  # the query as searched, when it is not what was typed
    suggestion: str | None = None  # a correction not sure enough to search for


def _tokens(text: str) -> list[str]:
    return [m.group(0) for m in TOKEN.finditer(text)]


def _is_figure(token: str) -> bool:
    return token[0].isdigit() and bool(figures.FIGURE.fullmatch(token))


def _split_mixed(token: str) -> list[str]:
    """ "1026QĐ" → "1026", "QĐ": a number run into its document code."""
    return re.findall(r"\d+|[^\W\d_]+|_", token) if re.search(r"\d", token) else [token]


def _phrases(words: list[Word], terms: SearchTerms, lang: str) -> list[Word]:
    """Join the words that make one listed phrase, longest first, and say what it means."""
    ignored = terms.ignored.get(lang, frozenset())
    out: list[Word] = []
    i = 0
    while i < len(words):
        for size in range(min(terms.longest, len(words) - i), 0, -1):
            span = words[i : i + size]
            if any(w.figure for w in span):
                continue
            key = tuple(w.folded for w in span)
            meaning = terms.meanings.get(key)
            if meaning and meaning.capitals_only and not all(w.typed.isupper() for w in span):
                meaning = None
            if meaning or key in ignored:
                joined = Word(
                    " ".join(w.typed for w in span),
                    " ".join(w.text for w in span),
                    meaning=meaning,
                    ignored=meaning is None,
                    changed=any(w.changed for w in span),
                )
                out.append(joined)
                i += size
                break
        else:
            out.append(words[i])
            i += 1
    return out


def _read_keys(token: str, vocabulary: Vocabulary | None, terms: SearchTerms) -> list[Word]:
    """A token as words: Telex or VNI read as Vietnamese when that is on the site, and a
    number run into a code ("1026QĐ") taken apart."""
    text = an.normalize_word(token)
    plain = an.fold_word(text)
    # Not by stem: "khis" (khí) is no English plural.
    if (plain,) in terms.meanings or (vocabulary is not None and vocabulary.holds(plain)):
        return [Word(token, text)]
    if vocabulary is not None:
        spelled = sorted({s for r in telex_readings(token) if (s := vocabulary.spelling(r))})
        if spelled:
            return [Word(token, spelled[0], changed=True)]
    return [
        Word(part, an.normalize_word(part), figure=part.isdigit()) for part in _split_mixed(token)
    ]


def _correct(
    words: list[Word], vocabulary: Vocabulary, terms: SearchTerms, lang: str
) -> str | None:
    """Correct unknown words in place when sure; return the query with the unsure
    corrections, and the syllables the context proposes, to offer as a suggestion."""
    offered: dict[int, str] = {}
    kept = [w for w in words if not w.figure and not w.ignored]

    def neighbours(at: int) -> tuple[str | None, str | None]:
        return (
            kept[at - 1].folded if at else None,
            kept[at + 1].folded if at + 1 < len(kept) else None,
        )

    for at, word in enumerate(kept):
        if word.meaning or " " in word.text or vocabulary.knows(word.folded):
            continue
        correction = vocabulary.correct(word.folded, *neighbours(at))
        if correction is None:
            continue
        if correction.distance == 1 or correction.supported:
            word.text, word.changed = correction.word, True
            word.meaning = terms.meanings.get((correction.word,))
        else:
            offered[id(word)] = correction.word
    if lang == "vi" or any(an.has_diacritics(w.text) for w in kept):
        _read_in_context(kept, vocabulary, neighbours, offered)
    if not offered:
        return None
    return " ".join(offered.get(id(w), w.text) for w in words)


def _read_in_context(
    kept: list[Word],
    vocabulary: Vocabulary,
    neighbours: Callable[[int], tuple[str | None, str | None]],
    offered: dict[int, str],
) -> None:
    """Known syllables that stand beside no neighbour as the site writes them: of two
    such neighbours, the one whose nearest spelling is best attested is the slip."""
    proposals = []
    for at, word in enumerate(kept):
        if word.meaning or word.changed or " " in word.text:
            continue
        found = vocabulary.in_context(word.folded, *neighbours(at))
        if found:
            proposals.append((found[1], at, found[0]))
    taken: set[int] = set()
    for _support, at, spelling in sorted(proposals, reverse=True):
        if {at - 1, at, at + 1} & taken:
            continue
        kept[at].also = spelling
        offered[id(kept[at])] = spelling
        taken.add(at)


def interpret(
    text: str,
    lang: str,
    vocabulary: Vocabulary | None = None,
    terms: SearchTerms | None = None,
    *,
    as_typed: bool = False,
) -> Interpretation:
    """Read a query as the pipeline above describes; `as_typed` skips steps 2 and 5."""
    terms = terms or default_terms()
    text = clean_query(text)
    reader = None if as_typed else vocabulary
    words: list[Word] = []
    for token in _tokens(text):
        if token == "%":
            words.append(Word(token, "%", meaning=PERCENT))
        elif _is_figure(token):
            words.append(Word(token, token, figure=True))
        else:
            words += _read_keys(token, reader, terms)
    words = _phrases(words, terms, lang)
    if lang == "en":
        for word in words:  # English words with nothing to search ("the", "of")
            if not word.meaning and not word.figure and not an.english_stems(word.text):
                word.ignored = word.ignored or word.text.isascii()
    if all(w.ignored for w in words):
        for word in words:
            word.ignored = False
    suggestion = _correct(words, reader, terms, lang) if reader is not None else None
    corrected = None
    if any(w.changed for w in words):
        corrected = " ".join(w.text for w in words)
    return Interpretation(words, _weighted(words, lang), corrected, suggestion)


def _analyze(analyzer, text: str) -> list[str]:  # noqa: ANN001
    return [t.text for t in analyzer(text)]


def _word_clauses(word: str, lang: str, exact: bool) -> list[Clause]:
    """One word's alternatives: folded, accented, English stem; anywhere and in titles.
    The other language counts once, unboosted."""
    plain = an.fold_word(an.normalize_word(word))
    stems = an.english_stems(plain)
    if lang == "vi":
        clauses = [Clause("all_vi_f", plain), Clause("title_vi_f", plain, TITLE_BOOST)]
        if exact and an.has_diacritics(word):  # typed with diacritics: exact words first
            clauses.append(Clause("all_vi", an.normalize_word(word), 0.5))
        return clauses + [Clause("all_en", stem, OTHER_LANGUAGE) for stem in stems]
    clauses = [Clause("all_vi_f", plain, OTHER_LANGUAGE)]
    for stem in stems:
        clauses += [Clause("all_en", stem), Clause("title_en", stem, TITLE_BOOST)]
    return clauses


def _phrase_alternatives(phrase: tuple[str, ...], in_lang: str, lang: str) -> list[AllOf]:
    """A phrasing of several words, all of which must be there: anywhere, and in titles."""
    weight = MEANING_WEIGHT * (1.0 if in_lang == lang else OTHER_LANGUAGE)
    if in_lang == "vi":
        words = [an.fold_word(an.normalize_word(w)) for w in phrase]
        fields = (("all_vi_f", 1.0), ("title_vi_f", TITLE_BOOST))
    else:
        words = an.english_stems(" ".join(phrase))
        fields = (("all_en", 1.0), ("title_en", TITLE_BOOST))
    if not words:
        return []
    return [AllOf(tuple(Clause(f, w, weight * boost) for w in words)) for f, boost in fields]


def _group(word: Word, lang: str) -> tuple:
    if word.figure:
        words = figures.readings(word.text)
        return tuple(
            Clause(f, w, boost)
            for w in words
            for f, boost in (("all_vi_f", 1.0), ("all_en", 1.0), ("title_vi_f", TITLE_BOOST))
        )
    parts = word.text.split()
    alternatives: list = []
    if len(parts) == 1 and word.text != "%":  # "%" is searched by its meaning alone
        alternatives += _word_clauses(parts[0], lang, exact=not word.changed)
    elif len(parts) > 1:
        in_lang = "en" if lang == "en" and word.text.isascii() else "vi"
        alternatives += _phrase_alternatives(tuple(parts), in_lang, lang)
    if word.also:
        alternatives += _word_clauses(word.also, lang, exact=False)
    if word.meaning:
        for in_lang, phrases in word.meaning.phrases.items():
            for phrase in phrases:
                if len(phrase) == 1 and in_lang == lang:
                    alternatives += [
                        Clause(c.field, c.text, c.boost * MEANING_WEIGHT)
                        for c in _word_clauses(phrase[0], lang, exact=False)
                    ]
                else:
                    alternatives += _phrase_alternatives(phrase, in_lang, lang)
    return tuple(alternatives)


def _runs(words: list[Word], lang: str) -> list[list[str]]:
    """Runs of words that stand together, in `lang`'s pair field's terms (folded
    syllables, or English stems): as typed (or as the context reads them), and with
    each abbreviation or synonym in its meaning in `lang`."""

    def terms(text: str) -> list[str]:
        if lang == "en":
            return an.english_stems(text)
        return [an.fold_word(an.normalize_word(w)) for w in text.split()]

    typed: list[list[str]] = [[]]
    meant: list[list[str]] = [[]]
    for word in words:
        if word.ignored or word.text == "%" or (word.figure and not word.text.isdigit()):
            typed.append([])
            meant.append([])
            continue
        own = terms(word.also or word.text)
        typed[-1] += own
        phrases = word.meaning.phrases.get(lang) if word.meaning else None
        meant[-1] += terms(" ".join(phrases[0])) if phrases else own
    return typed + meant


def _pairs(words: list[Word], lang: str) -> list[str]:
    """The pairs of `lang`'s pair field the words make. A number and a word beside it
    pair both ways: "QĐ 1026" is "1026/QĐ"."""
    pairs = []
    for run in _runs(words, lang):
        for a, b in zip(run, run[1:], strict=False):
            pairs.append(f"{a}_{b}")
            if b.isdigit() != a.isdigit():
                pairs.append(f"{b}_{a}")
    return list(dict.fromkeys(pairs))


def _weighted(words: list[Word], lang: str) -> WeightedQuery | None:
    searched = [(w, g) for w in words if not w.ignored for g in [_group(w, lang)] if g]
    if not searched:
        return None
    groups = tuple(g for _, g in searched)
    figures_kept = frozenset(at for at, (w, _) in enumerate(searched) if w.figure)
    found = {pair_lang: _pairs(words, pair_lang) for pair_lang in ("vi", "en")}
    pairs = [
        Clause(f"{scope}_{pair_lang}_p", pair, language * PAIR_BOOST[pair_lang] * weight)
        for pair_lang in ("vi", "en")
        for language in [1.0 if lang == pair_lang else OTHER_LANGUAGE]
        for scope, weight in (("all", 1.0), ("title", TITLE_BOOST))
        for pair in found[pair_lang]
    ]
    return WeightedQuery(groups, tuple(pairs), kept=figures_kept)


def build_query(text: str, lang: str, terms: SearchTerms | None = None) -> WeightedQuery | None:
    """The weighted query for text as typed, without a vocabulary to correct it against."""
    return interpret(text, lang, None, terms).query


def words_to_mark(interpretation: Interpretation) -> dict[str, frozenset[str]]:
    """The query's words and meanings as each snippet analyzer sees them."""
    texts = []
    for word in interpretation.words:
        if word.ignored:
            continue
        texts.append(word.text)
        if word.also:
            texts.append(word.also)
        if word.meaning:
            texts += [" ".join(p) for ps in word.meaning.phrases.values() for p in ps]
    joined = " ".join(texts)
    return {
        "vi": frozenset(_analyze(an.vietnamese_folded(), joined)),
        "en": frozenset(an.english_stems(joined)),
    }
