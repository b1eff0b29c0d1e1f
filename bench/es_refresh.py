"""Measure what a stream of single changes costs the Elasticsearch node, per refresh
interval: the node's CPU per petition written one at a time, as the indexing jobs
write them, with a staff search now and then so the index never goes idle.

    ELASTICSEARCH_URL=http://127.0.0.1:9200 .venv/bin/python bench/es_refresh.py \
        [--intervals 1s 5s 1s 5s] [--changes 600] [--per-second 10]

Each round makes a throw-away index (prefix "bench") of 5,000 synthetic petitions
with the portal's mappings, merged to one segment, then writes ``--changes`` more
one by one at ``--per-second`` and reads the node's own CPU counter before and after
(``_nodes/stats/process``), so the figure is the node's alone.
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

import django  # noqa: E402

django.setup()

from elasticsearch import Elasticsearch, helpers  # noqa: E402

from bench.search_corpus import petitions  # noqa: E402
from search.backends.elasticsearch import engine_document  # noqa: E402
from search.documents import PETITIONS  # noqa: E402

INDEX = "bench-refresh-probe"
LOADED = 5_000


def node_cpu_ms(client) -> int:
    nodes = client.nodes.stats(metric="process")["nodes"]
    return sum(node["process"]["cpu"]["total_in_millis"] for node in nodes.values())


def one_round(client, interval: str, bodies: list[tuple], per_second: float):
    """``bodies``: (id, engine document), built once for every round."""
    client.options(ignore_status=404).indices.delete(index=INDEX)
    body = PETITIONS.index_body()
    body["settings"] = {**body["settings"], "refresh_interval": interval}
    client.indices.create(index=INDEX, **body)
    helpers.bulk(
        client,
        ({"_index": INDEX, "_id": key, "_source": doc} for key, doc in bodies[:LOADED]),
    )
    client.indices.refresh(index=INDEX)
    client.indices.forcemerge(index=INDEX, max_num_segments=1)
    time.sleep(3)
    changes = bodies[LOADED:]
    before, started = node_cpu_ms(client), time.monotonic()
    for number, (key, doc) in enumerate(changes):
        client.index(index=INDEX, id=key, document=doc)
        if number % 6 == 0:
            client.search(index=INDEX, query={"match": {"subject_words": "工资"}})
        time.sleep(max(0.0, started + (number + 1) / per_second - time.monotonic()))
    seconds = time.monotonic() - started
    cpu = (node_cpu_ms(client) - before) / 1000
    stats = client.indices.stats(index=INDEX, metric="refresh,merge")
    totals = stats["indices"][INDEX]["total"]
    client.indices.delete(index=INDEX)
    print(
        f"refresh {interval:>4}: {len(changes)} changes in {seconds:.0f} s, node CPU "
        f"{cpu:.1f} s = {1000 * cpu / len(changes):.1f} ms a change "
        f"({totals['refresh']['total']} refreshes, {totals['merges']['total']} merges)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intervals", nargs="+", default=["1s", "5s", "1s", "5s"])
    parser.add_argument("--changes", type=int, default=600)
    parser.add_argument("--per-second", type=float, default=10)
    options = parser.parse_args()
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        sys.exit("set ELASTICSEARCH_URL to the node to measure")
    client = Elasticsearch(url, request_timeout=60)
    bodies = [
        (doc["id"], engine_document(PETITIONS, doc))
        for doc in petitions(LOADED + options.changes, seed=3)
    ]
    print(f"machine: {os.cpu_count()} cores, {os.uname().machine}")
    for interval in options.intervals:
        one_round(client, interval, bodies, options.per_second)


if __name__ == "__main__":
    main()
