"""The search engine behind one narrow interface: `rebuild(documents)` and `search(...)`.

The index lives in `search_index/builds/<id>/`; `search_index/current` is a
symlink to the build in use. A rebuild writes a new build beside the old one
and swaps the symlink in one atomic rename, so readers see the old index or
the new one and never a half-written one, even if the rebuild is killed. The
writers' lock is an flock, which the kernel releases when a writer dies.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape
from whoosh import index as whoosh_index
from whoosh import scoring, sorting
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.query import And, AndMaybe, Or, Query, Term

from app.search import analyzers as an

MAX_QUERY_LENGTH = 200
PAGE_SIZE = 10
# Title and whole-text fields fully normalised by length: a short title that is
# all about the query beats a long one that mentions it in passing.
WEIGHTING = scoring.BM25F(B=0.75, K1=1.2, title_vi_f_B=1.0, title_en_B=1.0, title_vi_p_B=1.0)
TITLE_BOOST = 3.0
OTHER_LANGUAGE = 0.3  # weight of matches in the language the reader did not choose
PAIR_BOOST = 3.0  # syllables standing together, as in a word, count most
PARTS = ("title", "summary", "body")
TYPES = ("plan", "indicator", "campaign", "page")


def make_schema() -> Schema:
    fields: dict[str, Any] = {
        "key": ID(stored=True, unique=True),
        "type": ID(stored=True),
        "slug": ID(stored=True),
        "province": KEYWORD(stored=True),
        "plan": KEYWORD(stored=True),
        "words_en": TEXT(analyzer=an.english_words()),
    }
    # Everything in one field per analysis keeps queries small (and fast); the
    # title is indexed once more on its own, to weigh above summary and body.
    for scope in ("all", "title"):
        fields[f"{scope}_vi"] = TEXT(analyzer=an.vietnamese_exact(), phrase=False)
        fields[f"{scope}_vi_f"] = TEXT(analyzer=an.vietnamese_folded(), phrase=False)
        fields[f"{scope}_vi_p"] = TEXT(analyzer=an.vietnamese_pairs(), phrase=False)
        fields[f"{scope}_en"] = TEXT(analyzer=an.english_stemmed(), phrase=False)
    for part in PARTS:
        fields[f"{part}_vi_text"] = STORED()
        fields[f"{part}_en_text"] = STORED()
    return Schema(**fields)


@dataclass(frozen=True)
class Document:
    """One searchable item, text in both languages (English may be empty)."""

    type: str
    slug: str
    provinces: tuple[str, ...]
    plans: tuple[str, ...]
    text: dict[str, dict[str, str]]  # part -> {"vi": …, "en": …}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def _fields(doc: Document) -> dict[str, Any]:
    values: dict[str, Any] = {
        "key": f"{doc.type}:{doc.slug}",
        "type": doc.type,
        "slug": doc.slug,
        "province": " ".join(doc.provinces),
        "plan": " ".join(doc.plans),
    }
    english_words = []
    texts: dict[str, dict[str, str]] = {"vi": {}, "en": {}}
    for part in PARTS:
        for lang in ("vi", "en"):
            texts[lang][part] = nfc(doc.text.get(part, {}).get(lang, ""))
            values[f"{part}_{lang}_text"] = texts[lang][part]
        english_words.append(texts["en"][part])
    scopes = {
        "all": {lang: an.expand_abbreviations(" \n".join(texts[lang].values())) for lang in texts},
        "title": {lang: an.expand_abbreviations(texts[lang]["title"]) for lang in texts},
    }
    for scope, text in scopes.items():
        for suffix in ("vi", "vi_f", "vi_p"):
            values[f"{scope}_{suffix}"] = text["vi"]
        values[f"{scope}_en"] = text["en"]
    values["words_en"] = " ".join(english_words)
    return values


def _accent_counts(docs: Iterable[Document]) -> dict[str, dict[str, dict[str, int]]]:
    """How often each accented syllable and syllable pair stands for its folded form."""
    single: dict[str, Counter] = defaultdict(Counter)
    pairs: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for part in PARTS:
            words = [
                an.normalize(w)
                for w in re.findall(an.WORD, nfc(doc.text.get(part, {}).get("vi", "")))
            ]
            for word in words:
                single[an.fold(word)][word] += 1
            for first, second in zip(words, words[1:], strict=False):
                pairs[an.fold(f"{first} {second}")][f"{first} {second}"] += 1
    return {
        "single": {k: dict(v) for k, v in single.items()},
        "pairs": {k: dict(v) for k, v in pairs.items()},
    }


def rebuild(root: Path, documents: Iterable[Document]) -> Path:
    """Write a new index from documents and make it current atomically; return its folder."""
    docs = list(documents)
    root.mkdir(parents=True, exist_ok=True)
    (root / "builds").mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one writer at a time; freed if a writer dies
        build = root / "builds" / f"{time.time_ns()}-{os.getpid()}"
        build.mkdir()
        ix = whoosh_index.create_in(str(build), make_schema())
        writer = ix.writer()
        for doc in docs:
            writer.add_document(**_fields(doc))
        writer.commit()
        (build / "accents.json").write_text(json.dumps(_accent_counts(docs)), encoding="utf-8")
        previous = _current_build(root)
        link = root / f".current-{uuid.uuid4().hex}"
        os.symlink(Path("builds") / build.name, link)
        os.replace(link, root / "current")
        _remove_old_builds(root, keep={build.name, previous.name if previous else ""})
    return build


def _current_build(root: Path) -> Path | None:
    try:
        return root / os.readlink(root / "current")
    except OSError:
        return None


def _remove_old_builds(root: Path, keep: set[str]) -> None:
    """Drop builds older than the previous one, and any a killed rebuild left behind."""
    for path in (root / "builds").iterdir():
        if path.name not in keep:
            shutil.rmtree(path, ignore_errors=True)
    for link in root.glob(".current-*"):
        link.unlink(missing_ok=True)


@dataclass
class Hit:
    type: str
    slug: str
    title: str
    snippet: str


@dataclass
class Results:
    query: str
    lang: str
    total: int
    page: int
    pages: int
    hits: list[Hit] = field(default_factory=list)
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    suggestion: str | None = None


class SearchIndex:
    """A reader of the current build, reopened when a rebuild swaps it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._target: str | None = None
        self._searcher = None
        self._accents: dict[str, Any] = {}

    def _open(self):  # noqa: ANN202
        target = os.readlink(self.root / "current")
        if target != self._target:
            ix = whoosh_index.open_dir(str(self.root / target))
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = ix.searcher(weighting=WEIGHTING)
            self._accents = json.loads((self.root / target / "accents.json").read_text("utf-8"))
            self._target = target
        return self._searcher

    def search(
        self,
        text: str,
        lang: str,
        *,
        type: str | None = None,
        province: str | None = None,
        plan: str | None = None,
        page: int = 1,
    ) -> Results:
        query_text = clean_query(text)
        searcher = self._open()
        results = Results(query=query_text, lang=lang, total=0, page=page, pages=0)
        query = build_query(query_text, lang)
        if query is None:
            return results
        filters = [
            Term(name, value)
            for name, value in (("type", type), ("province", province), ("plan", plan))
            if value
        ]
        facets = {
            name: sorting.FieldFacet(name, maptype=sorting.Count)
            for name in ("type", "province", "plan")
        }

        def run(query: Query):  # noqa: ANN202
            return searcher.search_page(
                query,
                max(page, 1),
                pagelen=PAGE_SIZE,
                filter=And(filters) if filters else None,
                groupedby=facets,
            )

        found = run(query)
        if found.total == 0:  # no document has every word: settle for some of them
            found = run(build_query(query_text, lang, all_words=False))
        results.total = found.total
        results.pages = found.pagecount
        results.facets = {name: dict(found.results.groups(name)) for name in facets}
        marked = words_to_mark(query_text)
        results.hits = [self._hit(hit, lang, marked) for hit in found]
        results.suggestion = self.suggest(query_text, lang, searcher)
        return results

    def _hit(self, hit, lang: str, marked: dict[str, frozenset[str]]) -> Hit:  # noqa: ANN001
        title = hit[f"title_{lang}_text"] or hit["title_vi_text"]
        snippet = ""
        text_lang = lang if hit[f"body_{lang}_text"] or hit[f"summary_{lang}_text"] else "vi"
        analyzer = SNIPPET_ANALYZERS[text_lang]
        for part in ("body", "summary", "title"):
            stored = hit[f"{part}_{text_lang}_text"]
            if stored:
                snippet = highlight(
                    stored, marked[text_lang], analyzer, FRAGMENTER, FORMATTER, top=2
                )
                if snippet:
                    break
        if not snippet:
            summary = hit[f"summary_{text_lang}_text"] or ""
            snippet = str(escape(summary[:200]))
        return Hit(hit["type"], hit["slug"], title, snippet)

    def suggest(self, text: str, lang: str, searcher) -> str | None:  # noqa: ANN001
        words = re.findall(an.WORD, text)
        if not words:
            return None
        if lang == "vi" and not an.has_diacritics(text):
            return accented_form(words, self._accents)
        if lang == "en":
            corrector = searcher.reader().corrector("words_en")
            lexicon = searcher.reader()
            changed = []
            for word in words:
                lower = word.lower()
                if len(lower) > 3 and lower.isalpha() and not lexicon.frequency("words_en", lower):
                    options = corrector.suggest(lower, limit=1)
                    changed.append(options[0] if options else lower)
                else:
                    changed.append(lower)
            suggestion = " ".join(changed)
            return suggestion if suggestion != " ".join(w.lower() for w in words) else None
        return None


