"""The reviewed list of abbreviations, synonyms and question words (content/search_terms.yaml).

It is validated when read, copied into each index build (so the words a build
was made with are the words its queries are read with), and looked up by
phrase: a short form or a synonym may be several words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from app.content.reader import parse_yaml
from app.content.schema import TermsFile
from app.search.analyzers import WORD, fold

DEFAULT_FILE = Path(__file__).resolve().parents[2] / "content" / "search_terms.yaml"

DOCUMENT_NUMBER = re.compile(r"\d+/[\w-]+")


def key(text: str) -> tuple[str, ...]:
    """A phrase as lookups see it: its words, folded and in lower case."""
    return tuple(fold(w).lower() for w in re.findall(WORD, text))


@dataclass(frozen=True)
class Meaning:
    """What a phrase stands for: other phrasings, each a tuple of words, per language."""

    phrases: dict[str, tuple[tuple[str, ...], ...]]
    capitals_only: bool = False
    is_abbreviation: bool = False


@dataclass
class SearchTerms:
    """Phrases (folded word tuples) to their meanings, and the words to leave out."""

    meanings: dict[tuple[str, ...], Meaning] = field(default_factory=dict)
    ignored: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    source: dict = field(default_factory=dict)  # the validated file, to copy into a build
    longest: int = 1  # words in the longest phrase, how far a lookup reaches

    def abbreviations(self) -> dict[tuple[str, ...], Meaning]:
        return {k: m for k, m in self.meanings.items() if m.is_abbreviation}

    @classmethod
    def from_data(cls, data: dict) -> SearchTerms:
        checked = TermsFile.model_validate(data or {})
        terms = cls(source=checked.model_dump())
        for entry in checked.abbreviations:
            phrases: dict[str, tuple[tuple[str, ...], ...]] = {"vi": (tuple(entry.vi.split()),)}
            if entry.en:
                phrases["en"] = (tuple(entry.en.split()),)
            meaning = Meaning(phrases, entry.capitals_only, is_abbreviation=True)
            words = key(entry.short)
            terms.meanings.setdefault(words, meaning)
            if len(words) > 1:  # "TN&MT" is also typed "TNMT"
                terms.meanings.setdefault(("".join(words),), meaning)
        for synonym in checked.synonyms:
            means = tuple(tuple(m.split()) for m in synonym.means)
            for typed in synonym.words:
                terms.meanings.setdefault(key(typed), Meaning({synonym.lang: means}))
        terms.ignored = {
            lang: frozenset(key(p) for p in getattr(checked.ignore, lang)) for lang in ("vi", "en")
        }
        every = [*terms.meanings, *terms.ignored["vi"], *terms.ignored["en"]]
        terms.longest = max(map(len, every), default=1)
        return terms

    @classmethod
    def read(cls, path: Path = DEFAULT_FILE) -> SearchTerms:
        return cls.from_data(parse_yaml(path.read_text(encoding="utf-8")))

    def expand(self, text: str, lang: str, *, in_numbers: bool = True) -> str:
        """Text with the long form added after each abbreviation in it, in `lang` where
        the list has one ("KCN" → "KCN khu công nghiệp"), so documents that use only the
        short form are found by the long one. Without `in_numbers`, the parts of document
        numbers ("1026/QĐ-UBND") stay as they are: a title should not grow by them."""
        if not in_numbers:
            blanked = DOCUMENT_NUMBER.sub(lambda m: " " * len(m.group(0)), text)
            return text + self.expand(blanked, lang)[len(blanked) :]
        words = list(re.finditer(WORD, text))
        folded = [fold(w.group(0)).lower() for w in words]
        extra: list[str] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                meaning = self.meanings.get(tuple(folded[i : i + size]))
                if (
                    meaning is not None
                    and meaning.is_abbreviation
                    and (not meaning.capitals_only or words[i].group(0).isupper())
                ):
                    phrases = meaning.phrases.get(lang) or meaning.phrases["vi"]
                    long_form = " ".join(phrases[0])
                    if f" {' '.join(key(long_form))} " not in f" {' '.join(folded)} ":
                        extra.append(long_form)  # not already spelled out beside it
                    i += size
                    break
            else:
                i += 1
        return " ".join([text, *extra]) if extra else text

    def to_json(self) -> str:
        return json.dumps(self.source, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> SearchTerms:
        return cls.from_data(json.loads(text))


def terms_in(content_dir: Path) -> SearchTerms:
    """The list in a content folder, or the site's own where a folder has none."""
    path = content_dir / DEFAULT_FILE.name
    return SearchTerms.read(path) if path.exists() else default_terms()


@lru_cache(maxsize=1)
def default_terms() -> SearchTerms:
    """The list in content/, for builds and queries that are given no other."""
    return SearchTerms.read()
