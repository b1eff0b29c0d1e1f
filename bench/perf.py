"""Side-by-side timings on the running stack, so ratios hold on a noisy machine.

Run inside the stack:

    bench/stack.sh .venv/bin/python bench/perf.py [--seconds 10] [--rounds 2]
        [--count 5000]

1. wrk (Debian's package) in alternating rounds against: a bare Django view
   (/robots.txt: constant text through the whole middleware stack), /healthz (which
   also pings PostgreSQL, Elasticsearch and Redis), a cached public page (a legal
   guide, read anonymously) and the same guide uncached (a session cookie makes the
   page cache step aside).
2. bench/search_bench.py on the stack's Elasticsearch: rebuild throughput, staff
   search p50/p95 through the portal's interface vs a bare match with the raw client.
3. bench/dashboard_bench.py on the stack's PostgreSQL with --petitions of demo
   history: the figures dashboard and the transparency page (skip: --no-dashboard).
"""

import argparse
import os
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def guide_path() -> tuple[str, str]:
    """A live legal guide's path, and the session cookie's name."""
    import django

    django.setup()
    from django.conf import settings

    from home.models import LegalGuidePage

    page = LegalGuidePage.objects.live().first()
    return (page.get_url() if page else "/"), settings.SESSION_COOKIE_NAME


def wrk(url: str, seconds: float, header: str | None) -> tuple[float, str]:
    command = ["wrk", "-t2", "-c16", f"-d{seconds:.0f}s", "--latency", url]
    if header:
        command[1:1] = ["-H", header]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return rps, f"p50 {p50}, p99 {p99}, non-2xx {errors.group(1) if errors else 0}"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=os.environ.get("STACK_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--petitions", type=int, default=20000)
    parser.add_argument("--no-dashboard", action="store_true")
    args = parser.parse_args(argv)
    subprocess.run(
        [str(ROOT / "portal/bin/require"), "wrk", "wrk", "wrk (HTTP benchmark)"],
        check=True,
    )
    guide, session_cookie = guide_path()
    targets = {
        "bare view /robots.txt": (args.base + "/robots.txt", None),
        "/healthz (pings 3 services)": (args.base + "/healthz", None),
        f"cached page {guide}": (args.base + guide, None),
        f"uncached page {guide}": (
            args.base + guide,
            f"Cookie: {session_cookie}=bench",
        ),
    }
    print(
        f"machine: {os.cpu_count()} cores; wrk -t2 -c16, "
        f"{args.rounds} rounds of {args.seconds:.0f} s"
    )
    results = defaultdict(list)
    for _round in range(args.rounds):
        for label, (url, header) in targets.items():
            results[label].append(wrk(url, args.seconds, header))
    bare = max(rps for rps, _ in results["bare view /robots.txt"])
    for label, runs in results.items():
        best, detail = max(runs)
        print(f"{label:40} {best:8.0f} req/s  ({best / bare:.2f}x bare)  {detail}")

    print("\nsearch (bench/search_bench.py on the stack's Elasticsearch):", flush=True)
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL"}
    }
    env["SEARCH_INDEX_PREFIX"] = "bench"
    subprocess.run(
        [sys.executable, "bench/search_bench.py", "--count", str(args.count)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    if not args.no_dashboard:
        print("\ndashboard (bench/dashboard_bench.py on the stack's database):")
        subprocess.run(
            [
                sys.executable,
                "bench/dashboard_bench.py",
                "--configured-db",
                "--petitions",
                str(args.petitions),
            ],
            cwd=ROOT,
            check=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
