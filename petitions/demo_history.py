"""A year of synthetic petitions so the dashboard and transparency page have figures
on first run; the benchmark uses the same generator for larger registers.

Rows are written with ``bulk_create`` (no actions, no notifications, no search
indexing): they carry no personal data beyond keyed hashes that make some of them
repeats, and no access code opens them. They are marked by their privacy notice
version, so seeding again adds nothing.
"""

import random
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from .deadlines import handling_working_days
from .identifiers import format_tracking_no
from .models import Category, Channel, Event, Petition, Rating, Unit
from .workflow import Action, Role, Status

MARKER = "demo-history"
FIRST_SEQUENCE = 90000  # far above a day's real sequence numbers
BATCH = 2000

CHANNELS = {
    Channel.WEB: 40,
    Channel.PHONE: 15,
    Channel.HOTLINE: 15,
    Channel.VISIT: 12,
    Channel.LETTER: 8,
    Channel.WECHAT: 8,
    Channel.EMAIL: 2,
}
SUBJECTS = [
    "执行进度咨询",
    "执行款未到账",
    "立案材料咨询",
    "法律咨询",
    "举报线索",
    "其他诉求",
]


def seed_history(count: int = 3000, *, days: int = 365, seed: int = 8, today=None):
    """Add ``count`` petitions received over the last ``days`` days; once only."""
    if count <= 0 or Petition.objects.filter(privacy_notice_version=MARKER).exists():
        return 0
    units = list(Unit.objects.all())
    categories = list(Category.objects.all())
    if not units or not categories:
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed)
    zone = timezone.get_current_timezone()
    channels, weights = list(CHANNELS), list(CHANNELS.values())
    per_day: dict = {}
    people = [f"demo-person-{n}" for n in range(max(1, count // 12))]
    written = 0
    for offset in range(0, count, BATCH):
        plans = []
        for _ in range(min(BATCH, count - offset)):
            day = today - timedelta(days=int(rng.triangular(0, days, 0)))
            per_day[day] = per_day.get(day, 0) + 1
            received = datetime.combine(
                day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=zone
            )
            category = rng.choice(categories)
            plans.append(
                _plan(
                    rng, today, received, category, units, FIRST_SEQUENCE + per_day[day]
                )
            )
        with transaction.atomic():
            petitions = Petition.objects.bulk_create(
                [
                    Petition(
                        tracking_no=plan["tracking_no"],
                        access_code_hash="!",
                        channel=rng.choices(channels, weights)[0],
                        status=plan["status"],
                        category=plan["category"],
                        unit=plan["unit"],
                        subject=rng.choice(SUBJECTS),
                        description="演示数据",
                        consent_at=plan["received"],
                        privacy_notice_version=MARKER,
                        received_at=plan["received"],
                        accept_by=plan["accept_by"],
                        due_at=plan["due_at"],
                        expected_by=plan["expected_by"],
                        review_level=plan.get("review_level", 0),
                        id_number_hash=rng.choice(people) if rng.random() < 0.1 else "",
                        handling_working_days=plan["working_days"],
                    )
                    for plan in plans
                ]
            )
            events, ratings = [], []
            for petition, plan in zip(petitions, plans, strict=True):
                events.extend(
                    Event(
                        petition=petition,
                        actor_role=Role.HANDLER,
                        action=action,
                        from_status=from_status,
                        to_status=to_status,
                        created_at=when,
                    )
                    for action, from_status, to_status, when in plan["steps"]
                )
                if plan["rating"]:
                    verdict, when = plan["rating"]
                    ratings.append(
                        Rating(petition=petition, verdict=verdict, created_at=when)
                    )
            Event.objects.bulk_create(events, batch_size=BATCH)
            Rating.objects.bulk_create(ratings, batch_size=BATCH)
        written += len(plans)
    return written


def _plan(rng, today, received, category, units, sequence) -> dict:
    """A petition's life so far: its status, dates and steps."""
    unit = category.handling_unit or rng.choice(units)
    if rng.random() < 0.5:
        unit = rng.choice(units)
    accept_by = received.date() + timedelta(days=15)
    plan = {
        "tracking_no": format_tracking_no(received.date(), sequence),
        "received": received,
        "category": category,
        "unit": unit,
        "accept_by": accept_by,
        "due_at": None,
        "expected_by": accept_by,
        "rating": None,
        "working_days": None,
    }
    steps = [("register", "", Status.RECEIVED, received)]
    now = datetime.combine(today, time(18), tzinfo=received.tzinfo)

    def at(days: float):
        return received + timedelta(days=days)

    kind = rng.random()
    if kind < 0.25:  # answered on the spot (繁简分流)
        steps += [
            (Action.ANSWER, Status.RECEIVED, Status.ANSWERED, at(0.05)),
            (Action.CLOSE, Status.ANSWERED, Status.CLOSED, at(0.06)),
        ]
    elif kind < 0.33:  # not accepted, with the procedure to use
        steps += [
            (Action.DECLINE, Status.RECEIVED, Status.NOT_ACCEPTED, at(3)),
            (Action.CLOSE, Status.NOT_ACCEPTED, Status.CLOSED, at(4)),
        ]
    else:
        accepted = rng.uniform(1, 10)
        plan["due_at"] = (at(accepted) + timedelta(days=60)).date()
        steps.append((Action.ACCEPT, Status.RECEIVED, Status.ACCEPTED, at(accepted)))
        steps.append(
            (Action.ASSIGN, Status.ACCEPTED, Status.ASSIGNED, at(accepted + 1))
        )
        if rng.random() < 0.05:
            steps.append(
                (Action.TRANSFER, Status.ASSIGNED, Status.ACCEPTED, at(accepted + 2))
            )
        if rng.random() < 0.05:
            steps.append(
                (Action.EXTEND, Status.ASSIGNED, Status.ASSIGNED, at(accepted + 30))
            )
            plan["due_at"] += timedelta(days=30)
        if rng.random() < 0.03:
            steps.append(
                (Action.SUPERVISE, Status.ASSIGNED, Status.ASSIGNED, at(accepted + 20))
            )
        done = accepted + rng.triangular(5, 80, 35)
        steps.append((Action.REPLY, Status.IN_PROGRESS, Status.REPLIED, at(done - 0.5)))
        steps.append((Action.CLOSE, Status.REPLIED, Status.CLOSED, at(done)))
    steps = [step for step in steps if step[3] <= now]
    last = steps[-1]
    plan["status"] = last[2]
    if plan["status"] == Status.CLOSED:
        plan["expected_by"] = None
        closed = last[3]
        plan["working_days"] = handling_working_days(received, closed)
        if rng.random() < 0.02 and closed + timedelta(days=10) <= now:
            steps.append(
                (
                    Action.REOPEN,
                    Status.CLOSED,
                    Status.ACCEPTED,
                    closed + timedelta(days=10),
                )
            )
            # A review goes up to the next-higher unit (actions.review_change).
            plan["status"] = Status.ACCEPTED
            plan["review_level"] = 1
            plan["unit"] = plan["unit"].get_parent() or plan["unit"]
            plan["expected_by"] = (closed + timedelta(days=40)).date()
        elif rng.random() < 0.4 and closed + timedelta(days=3) <= now:
            verdict = rng.choices(
                [
                    Rating.Verdict.SATISFIED,
                    Rating.Verdict.BASICALLY,
                    Rating.Verdict.NOT_SATISFIED,
                ],
                [70, 20, 10],
            )[0]
            plan["rating"] = (verdict, closed + timedelta(days=3))
    elif plan["due_at"] and plan["status"] != Status.RECEIVED:
        plan["expected_by"] = plan["due_at"]
        if plan["status"] == Status.ASSIGNED and rng.random() < 0.5:
            plan["status"] = Status.IN_PROGRESS
    plan["steps"] = steps
    return plan
