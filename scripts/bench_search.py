"""Search benchmark: index 100,000 realistic documents in six languages, then time queries.

    .venv/bin/python scripts/bench_search.py                      # Whoosh only
    .venv/bin/python scripts/bench_search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python scripts/bench_search.py --skip-whoosh --reuse --postgres URL  # index kept
    .venv/bin/python scripts/bench_search.py --whoosh-index /tmp/index --reuse     # same

Documents are jobs, organisations, reviews and articles whose text is drawn (seeded, so every
run is the same) from the sample rights articles in all six languages, with organisation
names mixed in. It prints the indexing rate, the latency of each query (the search page's
own call: the analyzer, then up to 500 hits from the backend) as p50/p95/p99, and how long a
newly committed record takes to become searchable. The PostgreSQL run empties that
database's search tables: give it a database of its own (CI's `test` is fine).

"Worst crafted queries" are what an attacker would send: the search box's 200 characters
filled with the commonest words of each language, of all six at once (so no document has
them all and the any-word search runs), many distinct words, one word repeated. Each runs
through the same bounds as the search page (search/bounds.py and the backends' time limit).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from goldendreams import create_app
from goldendreams.extensions import db
from goldendreams.search import bounds, indexer
from goldendreams.search.analyzer import prepare, tokens, words
from goldendreams.search.backends import State, backend_for
from goldendreams.search.documents import Document
from goldendreams.search.forms import MAX_QUERY
from goldendreams.search.views import MAX_HITS

CORPUS = json.loads((ROOT / "tests/search/corpus.json").read_text(encoding="utf-8"))
KINDS = (
    ("review", 0.6, 3, 8),
    ("job", 0.2, 4, 10),
    ("organisation", 0.15, 0, 1),
    ("article", 0.05, 10, 30),
)
COUNTRIES = ("TH", "MY", "MM", "KH", "LA", "NP")
NAMES = ("Siam", "Golden", "Mekong", "Lotus", "Ocean", "Prawn", "Rubber", "Palm", "Garment",
         "Orchid", "Bridge", "Star", "Harvest", "Union", "Pacific", "Delta")  # fmt: skip
#: The relevance corpus's queries plus common words (many matches: the slow case).
COMMON = ("fees", "passport", "pay", "ค่าจ้าง", "นายจ้าง", "ນາຍຈ້າງ", "និយោជក", "အလုပ်ရှင်",
          "रोजगारदाता", "contract", "agency", "help")  # fmt: skip
BATCH = 5000


def sentences_by_locale() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for doc in CORPUS["documents"]:
        lines = [line.strip("-# ").strip() for line in doc["body"].splitlines()]
        found.setdefault(doc["locale"], []).extend(line for line in lines if len(line) > 8)
    return found


def generate(count: int, seed: int = 42):
    rng = random.Random(seed)
    sentences = sentences_by_locale()
    locales = sorted(sentences)
    kinds = [kind for kind, share, _lo, _hi in KINDS for _ in range(int(share * 100))]
    spans = {kind: (lo, hi) for kind, _share, lo, hi in KINDS}
    for number in range(1, count + 1):
        kind = kinds[number % len(kinds)]
        locale = rng.choice(locales)
        name = f"{rng.choice(NAMES)} {rng.choice(NAMES)} Co {number}"
        low, high = spans[kind]
        body = " ".join(rng.choices(sentences[locale], k=rng.randint(low, high)))
        title = name if kind == "organisation" else rng.choice(sentences[locale])[:120]
        yield Document(
            kind,
            number,
            locale if kind == "article" else None,
            (rng.choice(COUNTRIES),),
            title,
            body + ("\n" + name if kind != "organisation" else ""),
        )


def _fill(pieces: list[str]) -> str:
    """As many of ``pieces`` as fit in the search box, separated by spaces."""
    query = ""
    for piece in pieces:
        if len(query) + len(piece) + 1 > MAX_QUERY:
            break
        query = f"{query} {piece}".strip()
    return query


def crafted_queries(backend, share: float) -> dict[str, str]:
    """Queries built to cost the most: see the module's text."""
    common: dict[str, list[str]] = {}
    every: list[str] = []
    for locale, lines in sorted(sentences_by_locale().items()):
        counts: dict[str, int] = {}
        surface: dict[str, str] = {}
        for line in lines:
            text = prepare(line)
            for word in {w.token: w for w in words(text)}.values():
                counts[word.token] = counts.get(word.token, 0) + 1
                surface.setdefault(word.token, text[word.start : word.end])
        ranked = sorted(counts, key=lambda token: -counts[token])
        common[locale] = [surface[token] for token in ranked[:60]]
        every.extend(surface[token] for token in ranked)
    queries = {f"commonest words, {locale}": _fill(found) for locale, found in common.items()}
    queries["commonest words, six languages"] = _fill(
        [found[n] for n in range(10) for found in common.values()]
    )
    queries["many distinct words"] = _fill(every[len(every) // 2 :])
    queries["one common word repeated"] = _fill([common["en"][0]] * 100)
    # The words that cost most and are not "common": the most frequent just below the line.
    threshold = bounds.common_threshold(backend.size(), share)
    surfaces = {tokens(word)[0]: word for word in every if tokens(word)}
    candidates, counted = list(surfaces), {}
    for start in range(0, len(candidates), 100):  # a search asks for 8 at most
        counted.update(backend.frequencies(candidates[start : start + 100], threshold + 1))
    below = sorted((t for t in counted if counted[t] <= threshold), key=lambda t: -counted[t])
    queries["most frequent words below the common share"] = _fill([surfaces[t] for t in below])
    return queries


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def run(name: str, config: dict, count: int, queries: int, reuse: bool = False) -> None:
    app = create_app(config)
    with app.app_context():
        db.create_all()
        backend = backend_for(app)
        if reuse and backend.document_count() >= count:
            print(f"[{name}] reusing the {backend.document_count():,} documents indexed before")
        else:
            backend.clear()
            started = time.perf_counter()
            documents = list(generate(count))
            backend.load(
                (documents[n : n + BATCH] for n in range(0, count, BATCH)),
                State(indexer.changes.newest_change_id()),
            )
            elapsed = time.perf_counter() - started
            db.session.rollback()
            print(
                f"[{name}] indexed {count:,} documents in {elapsed:.1f} s: "
                f"{count / elapsed:,.0f} per second"
            )

        words = [q["q"] for q in CORPUS["queries"]] + list(COMMON)
        rng = random.Random(7)
        timings = []
        for _ in range(3):  # warm the caches
            indexer.search(backend, tokens(words[0]))
        for _ in range(queries):
            query = rng.choice(words)
            began = time.perf_counter()
            indexer.search(backend, tokens(query))
            timings.append((time.perf_counter() - began) * 1000)
        print(
            f"[{name}] {queries} queries: p50 {percentile(timings, 0.5):.1f} ms, "
            f"p95 {percentile(timings, 0.95):.1f} ms, p99 {percentile(timings, 0.99):.1f} ms, "
            f"mean {statistics.mean(timings):.1f} ms"
        )

        crafted = crafted_queries(backend, app.config["SEARCH_COMMON_SHARE"])
        worst = []
        for label, query in crafted.items():
            timings = []
            for _ in range(max(5, queries // 25)):
                began = time.perf_counter()
                indexer.search(backend, tokens(query), limit=MAX_HITS)
                timings.append((time.perf_counter() - began) * 1000)
            worst.extend(timings)
            distinct = len(set(tokens(query)))
            print(
                f"[{name}] crafted: {label} ({len(query)} characters, {distinct} distinct "
                f"words): p50 {percentile(timings, 0.5):.1f} ms, max {max(timings):.1f} ms"
            )
        print(
            f"[{name}] worst crafted queries, {len(worst)} searches: "
            f"p50 {percentile(worst, 0.5):.1f} ms, p95 {percentile(worst, 0.95):.1f} ms, "
            f"max {max(worst):.1f} ms"
        )

        # A new record, committed: how long until a search finds it?
        from goldendreams.agencies import services

        began = time.perf_counter()
        org = services.create_organisation(
            None, kind="employer", name="Zanzibar Freshness Test", country="TH"
        )
        while True:
            indexer.catch_up(backend)
            if any(
                hit.record_id == org.id
                for hit in backend.search(tokens("zanzibar"), "organisation", None, 10)
            ):
                break
        print(
            f"[{name}] a new record was searchable "
            f"{(time.perf_counter() - began) * 1000:.0f} ms after its commit"
        )
        db.session.delete(org)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--postgres", help="a PostgreSQL URL: also benchmark the full-text backend")
    parser.add_argument("--skip-whoosh", action="store_true")
    parser.add_argument("--whoosh-index", help="a folder for the Whoosh index (to --reuse it)")
    parser.add_argument("--reuse", action="store_true", help="keep an index of the same size")
    args = parser.parse_args()
    common = {"SECRET_KEY": "benchmark-" + "x" * 40, "TESTING": True}
    with tempfile.TemporaryDirectory() as folder:
        if not args.skip_whoosh:
            run(
                "whoosh",
                {
                    **common,
                    "DATABASE_URL": f"sqlite:///{folder}/bench.db",
                    "SEARCH_INDEX_PATH": args.whoosh_index or f"{folder}/index",
                },
                args.documents,
                args.queries,
                args.reuse,
            )
    if args.postgres:
        run(
            "postgres",
            {**common, "DATABASE_URL": args.postgres, "SEARCH_BACKEND": "postgres"},
            args.documents,
            args.queries,
            args.reuse,
        )


if __name__ == "__main__":
    main()
