"""Measure search: rebuild throughput and latency of typical staff queries.

Runs against the configured engine: the database engine by default (SQLite, or
PostgreSQL with DATABASE_URL), Elasticsearch when ELASTICSEARCH_URL is set.

    .venv/bin/python bench/search_bench.py --count 20000
    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/search_bench.py \
        --count 100000

Unless told otherwise it works in a throw-away data folder and under the index
prefix "bench", so a developer's own index is never touched. Prints rebuild
documents per second, p50/p95 per query (with facets and highlighting, through the
portal's interface) and the same queries as a bare match sent with the raw client,
and the ratio between the two. On Elasticsearch each query is timed three ways:
asked again (its answer cached), asked first (no cached answer and no cached
filter: the index's filter cache is switched off meanwhile) and with a dropped
cache (the caches emptied before each run of a query the engine has seen often, so
it builds the whole cached filter again, as it does after a merge or eviction).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
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
    """Empty Elasticsearch's caches of filters and answers."""
    backend.client.indices.clear_cache(index=PETITIONS.alias, query=True, request=True)


def set_filter_cache(backend, enabled: bool) -> None:
    """A static setting: the index is closed, changed and opened again."""
    indices = backend.bulk_client.indices
    indices.close(index=PETITIONS.alias)
    indices.put_settings(
        index=PETITIONS.alias, settings={"index.queries.cache.enabled": enabled}
    )
    indices.open(index=PETITIONS.alias, wait_for_active_shards="all")


@contextmanager
def nothing_cached(backend):
    """Elasticsearch as a query nobody asked before meets it: no answer cached
    (emptied before each run) and no filter. The engine caches a filter only once
    it has seen it several times, so a first query never waits for one to be
    built; with the filter cache off, no repeat of the query here does either."""
    set_filter_cache(backend, False)
    try:
        yield
    finally:
        set_filter_cache(backend, True)


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

    requests = [
        (
            query + (" +" + ",".join(extra) if extra else ""),
            query,
            SearchRequest(kind="petitions", query=query, facets=FACETS, **extra),
        )
        for query, extra in QUERIES
    ]
    totals, again, bare, first, dropped = {}, {}, {}, {}, {}
    for label, query, request in requests:
        totals[label] = backend.search(request).total
        again[label] = timed(lambda r=request: backend.search(r), options.repeat)
        bare[label] = timed(lambda q=query: bare_match(backend, q), options.repeat)
        # The database engine keeps no caches of its own: nothing to forget.
        first[label] = dropped[label] = again[label]
        if backend.name == "elasticsearch":
            dropped[label] = timed(
                lambda r=request: backend.search(r),
                options.repeat,
                before=lambda: forget(backend),
            )
    if backend.name == "elasticsearch":
        with nothing_cached(backend):
            for label, _query, request in requests:
                backend.search(request)  # the index's first search after opening
                first[label] = timed(
                    lambda r=request: backend.search(r),
                    options.repeat,
                    before=lambda: forget(backend),
                )

    print(
        f"{'query':<28} {'hits':>7} {'p50':>8} {'p95':>8} {'first p50':>10} "
        f"{'first p95':>10} {'dropped p95':>12} {'bare p50':>9} {'ratio':>6}"
    )
    for label, _query, _request in requests:
        ratio = statistics.median(again[label]) / max(
            statistics.median(bare[label]), 1e-6
        )
        print(
            f"{label:<28} {totals[label]:>7} {statistics.median(again[label]):>7.1f}ms "
            f"{percentile(again[label], 0.95):>7.1f}ms "
            f"{statistics.median(first[label]):>9.1f}ms "
            f"{percentile(first[label], 0.95):>9.1f}ms "
            f"{percentile(dropped[label], 0.95):>11.1f}ms "
            f"{statistics.median(bare[label]):>8.1f}ms {ratio:>5.1f}x"
        )

    def summary(samples: dict) -> str:
        every = [sample for runs in samples.values() for sample in runs]
        return (
            f"p50 {statistics.median(every):.1f} ms, "
            f"p95 {percentile(every, 0.95):.1f} ms"
        )

    print(f"all queries asked again: {summary(again)}")
    if backend.name == "elasticsearch":
        print(f"all queries asked first: {summary(first)}")
        print(f"all queries with a dropped cache: {summary(dropped)}")
    print(f"bare match: {summary(bare)}")
    if not (options.keep or options.reuse):
        backend.clear("petitions")


if __name__ == "__main__":
    main()
