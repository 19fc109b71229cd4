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
import math
import os
import re
import shutil
import threading
import time
import unicodedata
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import escape
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema
from whoosh.highlight import BasicFragmentScorer, ContextFragmenter, HtmlFormatter, highlight

from app.search import analyzers as an
from app.search import figures, ranking
from app.search.query import (
    MAX_QUERY_LENGTH,
    Interpretation,
    build_query,
    clean_query,
    interpret,
    words_to_mark,
)
from app.search.spelling import Vocabulary
from app.search.terms import SearchTerms, default_terms

__all__ = ["MAX_QUERY_LENGTH", "build_query", "clean_query"]

PAGE_SIZE = 10
# How far a field's scores are normalised by its length (BM25's b, default 0.75).
# Titles fully: a short title that is all about the query beats a long one
# that mentions it in passing. Whole texts half: plans run to tens of pages and
# should not lose to a paragraph that happens to repeat a syllable. Syllable
# pairs not at all: words standing together are evidence however long the text.
FIELD_B = {
    "title_vi_f": 1.0,
    "title_en": 1.0,
    "title_vi_p": 1.0,
    "all_vi_f": 0.5,
    "all_en": 0.5,
    "all_vi_p": 0.0,
    "title_en_p": 1.0,
    "all_en_p": 0.0,
}
FACETS = ("type", "province", "plan")
QUERY_FIELDS = (
    "all_vi",
    "all_vi_f",
    "all_vi_p",
    "all_en",
    "all_en_p",
    "title_vi_f",
    "title_vi_p",
    "title_en",
    "title_en_p",
)
# What names a document besides its title: a plan's number, the province of a plan,
# target or campaign. Only consulted for whether the query names the document
# (ranking.Ranker.rank), never scored: "wastewater Hai Phong" names Hai Phong's
# wastewater target, whose title says "wastewater" and whose page says "Hai Phong".
NAME_FIELDS = {"title_vi_f": "name_vi_f", "title_en": "name_en"}
ANALYZERS = {
    "vi": an.vietnamese_exact,
    "vi_f": an.vietnamese_folded,
    "vi_p": an.vietnamese_pairs,
    "en": an.english_stemmed,
    "en_p": an.english_pairs,
}
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
    for name in (*QUERY_FIELDS, *NAME_FIELDS.values()):
        fields[name] = TEXT(analyzer=ANALYZERS[name.split("_", 1)[1]](), phrase=False)
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
    names: dict[str, str] = field(default_factory=dict)  # lang -> number and place


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


PERCENT = {"vi": "phần trăm", "en": "percent"}


def _with_figures(text: str, lang: str) -> str:
    """Text with each of its figures once more as one word (17.000 → 17000), and "%"
    as readers say it."""
    words = figures.figure_words(text, lang)
    if "%" in text:
        words.append(PERCENT[lang])
    return " ".join([text, *words]) if words else text


def _fields(doc: Document, terms: SearchTerms) -> dict[str, Any]:
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
        "all": {
            lang: _with_figures(terms.expand(" \n".join(texts[lang].values()), lang), lang)
            for lang in texts
        },
        "title": {
            lang: terms.expand(texts[lang]["title"], lang, in_numbers=False) for lang in texts
        },
    }
    for name in QUERY_FIELDS:
        scope, lang = name.split("_")[:2]
        values[name] = scopes[scope][lang]
    for name in NAME_FIELDS.values():
        values[name] = nfc(doc.names.get(name.split("_")[1], ""))
    values["words_en"] = " ".join(english_words)
    return values


def _accent_counts(docs: Iterable[Document]) -> dict[str, dict[str, dict[str, int]]]:
    """How often each accented syllable and syllable pair stands for its folded form."""
    single: dict[str, Counter] = defaultdict(Counter)
    pairs: dict[str, Counter] = defaultdict(Counter)
    for doc in docs:
        for part in PARTS:
            words = [
                an.normalize_word(w)
                for w in re.findall(an.WORD, nfc(doc.text.get(part, {}).get("vi", "")))
            ]
            folded = [an.fold_word(word) for word in words]
            for word, plain in zip(words, folded, strict=True):
                single[plain][word] += 1
            for i in range(len(words) - 1):
                pairs[f"{folded[i]} {folded[i + 1]}"][f"{words[i]} {words[i + 1]}"] += 1
    return {
        "single": {k: dict(v) for k, v in single.items()},
        "pairs": {k: dict(v) for k, v in pairs.items()},
    }


