"""Drive the stack with simulated citizens and staff; prove nothing was lost.

Run inside the stack (which sets the environment):

    bench/stack.sh .venv/bin/python bench/load.py [--citizens 100] [--staff 10]
        [--seconds 60] [--first 0] [--period SECONDS]

Each citizen has its own loopback source address (127.0.0.2, .3, ...; from citizen
number ``--first``), so the
per-address limits apply as they would to real people. A citizen visits every
``--period`` seconds (by default a quarter of the run, the first visit at a random
moment of the first quarter, so the citizens' work spreads over the whole run; 0:
visits back to back, all citizens' first submissions within the first seconds).
A visit reads the home page, submits a petition with a photo through the API (the
first 4 visits, under the limit of 5 per 10 minutes), looks it up (at most 8 a
minute, under 10) and tries to rate it (409 while it is not closed, 201 once staff
closed it). Staff sessions (127.0.1.x,
heads of the top units, not superusers) list the petitions in their scope, search
them, open one and take its next step of the loop through the workspace's forms:
accept, assign, start, reply, close.

Prints requests per second, p50/p95/p99 per endpoint and answers by status, then
checks that the database holds exactly the petitions whose submission got a 201 and
that staff search finds each of them once the queue drains.
Exit status 1 when a check fails or a citizen saw a 5xx.
"""

import argparse
import asyncio
import io
import os
import random
import re
import sys
import time
from collections import Counter, defaultdict
from html.parser import HTMLParser
from pathlib import Path

import httpx
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

EXPECTED = {
    "home": {200},
    "submit": {201},
    "lookup": {200},
    "rate": {201, 409},
    "staff list": {200},
    "staff search": {200},
    "staff open": {200},
    # Each step answers with a redirect to the petition; a refusal (another staff
    # member was quicker) is a message on that page, also a redirect.
    **{f"staff {step}": {302} for step in ("accept", "assign", "start", "reply")},
    "staff close": {302},
}


def setup_django():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.production")
    django.setup()


def photo_bytes() -> bytes:
    image = Image.effect_noise((640, 480), 40).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Recorder:
    def __init__(self):
        self.latency = defaultdict(list)
        self.status = defaultdict(Counter)
        self.submitted = []  # (tracking_no, access_code)

    def add(self, endpoint, seconds, status):
        self.latency[endpoint].append(seconds)
        self.status[endpoint][status] += 1

    def report(self, elapsed) -> int:
        total = sum(len(v) for v in self.latency.values())
        print(f"\n{total} requests in {elapsed:.1f} s: {total / elapsed:.1f} req/s")
        print(
            f"{'endpoint':14} {'count':>6} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'p99 ms':>8}  status"
        )
        unexpected = 0
        for endpoint, samples in sorted(self.latency.items()):
            ordered = sorted(samples)

            def pick(share, ordered=ordered):
                return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

            statuses = dict(sorted(self.status[endpoint].items(), key=str))
            print(
                f"{endpoint:14} {len(ordered):6} {pick(0.5):8.0f} {pick(0.95):8.0f} "
                f"{pick(0.99):8.0f}  {statuses}"
            )
            unexpected += sum(
                count
                for status, count in statuses.items()
                if status not in EXPECTED[endpoint]
            )
        return unexpected


#: Where a staff request lands without a valid session: never an expected answer.
SIGN_IN = "/account/sign-in/"


def outcome(response) -> int | str:
    """The answer's status, or "signed out" for a page or redirect to sign-in."""
    if response.url.path.startswith(SIGN_IN) or response.headers.get(
        "location", ""
    ).startswith(SIGN_IN):
        return "signed out"
    return response.status_code


async def timed(recorder, endpoint, call):
    started = time.perf_counter()
    try:
        response = await call()
        status = outcome(response)
    except httpx.HTTPError as error:
        response, status = None, type(error).__name__
    recorder.add(endpoint, time.perf_counter() - started, status)
    return response


# A citizen's submissions, under the limit of 5 per address in 10 minutes.
SUBMISSIONS = 4


