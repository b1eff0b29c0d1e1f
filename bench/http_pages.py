"""Measure how fast a running portal answers its public pages.

Usage (with `make run` serving in another terminal):

    .venv/bin/python bench/http_pages.py [--base http://127.0.0.1:8000]
        [--requests 200] [--concurrency 4] [--path / --path /en/ ...]

Prints, per path, requests per second and p50/p95/p99 latency in milliseconds, and
the count of non-200 answers. Only loopback or the given base URL is contacted.
"""

import argparse
import statistics
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

DEFAULT_PATHS = ["/", "/en/", "/healthz"]


def fetch(url: str) -> tuple[float, int]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 0
    return (time.perf_counter() - started) * 1000, status


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, round(share * (len(ordered) - 1)))
    return ordered[index]


def measure(url: str, requests: int, concurrency: int) -> dict:
    fetch(url)  # warm caches and connections once
    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        results = list(pool.map(fetch, [url] * requests))
    elapsed = time.perf_counter() - started
    latencies = [ms for ms, _ in results]
    return {
        "rps": requests / elapsed,
        "p50": statistics.median(latencies),
        "p95": percentile(latencies, 0.95),
        "p99": percentile(latencies, 0.99),
        "errors": sum(1 for _, status in results if status != 200),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--path", action="append", dest="paths")
    args = parser.parse_args()
    print(
        f"{'path':<24}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'non-200':>9}"
    )
    for path in args.paths or DEFAULT_PATHS:
        row = measure(args.base.rstrip("/") + path, args.requests, args.concurrency)
        print(
            f"{path:<24}{row['rps']:>8.1f}{row['p50']:>9.1f}{row['p95']:>9.1f}"
            f"{row['p99']:>9.1f}{row['errors']:>9}"
        )


if __name__ == "__main__":
    main()
