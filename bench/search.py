"""Search quality and speed: Xanh's Whoosh index against SQLite FTS5 and PostgreSQL
full-text search (with `unaccent`), same run, same documents, same queries.

The corpus is the real content plus generated filler documents (GENERATED
TEST DATA: words of the real content drawn at their real frequencies, so the
filler uses the same vocabulary as the documents the queries should find). The
queries are the evaluation set in tests/search_eval.py. PostgreSQL is a real
server, started in a temporary folder as the tests start it. Figures only.
"""

from __future__ import annotations

import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from figures import Figure, print_table  # noqa: E402

from app import create_app  # noqa: E402
from app.search.documents import all_documents  # noqa: E402
from app.search.engine import PARTS, Document, SearchIndex, clean_query, rebuild  # noqa: E402
from tests.postgres import PostgresServer, postgres_server  # noqa: E402
from tests.search_eval import query_set  # noqa: E402

CORPUS_SIZE = int(os.environ.get("BENCH_SEARCH_DOCS", "10000"))
LANGS = ("vi", "en")
ENGINES = ("whoosh", "fts5", "postgres")
PEERS = {"fts5": "SQLite FTS5", "postgres": "PostgreSQL"}


def real_documents() -> list[Document]:
    app = create_app()
    with app.app_context():
        return list(all_documents())


def generated(real: list[Document], count: int) -> list[Document]:
    """Filler documents whose words follow the real content's word frequencies.

    Words, not sentences, are sampled: whole sentences would make near-copies of
    the documents the queries look for, which a real corpus does not have.
    """
    rng = random.Random(20261121)
    vocabulary = {
        lang: [w for d in real for part in PARTS for w in re.findall(r"\w+", d.text[part][lang])]
        for lang in LANGS
    }
    docs = []
    for i in range(count):
        text = {
            part: {
                lang: " ".join(rng.choices(vocabulary[lang], k=rng.randint(low, high)))
                for lang in LANGS
            }
            for part, (low, high) in (
                ("title", (5, 12)),
                ("summary", (10, 25)),
                ("body", (60, 150)),
            )
        }
        docs.append(Document("generated", f"generated-{i}", (), (), text))
    return docs


def mrr(ranked: list[str], expected: set[str]) -> float:
    return next((1 / (i + 1) for i, key in enumerate(ranked[:10]) if key in expected), 0.0)


def fts5_build(docs: list[Document]) -> tuple[sqlite3.Connection, float]:
    db = sqlite3.connect(":memory:")
    columns = [f"{part}_{lang}" for lang in LANGS for part in PARTS]
    db.execute(
        f"CREATE VIRTUAL TABLE docs USING fts5(key UNINDEXED, {', '.join(columns)}, "
        "tokenize = 'unicode61 remove_diacritics 2')"
    )
    start = time.perf_counter()
    db.executemany(
        f"INSERT INTO docs VALUES (?{', ?' * len(columns)})",
        [
            (f"{d.type}:{d.slug}", *[d.text[part][lang] for lang in LANGS for part in PARTS])
            for d in docs
        ],
    )
    db.commit()
    return db, time.perf_counter() - start


def fts5_search(db: sqlite3.Connection, query: str, lang: str) -> list[str]:
    words = re.findall(r"\w+", clean_query(query))
    if not words:
        return []
    match = " OR ".join('"' + w.replace('"', "") + '"' for w in words)
    weights = [4, 2, 1, 1.2, 0.6, 0.3] if lang == "vi" else [1.2, 0.6, 0.3, 4, 2, 1]
    order = f"bm25(docs, 0, {', '.join(map(str, weights))})"
    rows = db.execute(
        f"SELECT key FROM docs WHERE docs MATCH ? ORDER BY {order} LIMIT 10",
        (match,),
    ).fetchall()
    return [key for (key,) in rows]


PG_SETUP = """
CREATE EXTENSION unaccent;
CREATE TEXT SEARCH CONFIGURATION vi_unaccent (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION vi_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE TEXT SEARCH CONFIGURATION en_unaccent (COPY = english);
ALTER TEXT SEARCH CONFIGURATION en_unaccent
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
CREATE TABLE docs (key text, vi tsvector, en tsvector);
"""
PG_CONFIG = {"vi": "vi_unaccent", "en": "en_unaccent"}


def pg_build(url: str, docs: list[Document]):  # noqa: ANN201 - a psycopg connection
    """Documents as PostgreSQL would hold them: one weighted tsvector per language
    (title A, summary B, body C), unaccented, English stemmed, GIN-indexed."""
    import psycopg

    db = psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True)
    db.execute(PG_SETUP)
    start = time.perf_counter()
    with db.cursor() as cur:
        cur.executemany(
            "INSERT INTO docs VALUES (%s, "
            + ", ".join(
                " || ".join(
                    f"setweight(to_tsvector('{PG_CONFIG[lang]}', %s), '{weight}')"
                    for weight in "ABC"
                )
                for lang in LANGS
            )
            + ")",
            [
                (f"{d.type}:{d.slug}", *[d.text[part][lang] for lang in LANGS for part in PARTS])
                for d in docs
            ],
        )
    db.execute("CREATE INDEX docs_vi ON docs USING gin (vi)")
    db.execute("CREATE INDEX docs_en ON docs USING gin (en)")
    db.execute("ANALYZE docs")
    return db, time.perf_counter() - start