SNIPPET_ANALYZERS = {"vi": an.vietnamese_folded(), "en": an.english_stemmed()}
FRAGMENTER = ContextFragmenter(maxchars=160, surround=60)
SNIPPET_SOURCE_CHARS = 3000  # snippets come from the start of long texts, which is cheaper
FORMATTER = HtmlFormatter(tagname="mark", between=" … ")


def words_to_mark(text: str) -> dict[str, frozenset[str]]:
    """The query's words as each snippet analyzer sees them, to mark in the stored text."""
    spelled = an.spell_out_abbreviations(text)
    return {
        "vi": frozenset(_analyze(an.vietnamese_folded(), f"{text} {spelled}")),
        "en": frozenset(_analyze(an.english_stemmed(), f"{text} {spelled}")),
    }


def accented_form(words: list[str], accents: dict[str, Any]) -> str | None:
    """The likeliest accented spelling of an unaccented query, if the corpus knows one."""
    folded = [an.fold(w).lower() for w in words]
    chosen: list[str] = []
    for i, word in enumerate(folded):
        pair = accents.get("pairs", {}).get(f"{folded[i - 1]} {word}") if i else None
        if pair and chosen:
            fitting = {k: v for k, v in pair.items() if k.split()[0] == chosen[-1]}
            if fitting:
                chosen.append(max(fitting, key=fitting.get).split()[1])
                continue
        options = accents.get("single", {}).get(word)
        chosen.append(max(options, key=options.get) if options else word)
    suggestion = " ".join(chosen)
    return suggestion if suggestion != " ".join(folded) else None


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean_query(text: str) -> str:
    """NFC, no control characters, one space between words, at most 200 characters."""
    text = _CONTROL.sub(" ", nfc(text or ""))
    return " ".join(text.split())[:MAX_QUERY_LENGTH].strip()