async def citizen(number, base, deadline, recorder, photo, categories, period=0.0):
    """One citizen's visits: home page, submission (the first SUBMISSIONS times),
    lookup and rating, with a person's pauses between steps. A visit starts every
    ``period`` seconds, the first at a random moment of the first period (0: each
    visit right after the one before, all citizens within 3 s)."""
    transport = httpx.AsyncHTTPTransport(
        local_address=f"127.0.{number // 250}.{number % 250 + 2}"
    )
    rng = random.Random(number)
    submits, lookups = 0, []
    async with httpx.AsyncClient(
        base_url=base,
        transport=transport,
        timeout=30,
        headers={"Accept-Language": "zh-hans"},
    ) as client:
        await asyncio.sleep(rng.uniform(0, max(period, 3)))
        receipt = None
        while time.monotonic() < deadline:
            visit = time.monotonic()
            await timed(recorder, "home", lambda: client.get("/"))
            await asyncio.sleep(rng.uniform(0.5, 2))
            if submits < SUBMISSIONS and time.monotonic() < deadline:
                fields = {
                    "category": rng.choice(categories),
                    "name": f"市民{number}",
                    "phone": f"139{number:05d}{submits:03d}",
                    "subject": f"负载测试 {number}-{submits}",
                    "description": "我的工资被拖欠三个月，请求帮助。"
                    "劳动仲裁需要哪些材料？",
                    "consent": "true",
                }
                files = {"attachments": ("photo.jpg", photo, "image/jpeg")}
                response = await timed(
                    recorder,
                    "submit",
                    lambda f=fields, files=files: client.post(
                        "/api/v1/petitions", data=f, files=files
                    ),
                )
                submits += 1
                if response is not None and response.status_code == 201:
                    body = response.json()
                    receipt = {k: body[k] for k in ("tracking_no", "access_code")}
                    recorder.submitted.append(receipt)
                await asyncio.sleep(rng.uniform(0.5, 2))
            now = time.monotonic()
            lookups = [t for t in lookups if now - t < 60]
            if receipt and len(lookups) < 8:
                lookups.append(now)
                await timed(
                    recorder,
                    "lookup",
                    lambda r=receipt: client.post("/api/v1/petitions/lookup", json=r),
                )
                await asyncio.sleep(rng.uniform(0.5, 2))
                lookups.append(time.monotonic())
                await timed(
                    recorder,
                    "rate",
                    lambda r=receipt: client.post(
                        "/api/v1/petitions/rating",
                        json={**r, "rating": "satisfied"},
                    ),
                )
            now, pause = time.monotonic(), rng.uniform(1, 3)
            await asyncio.sleep(min(max(pause, visit + period - now), deadline - now))


class FormReader(HTMLParser):
    """The workspace detail page's action forms: (data-action, URL, fields)."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("method") == "post":
            self._form = (attrs.get("data-action", ""), attrs.get("action", ""), {}, {})
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and attrs.get("name") and attrs.get("type") != "checkbox":
            self._form[2].setdefault(attrs["name"], attrs.get("value", ""))
        elif tag == "select":
            self._select = attrs.get("name")
        elif tag == "option" and self._select:
            # As a browser: the selected option, else the first (even if empty).
            value = attrs.get("value", "")
            choices = self._form[3].setdefault(self._select, [])
            if not choices or "selected" in attrs:
                self._form[2][self._select] = value
            choices.append(value)
        elif tag == "textarea":
            self._textarea = attrs.get("name")
            self._form[2][self._textarea] = ""

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form[2][self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


# The loop's next step, in order; the first one the page offers is taken.
STAFF_STEPS = ["accept", "assign", "start", "reply", "close"]
STAFF_TEXT = "您的诉求已依法办理，办理结果如下：已督促相关单位在十五日内支付拖欠款项。"
DETAIL = re.compile(r'href="(/admin/petitions/petition/\d+/)"')


class StaffSession:
    """One signed-in staff member's browser: cookies kept by hand (production
    cookies are Secure and __Host- prefixed, and the stack speaks plain HTTP behind
    what would be the TLS proxy), the proxy's X-Forwarded-Proto, and a Referer for
    Django's CSRF check on HTTPS."""

    def __init__(self, client, base, cookies):
        self.client, self.base, self.cookies = client, base, dict(cookies)

    def _headers(self, path):
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        host = self.base.split("://", 1)[1]
        return {"Cookie": cookie, "Referer": f"https://{host}{path}"}

    def _keep(self, response):
        for line in response.headers.get_list("set-cookie"):
            name, _, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response

    async def get(self, path, follow=False, **kwargs):
        """GET ``path``; with ``follow``, its redirects too, with this session's
        cookies (httpx's own following drops a Cookie header set by hand, so a
        followed page would be asked for signed out)."""
        response = await self.client.get(path, headers=self._headers(path), **kwargs)
        for _ in range(5 if follow else 0):
            if not response.is_redirect:
                break
            self._keep(response)
            target = response.url.join(response.headers["location"])
            path = target.raw_path.decode()
            response = await self.client.get(path, headers=self._headers(path))
        return self._keep(response)

    async def post(self, path, data):
        response = await self.client.post(path, data=data, headers=self._headers(path))
        return self._keep(response)