def pg_search(db, query: str, lang: str) -> list[str]:  # noqa: ANN001
    """Any of the words (as FTS5 is asked), ranked in the reader's language first."""
    words = re.findall(r"\w+", clean_query(query))
    if not words:
        return []
    other = "en" if lang == "vi" else "vi"

    def any_of(language: str) -> str:
        return " || ".join(f"plainto_tsquery('{PG_CONFIG[language]}', %s)" for _ in words)

    rows = db.execute(
        f"WITH q AS (SELECT {any_of(lang)} AS own, {any_of(other)} AS other) "
        f"SELECT key FROM docs, q WHERE {lang} @@ own OR {other} @@ other "
        f"ORDER BY ts_rank({lang}, own, 1) + 0.3 * ts_rank({other}, other, 1) DESC LIMIT 10",
        [*words, *words],
    ).fetchall()
    return [key for (key,) in rows]


def timed(fn, *args) -> tuple[list[str], float]:  # noqa: ANN001
    start = time.perf_counter()
    result = fn(*args)
    return result, (time.perf_counter() - start) * 1000


def real_index_build(real: list[Document]) -> float:
    """Seconds to build the index of today's content, as `flask search rebuild` does."""
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        rebuild(Path(folder), real)
        return time.perf_counter() - start


@dataclass
class Run:
    """One corpus searched by the three engines: build times, latencies, reciprocal ranks."""

    build: dict[str, float]
    latency: dict[tuple[str, int], list[float]]
    scores: dict[str, dict[str, list[float]]]


def run_engines(docs: list[Document], queries: list, server: PostgresServer) -> Run:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        rebuild(Path(folder), docs)
        build = {"whoosh": time.perf_counter() - start}
        index = SearchIndex(Path(folder))
        index.search("khởi động", "vi")  # open the index once, as a worker does
        fts, build["fts5"] = fts5_build(docs)
        pg, build["postgres"] = pg_build(server.create_database(), docs)
        searches = {
            "whoosh": lambda q, lg: [f"{h.type}:{h.slug}" for h in index.search(q, lg).hits],
            "fts5": lambda q, lg: fts5_search(fts, q, lg),
            "postgres": lambda q, lg: pg_search(pg, q, lg),
        }
        scores: dict[str, dict[str, list[float]]] = {engine: {} for engine in ENGINES}
        # Pass 1 is a fresh worker (each term read from the index the first time
        # a query uses it); pass 2 runs the same queries again in the same worker.
        latency: dict[tuple[str, int], list[float]] = defaultdict(list)
        for run in (1, 2):
            for group, lang, query, expected in queries:
                for engine in ENGINES:
                    hits, ms = timed(searches[engine], query, lang)
                    latency[engine, run].append(ms)
                    if run == 1:
                        scores[engine].setdefault(group, []).append(mrr(hits, expected))
        pg.close()
    return Run(build, latency, scores)


def quality(area: str, scores: dict[str, dict[str, list[float]]]) -> list[Figure]:
    """MRR@10 of each group and overall, Xanh against the better of its two peers."""
    figures = []
    for group in [*scores["whoosh"], "overall"]:
        mean = {
            e: statistics.mean(
                [x for by_group in scores[e].values() for x in by_group]
                if group == "overall"
                else scores[e][group]
            )
            for e in ENGINES
        }
        best_peer = max(mean["fts5"], mean["postgres"])
        figures.append(
            Figure(
                area,
                f"MRR@10, {group}",
                f"{mean['whoosh']:.3f}",
                f"SQLite FTS5 {mean['fts5']:.3f}, PostgreSQL {mean['postgres']:.3f}",
                mean["whoosh"] / best_peer if best_peer else None,
            )
        )
    return figures


def measure() -> list[Figure]:
    real = real_documents()
    docs = real + generated(real, max(CORPUS_SIZE - len(real), 0))
    queries = query_set()
    with postgres_server() as server:
        today = run_engines(real, queries, server)
        large = run_engines(docs, queries, server)
    real_area = f"search: today's content, {len(real)} documents, {len(queries)} queries"
    area = (
        f"search: {len(docs):,} documents ({len(real)} real, the rest generated), "
        f"{len(queries)} queries"
    )
    figures = [
        Figure(real_area, "index build", f"{real_index_build(real):.2f} s"),
        *quality(real_area, today.scores),
        Figure(
            area,
            "index build",
            f"{large.build['whoosh']:.1f} s",
            f"SQLite FTS5 {large.build['fts5']:.2f} s, PostgreSQL {large.build['postgres']:.2f} s",
            large.build["whoosh"] / large.build["fts5"],
        ),
    ]
    for run in (1, 2):
        for q in (50, 95):
            w, f, p = (statistics.quantiles(large.latency[e, run], n=100)[q - 1] for e in ENGINES)
            name = f"p{q} latency, {'fresh worker' if run == 1 else 'warm worker'}"
            against = f"SQLite FTS5 {f:.1f} ms, PostgreSQL {p:.1f} ms"
            figures.append(Figure(area, name, f"{w:.1f} ms", against, w / f))
    return figures + quality(area, large.scores)


if __name__ == "__main__":
    print_table(
        "Search quality and speed against SQLite FTS5 and PostgreSQL (unaccent), same run",
        measure(),
    )
