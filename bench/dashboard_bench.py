"""Time the figures, transparency and staff workspace pages on a large register.

Usage:

    .venv/bin/python bench/dashboard_bench.py [--petitions 20000] [--runs 20]
        [--configured-db]

By default a throw-away SQLite database is built in a temporary directory
(migrations, demo units and categories, then ``--petitions`` synthetic petitions
over a year from ``petitions.demo_history``), then the scheduler's daily planner
statistics task, as a running portal has it. ``--configured-db`` uses the database
the settings name instead (DATABASE_URL), adding the history only if it is absent.

The workspace's queues are timed for a superuser (no scope) and for the head of
the top unit with the most petitions (the scope applies: the petitions of that unit
and every unit below it, plus those the head received as first contact).

Prints p50/p95 in milliseconds and the query count for each page, rendered through
Django's test client (middleware, 2FA gate and templates included, no network),
with DEBUG off unless the environment says otherwise.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--petitions", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--configured-db", action="store_true")
    args = parser.parse_args()

    if not args.configured_db:
        os.environ["PORTAL_DATA_DIR"] = tempfile.mkdtemp(prefix="dashboard-bench-")
        os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
    os.environ.setdefault("DEBUG", "false")  # as served: no query log, no toolbar
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()

    import io

    from django.core.cache import cache
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from petitions import demo, demo_history
    from petitions.models import Petition
    from portal.tasks import refresh_planner_statistics

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    demo.seed(io.StringIO())
    added = demo_history.seed_history(args.petitions)
    # What the scheduler runs at start and daily (SQLite's planner statistics).
    refresh_planner_statistics.call()
    print(
        f"register: {Petition.objects.count()} petitions "
        f"({added} added in {time.perf_counter() - started:.1f} s, "
        f"database {connection.vendor})"
    )

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from petitions.models import Unit, UnitMembership
    from petitions.workflow import Role
    from portal.security.roles import UNIT_HEAD

    def signed_in(username, **defaults):
        """A client whose session passed password and second factor."""
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"is_staff": True, **defaults}
        )
        device = TOTPDevice.objects.filter(
            user=user
        ).first() or TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
        return client, user

    staff, _ = signed_in("bench-admin", is_superuser=True)
    # The head of the top unit with the most petitions: the queues' scope applies.
    head, head_user = signed_in("bench-head")
    head_user.groups.add(Group.objects.get(name=UNIT_HEAD))
    in_scope, top = max(
        (
            (Petition.objects.filter(unit__path__startswith=unit.path).count(), unit)
            for unit in Unit.get_root_nodes()
        ),
        key=lambda counted: counted[0],
    )
    UnitMembership.objects.get_or_create(user=head_user, unit=top, role=Role.HEAD)
    print(f"head of {top.name}: {in_scope} petitions in scope")
    public = Client(HTTP_HOST="localhost")

    def transparency_uncached():
        cache.clear()
        return public.get("/transparency/")

    def dashboard(query, cold=True):
        def fetch():
            if cold:
                cache.clear()
            return staff.get("/admin/petitions/figures/" + query)

        return fetch

    pages = [
        ("dashboard, this month", dashboard("")),
        ("dashboard, last 12 months", dashboard("?period=12m")),
        ("dashboard, 12 months, cached", dashboard("?period=12m", cold=False)),
        ("transparency, cache empty", transparency_uncached),
        ("transparency, cached", lambda: public.get("/en/transparency/")),
        # The staff workspace's widest queue: every petition in scope, 50 a page.
        ("workspace, all in scope", lambda: staff.get("/admin/petitions/work/all/")),
        (
            "workspace, all, linked only",
            lambda: staff.get("/admin/petitions/work/all/?linked=on"),
        ),
        ("head: all in scope", lambda: head.get("/admin/petitions/work/all/")),
        ("head: all, page 20", lambda: head.get("/admin/petitions/work/all/?page=20")),
        ("head: own unit", lambda: head.get("/admin/petitions/work/unit/")),
        ("head: overdue", lambda: head.get("/admin/petitions/work/overdue/")),
    ]
    print(f"{'page':32} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for label, fetch in pages:
        response = fetch()  # warm up
        assert response.status_code == 200, (label, response.status_code)
        timings = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                begun = time.perf_counter()
                fetch()
                timings.append((time.perf_counter() - begun) * 1000)
        print(
            f"{label:32} {statistics.median(timings):8.1f} "
            f"{percentile(timings, 0.95):8.1f} {len(queries):8d}"
        )


if __name__ == "__main__":
    main()