async def staff(number, base, deadline, recorder, cookie):
    """List the petitions in scope, search them, open one and take its next step
    (accept, assign, start, reply, close) through the workspace's own forms."""
    transport = httpx.AsyncHTTPTransport(local_address=f"127.0.1.{number + 2}")
    rng = random.Random(1000 + number)
    name, _, value = cookie.partition("=")
    async with httpx.AsyncClient(
        base_url=base,
        transport=transport,
        timeout=30,
        headers={"X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"},
    ) as client:
        session = StaffSession(client, base, {name: value})
        while time.monotonic() < deadline:
            listing = await timed(
                recorder,
                "staff list",
                lambda: session.get("/admin/petitions/work/all/"),
            )
            await asyncio.sleep(rng.uniform(0.5, 2))
            query = rng.choice(["工资", "拖欠", "劳动仲裁", "负载测试", "材料"])
            await timed(
                recorder,
                "staff search",
                # The box's words go to the results' sealed address, as from the form.
                lambda q=query: session.get(
                    "/admin/petition-search/", params={"q": q}, follow=True
                ),
            )
            await asyncio.sleep(rng.uniform(0.5, 2))
            links = DETAIL.findall(listing.text) if listing is not None else []
            if not links:
                continue
            detail = rng.choice(links[:20])
            page = await timed(recorder, "staff open", lambda d=detail: session.get(d))
            if page is None or page.status_code != 200:
                continue
            forms = FormReader()
            forms.feed(page.text)
            offered = {action: form for action, *form in forms.forms}
            step = next((action for action in STAFF_STEPS if action in offered), None)
            await asyncio.sleep(rng.uniform(0.5, 2))
            if step is None:
                continue
            url, fields, choices = offered[step]
            if "text" in fields and not fields["text"].strip():
                fields["text"] = STAFF_TEXT
            if step == "assign":  # the head picks one of the unit's handlers
                fields["handler"] = rng.choice([*filter(None, choices["handler"])])
            await timed(
                recorder,
                f"staff {step}",
                lambda u=url, f=fields: session.post(u, f),
            )
            await asyncio.sleep(rng.uniform(0.5, 2))


