"""A small fixed register for the dashboard tests, counted by hand in March 2026."""

import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from petitions import demo, figures
from petitions.models import (
    Category,
    Event,
    FollowUp,
    Petition,
    Rating,
    SupervisionOrder,
    Unit,
)
from petitions.workflow import Action, Status

ZONE = ZoneInfo("Asia/Shanghai")
TODAY = date(2026, 3, 18)
MARCH = figures.Period(date(2026, 3, 1), date(2026, 3, 31), "week", "month")


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=ZONE)


def petition(number, *, unit, category, channel="web", received, status, **fields):
    return Petition.objects.create(
        tracking_no=f"T{number}",
        access_code_hash="x",
        channel=channel,
        status=status,
        category=Category.objects.get(code=category),
        unit=Unit.objects.get(code=unit),
        subject="s",
        description="d",
        consent_at=received,
        privacy_notice_version="1",
        received_at=received,
        **fields,
    )


def step(petition, action, when, from_status=""):
    Event.objects.create(
        petition=petition,
        actor_role="handler",
        action=action,
        from_status=from_status,
        to_status=petition.status,
        created_at=when,
    )


@pytest.fixture(name="register")
def register_fixture(db):
    """P1 closed on time, P2 overdue, P3 answered on the spot, P4 closed late then
    reopened and supervised (feedback overdue), P5 a repeat, P6 withdrawn in
    January, P7 received in February and not accepted in March. Closures keep
    their working days as the close action stores them: P1 8, P3 0, P4 20."""
    demo.seed(io.StringIO())
    p1 = petition(
        1,
        unit="jn-east",
        category="enforcement",
        received=at(3, 2),
        status=Status.CLOSED,
        accept_by=date(2026, 3, 17),
        due_at=date(2026, 5, 1),
        id_number_hash="same-person",
        outcome="resolved",
        handling_working_days=8,
    )
    step(p1, Action.ACCEPT, at(3, 3))
    step(p1, Action.CLOSE, at(3, 12), Status.REPLIED)
    p2 = petition(
        2,
        unit="jn-west",
        category="asset-disposal",
        channel="phone",
        received=at(3, 5),
        status=Status.RECEIVED,
        expected_by=date(2026, 3, 10),
    )
    step(p2, Action.EXTEND, at(3, 8))
    step(p2, Action.TRANSFER, at(3, 9))
    p3 = petition(
        3,
        unit="jn-justice",
        category="legal-consultation",
        channel="visit",
        received=at(3, 6),
        status=Status.CLOSED,
        accept_by=date(2026, 3, 21),
        handling_working_days=0,
    )
    step(p3, Action.ANSWER, at(3, 6, 12))
    step(p3, Action.CLOSE, at(3, 6, 12), Status.ANSWERED)
    p4 = petition(
        4,
        unit="jn-city",
        category="enforcement",
        received=at(2, 10),
        status=Status.IN_PROGRESS,
        accept_by=date(2026, 2, 25),
        due_at=date(2026, 3, 10),
        expected_by=date(2026, 3, 20),
        outcome="partly",
        handling_working_days=20,
    )
    step(p4, Action.ACCEPT, at(2, 12))
    step(p4, Action.CLOSE, at(3, 15), Status.REPLIED)
    step(p4, Action.REOPEN, at(3, 16))
    step(p4, Action.SUPERVISE, at(3, 16))
    city = Unit.objects.get(code="jn-city")
    SupervisionOrder.objects.create(
        petition=p4,
        from_unit=city,
        to_unit=city,
        instructions="i",
        due_on=date(2026, 3, 17),
        created_at=at(3, 16),
    )
    FollowUp.objects.create(
        petition=p1, sampled_at=at(3, 13), verdict="satisfied", done_at=at(3, 14)
    )
    petition(
        5,
        unit="jn-east",
        category="legal-consultation",
        received=at(3, 18, 8),
        status=Status.RECEIVED,
        expected_by=date(2026, 4, 2),
        id_number_hash="same-person",
    )
    petition(
        6,
        unit="jn-east",
        category="other",
        received=at(1, 5),
        status=Status.WITHDRAWN,
    )
    p7 = petition(
        7,
        unit="jn-east",
        category="litigation-service",
        channel="letter",
        received=at(2, 20),
        status=Status.NOT_ACCEPTED,
        accept_by=date(2026, 3, 7),
        outcome="procedure",
    )
    step(p7, Action.DECLINE, at(3, 4), Status.RECEIVED)
    Rating.objects.create(petition=p1, verdict="satisfied", created_at=at(3, 13))
    Rating.objects.create(petition=p3, verdict="not_satisfied", created_at=at(3, 7))
