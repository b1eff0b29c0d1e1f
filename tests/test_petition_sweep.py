"""The sweep: one reminder before a deadline, one escalation after, never twice."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from freezegun import freeze_time

from petitions import actions
from petitions.models import Event, SweepNotice
from petitions.workflow import Role
from tests import loop_fixtures
from tests.loop_fixtures import make_petition, member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree
TODAY = "2026-11-23 10:00:00+08:00"


@pytest.fixture
def people(tree, django_user_model):
    return {
        "reception": member(django_user_model, "rec", tree["a"], Role.RECEPTION),
        "handler": member(django_user_model, "han", tree["a"], Role.HANDLER),
        "head": member(django_user_model, "head", tree["a"], Role.HEAD),
        "city_head": member(django_user_model, "chead", tree["city"], Role.HEAD),
        "b_head": member(django_user_model, "bhead", tree["b"], Role.HEAD),
        "prov_head": member(django_user_model, "phead", tree["prov"], Role.HEAD),
    }


def run_sweep(capture) -> dict:
    out = StringIO()
    with capture(execute=True):
        call_command("petitions_sweep", "--json", stdout=out)
    return json.loads(out.getvalue().strip())


def recipients():
    return sorted(address for message in mail.outbox for address in message.to)


def test_due_in_two_days_one_reminder_then_none(
    tree,
    people,
    django_capture_on_commit_callbacks,
):
    petition = make_petition(
        tree["a"],
        first_contact=people["reception"],
        handler=people["handler"],
        status="in_progress",
        due_at=datetime.date(2026, 11, 25),
    )
    with freeze_time(TODAY):
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 1,
            "escalations": 0,
        }
        assert recipients() == ["han@example.invalid", "rec@example.invalid"]
        mail.outbox.clear()
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 0,
            "escalations": 0,
        }
    assert mail.outbox == []
    notice = Event.objects.get(petition=petition, action="notice")
    assert not notice.public and "2026-11-25" in notice.note


def test_past_due_one_escalation_to_head_and_superior_then_none(
    tree,
    people,
    django_capture_on_commit_callbacks,
):
    make_petition(
        tree["a"],
        handler=people["handler"],
        status="assigned",
        due_at=datetime.date(2026, 11, 20),
    )
    with freeze_time(TODAY):
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 0,
            "escalations": 1,
        }
        assert recipients() == ["chead@example.invalid", "head@example.invalid"]
        mail.outbox.clear()
        assert run_sweep(django_capture_on_commit_callbacks)["escalations"] == 0
    assert mail.outbox == []  # the sibling's head never hears of it


def in_progress(tree, people):
    """A petition the handler is working on, due long after the sweep's day."""
    return make_petition(
        tree["a"],
        handler=people["handler"],
        status="in_progress",
        due_at=datetime.date(2027, 1, 30),
    )


def test_acceptance_and_supervision_clocks(
    tree,
    people,
    django_capture_on_commit_callbacks,
):
    received = make_petition(
        tree["a"],
        first_contact=people["reception"],
        accept_by=datetime.date(2026, 11, 24),
    )
    with freeze_time("2026-11-20 10:00:00+08:00"):
        working = in_progress(tree, people)
        actions.supervise(
            working, "请报告", datetime.date(2026, 11, 22), actor=people["city_head"]
        )
    with freeze_time(TODAY):
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 1,
            "escalations": 1,
        }
    clocks = set(SweepNotice.objects.values_list("petition", "kind", "clock"))
    assert clocks == {
        (received.pk, "reminder", "acceptance"),
        (working.pk, "escalation", "supervision"),
    }


def test_waiting_for_materials_is_not_swept(
    tree,
    people,
    django_capture_on_commit_callbacks,
):
    make_petition(tree["a"], status="waiting", due_at=datetime.date(2026, 11, 20))
    with freeze_time(TODAY):
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 0,
            "escalations": 0,
        }


def test_scheduler_runs_the_sweep(settings):
    assert settings.PERIODIC_TASKS["petitions.sweep.sweep_task"] <= 10 * 60


def test_two_supervision_orders_due_the_same_day_are_each_escalated(
    tree,
    people,
    django_capture_on_commit_callbacks,
):
    """The city and the province each order a report by the same date: each order
    is escalated once, and a second sweep sends nothing new."""
    with freeze_time("2026-11-20 10:00:00+08:00"):
        working = in_progress(tree, people)
        due = datetime.date(2026, 11, 22)
        actions.supervise(working, "请报告", due, actor=people["city_head"])
        actions.supervise(working, "请省里报告", due, actor=people["prov_head"])
    with freeze_time(TODAY):
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 0,
            "escalations": 2,
        }
        assert run_sweep(django_capture_on_commit_callbacks) == {
            "reminders": 0,
            "escalations": 0,
        }
    orders = set(
        SweepNotice.objects.filter(clock="supervision").values_list("order", flat=True)
    )
    assert orders == set(working.supervision_orders.values_list("pk", flat=True))