def staff_cookies(count: int) -> list[str]:
    """Signed-in staff sessions (password and second factor already passed).

    Each is the head of one of the top units (and a handler in every unit below
    it): not a superuser, so the workspace's scope applies as to real staff."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from petitions.models import Unit, UnitMembership
    from petitions.workflow import Role
    from portal.security.roles import HANDLER, UNIT_HEAD

    tops = list(Unit.get_root_nodes())
    groups = list(Group.objects.filter(name__in=[HANDLER, UNIT_HEAD]))
    cookies = []
    for number in range(count):
        user, _ = get_user_model().objects.get_or_create(
            username=f"bench-staff-{number}", defaults={"is_staff": True}
        )
        user.groups.add(*groups)
        top = tops[number % len(tops)]
        UnitMembership.objects.get_or_create(user=user, unit=top, role=Role.HEAD)
        for unit in Unit.objects.filter(path__startswith=top.path):
            UnitMembership.objects.get_or_create(
                user=user, unit=unit, role=Role.HANDLER
            )
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True}
        )
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookies.append(f"{settings.SESSION_COOKIE_NAME}={session.session_key}")
    return cookies


def queue_drained(timeout: float = 120) -> float:
    """Seconds until RQ has no queued or running job (or the timeout)."""
    import django_rq

    started = time.monotonic()
    queue = django_rq.get_queue("default")
    while time.monotonic() - started < timeout:
        if queue.count == 0 and queue.started_job_registry.count == 0:
            return time.monotonic() - started
        time.sleep(0.5)
    return time.monotonic() - started


def found_by_search(numbers: set[str]) -> set[str]:
    """The tracking numbers that staff search finds now (all units in scope)."""
    from search.backends import get_backend
    from search.backends.base import SearchRequest

    backend = get_backend()
    backend.refresh("petitions")
    found = set()
    for number in numbers:
        hits = backend.search(
            SearchRequest(kind="petitions", query=number, per_page=5)
        ).hits
        if any(hit.source.get("tracking_no") == number for hit in hits):
            found.add(number)
    return found


def verify(recorder, before: int) -> list[str]:
    from petitions.models import Petition

    failures = []
    waited = queue_drained()
    submitted = {receipt["tracking_no"] for receipt in recorder.submitted}
    stored = set(Petition.objects.values_list("tracking_no", flat=True)) - before
    print(f"\nqueue drained after {waited:.1f} s")
    print(
        f"successful submissions: {len(submitted)}; "
        f"new petitions in the database: {len(stored)}"
    )
    if stored != submitted:
        failures.append(
            f"database and 201s differ: {len(submitted - stored)} lost, "
            f"{len(stored - submitted)} without a 201"
        )
    missing = submitted - found_by_search(submitted)
    print(f"found by search: {len(submitted) - len(missing)} of {len(submitted)}")
    if missing:
        failures.append(f"{len(missing)} petitions not found by search")
    return failures


async def run(args, cookies, categories):
    photo = photo_bytes()
    recorder = Recorder()
    started = time.monotonic()
    deadline = started + args.seconds
    await asyncio.gather(
        *(
            citizen(
                args.first + n,
                args.base,
                deadline,
                recorder,
                photo,
                categories,
                args.seconds / SUBMISSIONS if args.period is None else args.period,
            )
            for n in range(args.citizens)
        ),
        *(
            staff(n, args.staff_base or args.base, deadline, recorder, cookies[n])
            for n in range(args.staff)
        ),
    )
    return recorder, time.monotonic() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default=os.environ.get("STACK_URL", "http://127.0.0.1:8000")
    )
    parser.add_argument(
        "--staff-base",
        default=os.environ.get("STACK_STAFF_URL"),
        help="where staff pages are served, if not at --base (the stack's staff pool)",
    )
    parser.add_argument("--citizens", type=int, default=100)
    parser.add_argument("--staff", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--first",
        type=int,
        default=0,
        help="number of the first citizen, which sets its address: give each run "
        "on one stack its own (2000, 3000, ...), or the submission limit refuses it",
    )
    parser.add_argument(
        "--period",
        type=float,
        help="seconds from the start of one citizen's visit to the next (default: "
        "the run's length over 4, so the submissions spread over the whole run; "
        "0: back to back, every citizen's first submission within the first seconds)",
    )
    args = parser.parse_args(argv)
    setup_django()
    from petitions.models import Category, Petition

    categories = list(
        Category.objects.filter(open_for_web=True, anonymous_allowed=False)
        .exclude(code="")
        .values_list("code", flat=True)
    ) or ["other"]
    before = set(Petition.objects.values_list("tracking_no", flat=True))
    cookies = staff_cookies(args.staff)
    print(
        f"{args.citizens} citizens and {args.staff} staff "
        f"for {args.seconds:.0f} s on {args.base}"
        + (
            f" (staff on {args.staff_base})"
            if args.staff_base not in (None, args.base)
            else ""
        )
    )
    recorder, elapsed = asyncio.run(run(args, cookies, categories))
    unexpected = recorder.report(elapsed)
    server_errors = sum(
        count
        for counter in recorder.status.values()
        for status, count in counter.items()
        if isinstance(status, int) and status >= 500
    )
    failures = verify(recorder, before)
    print(
        f"5xx answers: {server_errors}; "
        f"other unexpected answers: {unexpected - server_errors}"
    )
    for failure in failures:
        print("FAILED:", failure)
    return 1 if failures or server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