def _analyze(analyzer, text: str) -> list[str]:  # noqa: ANN001
    return [t.text for t in analyzer(text)]


def build_query(text: str, lang: str, all_words: bool = True) -> Query | None:
    """Turn words into weighted terms; query syntax (fields, wildcards, quotes) is plain text.

    Each word becomes a group of alternatives (accented, folded, English stem,
    in title, summary and body). With `all_words`, a document must match every
    group (fast, and what a known-item search wants); otherwise any group will
    do. Folded syllable pairs add to documents where words stand together.
    """
    spelled = an.spell_out_abbreviations(text)
    exact = _analyze(an.vietnamese_exact(), spelled)
    if not exact:
        return None
    folded = _analyze(an.vietnamese_folded(), spelled)
    pairs = _analyze(an.vietnamese_pairs(), spelled)
    # The abbreviations as typed still match documents that use them.
    short_forms = [w for w in _analyze(an.vietnamese_folded(), text) if w not in folded]
    stemmer = an.english_stemmed()
    vi_weight = 1.0 if lang == "vi" else OTHER_LANGUAGE
    groups: list[Query] = []
    for word, plain_word in zip(exact, folded, strict=True):
        stems = _analyze(stemmer, plain_word)
        # Fewer terms make faster queries: the other language counts once, unboosted.
        if lang == "vi":
            alternatives: list[Query] = [
                Term("all_vi_f", plain_word),
                Term("title_vi_f", plain_word, boost=TITLE_BOOST),
            ]
            if word != plain_word:  # typed with diacritics: exact words first
                alternatives.append(Term("all_vi", word, boost=0.5))
            alternatives += [Term("all_en", stem, boost=OTHER_LANGUAGE) for stem in stems]
        else:
            alternatives = [Term("all_vi_f", plain_word, boost=OTHER_LANGUAGE)]
            for stem in stems:
                alternatives.append(Term("all_en", stem))
                alternatives.append(Term("title_en", stem, boost=TITLE_BOOST))
        groups.append(Or(alternatives))
    pair_terms = [
        Term(f"{scope}_vi_p", pair, boost=vi_weight * PAIR_BOOST * weight)
        for scope, weight in (("all", 1.0), ("title", TITLE_BOOST))
        for pair in pairs
    ]
    short_terms = [Term("all_vi_f", word, boost=vi_weight) for word in short_forms]
    extras = pair_terms + short_terms
    required = And(groups) if len(groups) > 1 else groups[0]
    if all_words:
        return AndMaybe(required, Or(extras)) if extras else required
    return Or(groups + extras)
