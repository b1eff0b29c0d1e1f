"""Measure search: rebuild throughput and latency of typical staff queries.

Runs against the configured engine: the database engine by default (SQLite, or
PostgreSQL with DATABASE_URL), Elasticsearch when ELASTICSEARCH_URL is set.

    .venv/bin/python bench/search_bench.py --count 20000
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search_bench.py \
        --count 100000

Unless told otherwise it works in a throw-away data folder and under the index
prefix "bench", so a developer's own index is never touched. Prints rebuild
documents per second, p50/p95 per query (with facets and highlighting, through the
portal's interface; again with Elasticsearch's filter and answer caches emptied
before each, as for a query nobody asked before) and the same queries as a bare
match sent with the raw client, and the ratio between the two.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("SEARCH_INDEX_PREFIX", "bench")
if "DATABASE_URL" not in os.environ:
    os.environ.setdefault("PORTAL_DATA_DIR", tempfile.mkdtemp(prefix="search-bench-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench.search_corpus import LEAF_UNITS, petitions  # noqa: E402
from search.backends import get_backend  # noqa: E402
from search.backends.base import SearchRequest  # noqa: E402
from search.documents import PETITIONS  # noqa: E402
from search.text import words  # noqa: E402

FACETS = ["status", "category", "unit", "channel", "overdue", "received_month"]
QUERIES = [
    ("执行款 拖欠", {}),
    ("失信被执行人", {}),
    ('"财产处置"', {}),
    ("工资 -仲裁", {}),
    ("房屋 拍卖", {"scope": [LEAF_UNITS[0][0]]}),
    ("立案 送达", {"filters": {"status": ["accepted", "assigned"]}}),
    ("诉源治理", {"sort": "newest"}),
    ("办案人员 违规", {"filters": {"overdue": ["true"]}}),
]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def bare_match(backend, query: str):
    """The same words as one plain match, sent without the portal's interface."""
    text = " ".join(words(query.replace('"', " ").replace("-", " ")))
    if backend.name == "elasticsearch":
        return backend.client.search(
            index=PETITIONS.alias,
            query={"match": {"description_words": text}},
            size=20,
        )
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH %s "
                "ORDER BY rank LIMIT 20",
                [" OR ".join(f'"{word}"' for word in text.split())],
            )
        else:
            cursor.execute(
                "SELECT entry_id FROM portal_search_searchtext "
                "WHERE search_vector @@ plainto_tsquery('simple', %s) LIMIT 20",
                [text],
            )
        return cursor.fetchall()


def forget(backend) -> None:
    """Empty Elasticsearch's caches of filters and answers: a query seen first."""
    backend.client.indices.clear_cache(index=PETITIONS.alias, query=True, request=True)


def timed(function, repeat: int, before=None) -> list[float]:
    samples = []
    for _ in range(repeat):
        if before:
            before()
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the index")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="no rebuild: time the queries on the index a --keep run left",
    )
    options = parser.parse_args()

    call_command("migrate", verbosity=0)
    backend = get_backend()
    print(f"engine: {backend.name} ({connection.vendor}), {options.count} petitions")
    print(f"machine: {os.cpu_count()} cores, {os.uname().machine}")

    if not options.reuse:
        started = time.perf_counter()
        written = backend.rebuild("petitions", petitions(options.count))
        backend.refresh("petitions")
        seconds = time.perf_counter() - started
        rate = written / seconds
        print(f"rebuild: {written} in {seconds:.1f} s = {rate:,.0f} docs/s")

    # On SQLite the first search of a process loads the entry columns (every
    # committed entry's kind, key, dates and facet lines); later ones read only
    # what is new.
    started = time.perf_counter()
    backend.search(SearchRequest(kind="petitions", query="执行", facets=FACETS))
    first = (time.perf_counter() - started) * 1000
    print(f"first search of this process: {first:,.0f} ms")

    print(
        f"{'query':<28} {'hits':>7} {'p50':>8} {'p95':>8} {'cold p50':>9} "
        f"{'cold p95':>9} {'bare p50':>9} {'ratio':>6}"
    )
    all_full, all_cold, all_bare = [], [], []
    for query, options_for_query in QUERIES:
        request = SearchRequest(
            kind="petitions", query=query, facets=FACETS, **options_for_query
        )
        total = backend.search(request).total
        full = timed(lambda request=request: backend.search(request), options.repeat)
        # The database engine keeps no caches of its own: nothing to forget.
        cold = full
        if backend.name == "elasticsearch":
            cold = timed(
                lambda request=request: backend.search(request),
                options.repeat,
                before=lambda: forget(backend),
            )
        bare = timed(lambda query=query: bare_match(backend, query), options.repeat)
        all_full += full
        all_cold += cold
        all_bare += bare
        ratio = statistics.median(full) / max(statistics.median(bare), 1e-6)
        label = query + (
            " +" + ",".join(options_for_query) if options_for_query else ""
        )
        print(
            f"{label:<28} {total:>7} {statistics.median(full):>7.1f}ms "
            f"{percentile(full, 0.95):>7.1f}ms {statistics.median(cold):>8.1f}ms "
            f"{percentile(cold, 0.95):>8.1f}ms {statistics.median(bare):>8.1f}ms "
            f"{ratio:>5.1f}x"
        )
    print(
        f"all queries: p50 {statistics.median(all_full):.1f} ms, "
        f"p95 {percentile(all_full, 0.95):.1f} ms; with the engine's caches emptied "
        f"before each: p50 {statistics.median(all_cold):.1f} ms, "
        f"p95 {percentile(all_cold, 0.95):.1f} ms; bare match p50 "
        f"{statistics.median(all_bare):.1f} ms, p95 {percentile(all_bare, 0.95):.1f} ms"
    )
    if not (options.keep or options.reuse):
        backend.clear("petitions")


if __name__ == "__main__":
    main()