@contextmanager
def _writing(root: Path) -> Iterator[None]:
    """One writer at a time, across the workers of this server; freed if a writer dies."""
    root.mkdir(parents=True, exist_ok=True)
    (root / "builds").mkdir(exist_ok=True)
    with open(root / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _write_version(build: Path, data_version: int | None) -> None:
    """Record the data version a build holds; written whole, so readers never see half."""
    partial = build / f".data_version-{uuid.uuid4().hex}"
    partial.write_text(str(data_version), encoding="utf-8")
    os.replace(partial, build / "data_version")


def rebuild(
    root: Path,
    documents: Iterable[Document],
    data_version: int | None = None,
    terms: SearchTerms | None = None,
    *,
    unless_current: bool = False,
) -> Path:
    """Write a new index from documents and make it current atomically; return its folder.

    `data_version` records which version of the published data it was built from;
    `terms` (content/search_terms.yaml by default) is kept with the build, so that its
    queries are read with the abbreviations and synonyms its documents were.

    With `unless_current`, a writer that finds, once it holds the lock, that another
    has already built `data_version` keeps that build and never reads `documents`: the
    workers of a server that all saw the index behind build it once, not once each.
    """
    terms = terms or default_terms()
    with _writing(root):
        current = _current_build(root)
        if (
            unless_current
            and current is not None
            and data_version is not None
            and built_from(root) == data_version
            and holds_current_fields(root)
        ):
            return current
        docs = list(documents)
        build = root / "builds" / f"{time.time_ns()}-{os.getpid()}"
        build.mkdir()
        ix = whoosh_index.create_in(str(build), make_schema())
        # Room to sort postings in memory: with the default 128 MB, a
        # 2,000-document build spilled to disk and took 25 s instead of 13-15 s.
        writer = ix.writer(limitmb=256)
        for doc in docs:
            writer.add_document(**_fields(doc, terms))
        writer.commit()
        (build / "accents.json").write_text(json.dumps(_accent_counts(docs)), encoding="utf-8")
        (build / TERMS_FILE).write_text(terms.to_json(), encoding="utf-8")
        _write_version(build, data_version)
        previous = current
        link = root / f".current-{uuid.uuid4().hex}"
        os.symlink(Path("builds") / build.name, link)
        os.replace(link, root / "current")
        _remove_old_builds(root, keep={build.name, previous.name if previous else ""})
    return build


def update(
    root: Path,
    changed: dict[str, Document | None],
    from_version: int | None,
    data_version: int,
) -> bool:
    """Bring the current build up to `data_version` in place: replace each changed
    document, drop those that are gone (None). Readers keep their searcher until the
    new version is recorded, then reopen it. Returns False when the build is no longer
    at `from_version` (another writer moved it), so the caller decides again.

    The accent statistics stay those of the last full build: a published value changes
    a note or a report number, not how Vietnamese words are accented.
    """
    with _writing(root):
        build = _current_build(root)
        if build is None or built_from(root) != from_version:
            return False
        terms = build_terms(build)
        writer = whoosh_index.open_dir(str(build)).writer()
        try:
            for key, doc in changed.items():
                if doc is None:
                    writer.delete_by_term("key", key)
                else:
                    writer.update_document(**_fields(doc, terms))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()
        _write_version(build, data_version)
    return True


TERMS_FILE = "terms.json"


def build_terms(build: Path) -> SearchTerms:
    """The abbreviations and synonyms a build was made with."""
    try:
        return SearchTerms.from_json((build / TERMS_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:  # a build from before the list was kept with it
        return default_terms()


def built_from(root: Path) -> int | None:
    """The data version the current index was built from, if it says."""
    try:
        text = (root / "current" / "data_version").read_text(encoding="utf-8")
    except OSError:
        return None
    return int(text) if text.isdecimal() else None


def holds_current_fields(root: Path) -> bool:
    """Whether the current build has every field this version of Xanh writes: a build
    from before an upgrade is rebuilt, not updated in place."""
    build = _current_build(root)
    if build is None:
        return False
    try:
        held = set(whoosh_index.open_dir(str(build)).schema.names())
    except (OSError, whoosh_index.EmptyIndexError):
        return False
    return set(make_schema().names()) <= held


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
    corrected: str | None = None  # what was searched for instead of `query`, if anything


class SearchIndex:
    """A reader of the current build, reopened when a rebuild swaps it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._target: str | None = None
        self._stamp = 0
        self._searcher = None
        self._accents: dict[str, Any] = {}
        self._terms: SearchTerms = default_terms()
        self._vocabulary: Vocabulary | None = None
        self._ranker: ranking.Ranker
        # A worker's threads share one searcher; a swap must not close it under another.
        self._lock = threading.Lock()

    def _open(self):  # noqa: ANN202
        target = os.readlink(self.root / "current")
        # An update in place records a new data version when it is complete.
        stamp = os.stat(self.root / target / "data_version").st_mtime_ns
        if target == self._target and stamp != self._stamp and self._searcher is not None:
            self._searcher = self._searcher.refresh()
            self._ranker = ranking.Ranker(self._searcher, FIELD_B, QUERY_FIELDS, NAME_FIELDS)
            self._vocabulary = None
            self._stamp = stamp
        if target != self._target:
            ix = whoosh_index.open_dir(str(self.root / target))
            if self._searcher is not None:
                self._searcher.close()
            self._searcher = ix.searcher()
            self._ranker = ranking.Ranker(self._searcher, FIELD_B, QUERY_FIELDS, NAME_FIELDS)
            self._accents = json.loads((self.root / target / "accents.json").read_text("utf-8"))
            self._terms = build_terms(self.root / target)
            self._vocabulary = None
            self._target = target
            self._stamp = stamp
        return self._searcher

    def _words(self, searcher) -> Vocabulary:  # noqa: ANN001
        """The open build's words, read when a query first needs them."""
        if self._vocabulary is None:
            self._vocabulary = Vocabulary(searcher.reader(), self._accents.get("single", {}))
        return self._vocabulary

    def document_count(self) -> int:
        with self._lock:
            return self._open().doc_count()

    def search(
        self,
        text: str,
        lang: str,
        *,
        type: str | None = None,
        province: str | None = None,
        plan: str | None = None,
        page: int = 1,
        as_typed: bool = False,
    ) -> Results:
        """One page of results. Typing slips are read or corrected unless `as_typed`."""
        with self._lock:
            return self._search(text, lang, type, province, plan, page, as_typed)

    def _search(
        self,
        text: str,
        lang: str,
        type: str | None,
        province: str | None,
        plan: str | None,
        page: int,
        as_typed: bool,
    ) -> Results:
        query_text = clean_query(text)
        searcher = self._open()
        page = max(page, 1)
        results = Results(query=query_text, lang=lang, total=0, page=page, pages=0)
        reading = interpret(query_text, lang, self._words(searcher), self._terms, as_typed=as_typed)
        query = reading.query
        if query is None:
            return results
        filters = {
            name: value
            for name, value in (("type", type), ("province", province), ("plan", plan))
            if value
        }
        ranked = self._ranker.rank(query, filters)
        for looser in query.fallbacks():  # no document has every word: settle for most
            if len(ranked.docnums):
                break
            ranked = self._ranker.rank(looser, filters)
        results.total = len(ranked.docnums)
        results.pages = math.ceil(results.total / PAGE_SIZE)
        results.facets = {name: self._ranker.counts(ranked.matched, name) for name in FACETS}
        marked = words_to_mark(reading)
        shown = ranked.docnums[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        results.hits = [
            self._hit(searcher.stored_fields(int(docnum)), lang, marked) for docnum in shown
        ]
        if reading.corrected:
            results.corrected = self.as_corrected(reading, lang)
        results.suggestion = self.suggest(reading, lang)
        if results.suggestion == results.corrected:
            results.suggestion = None
        return results

    def as_corrected(self, reading: Interpretation, lang: str) -> str:
        """The query as searched: corrections in their likeliest accents, and the reader's
        own words where they stood (all in their accents, for Vietnamese typed without)."""
        accented = self.shown(" ".join(w.text for w in reading.words)).split()
        keep_typed = lang != "vi" or any(an.has_diacritics(w.typed) for w in reading.words)
        shown: list[str] = []
        at = 0
        for word in reading.words:
            size = len(word.text.split())
            mended = " ".join(accented[at : at + size])
            shown.append(word.typed if keep_typed and not word.changed else mended)
            at += size
        return " ".join(shown)

    def shown(self, text: str) -> str:
        """A query the reader will read: unaccented Vietnamese words in their likeliest
        accents, words typed with accents as they were."""
        words = text.split()
        accented = (accented_form(words, self._accents) or text).split()
        if len(accented) != len(words):
            return text
        return " ".join(
            w if an.has_diacritics(w) else a for w, a in zip(words, accented, strict=True)
        )

    def _hit(self, stored: dict[str, Any], lang: str, marked: dict[str, frozenset[str]]) -> Hit:
        def text(part: str, in_lang: str) -> str:
            return stored.get(f"{part}_{in_lang}_text") or ""

        title = text("title", lang) or text("title", "vi")
        snippet = ""
        text_lang = lang if text("body", lang) or text("summary", lang) else "vi"
        for part in ("body", "summary", "title"):
            source = snippet_source(text(part, text_lang), marked[text_lang])
            if source:
                snippet = highlight(
                    source,
                    marked[text_lang],
                    SNIPPET_ANALYZERS[text_lang],
                    FRAGMENTER,
                    FORMATTER,
                    top=2,
                    scorer=earlier_on_ties,
                    minscore=0.5,
                )
                if snippet:
                    break
        if not snippet:
            snippet = str(escape(text("summary", text_lang)[:200]))
        return Hit(stored["type"], stored["slug"], title, snippet)

    def suggest(self, reading: Interpretation, lang: str) -> str | None:
        """A better query to offer: a correction not sure enough to search for, or the
        accents of an unaccented Vietnamese query. Only words the index holds."""
        if reading.suggestion:
            return self.shown(reading.suggestion)
        text = reading.corrected or " ".join(w.typed for w in reading.words)
        words = re.findall(an.WORD, text)
        if lang == "vi" and words and not an.has_diacritics(text):
            return accented_form(words, self._accents)
        return None


SNIPPET_ANALYZERS = {"vi": an.vietnamese_folded(), "en": an.english_stemmed()}
FRAGMENTER = ContextFragmenter(maxchars=160, surround=60)
SNIPPET_SOURCE_CHARS = 3000  # highlighting a whole plan took a quarter of query time


def snippet_source(text: str, words: frozenset[str]) -> str:
    """The part of a long text around the first of the query's words.

    Words are folded (and English ones stemmed), so they are looked for at the
    start of words in the folded text, which keeps Vietnamese text's length.
    """
    if len(text) <= SNIPPET_SOURCE_CHARS:
        return text
    start = 0
    plain = an.fold(text).lower()
    if words and len(plain) == len(text):
        found = re.search(r"\b(?:" + "|".join(map(re.escape, sorted(words))) + ")", plain)
        if found:
            start = max(text.rfind(" ", 0, max(found.start() - 200, 0)) + 1, 0)
    return text[start : start + SNIPPET_SOURCE_CHARS]


FORMATTER = HtmlFormatter(tagname="mark", between=" … ")
_BASIC_SCORER = BasicFragmentScorer()


def earlier_on_ties(fragment) -> float:  # noqa: ANN001
    """Whoosh's score, the earlier fragment winning a tie.

    Whoosh breaks ties by the fragments' memory addresses, so the same search
    could show other snippets each time, and its pages other ETags. A match
    scores at least 1; the tie-breaker takes less than 0.001 off it.
    """
    return _BASIC_SCORER(fragment) - fragment.startchar * 1e-7


def accented_form(words: list[str], accents: dict[str, Any]) -> str | None:
    """The likeliest accented spelling of an unaccented query, if the corpus knows one."""
    folded = [an.fold(w).lower() for w in words]
    chosen: list[str] = []
    for i, word in enumerate(folded):
        pair = accents.get("pairs", {}).get(f"{folded[i - 1]} {word}") if i else None
        if pair and chosen:
            fitting = {k: v for k, v in pair.items() if k.split()[0] == chosen[-1]}
            if fitting:
                chosen.append(max(fitting, key=lambda k: fitting[k]).split()[1])
                continue
        options = accents.get("single", {}).get(word)
        chosen.append(max(options, key=options.get) if options else word)
    suggestion = " ".join(chosen)
    return suggestion if suggestion != " ".join(folded) else None
