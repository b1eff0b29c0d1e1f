"""Supervision orders (交办/督办): a superior unit orders down, the ordered unit
reports back, and both sides hear of the deadline."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from petitions import actions
from petitions.models import SupervisionOrder
from petitions.workflow import Status
from portal.security.models import AuditEntry
from tests import loop_fixtures
from tests.loop_fixtures import make_petition

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree
DUE = datetime.date(2026, 11, 30)
TODAY = "2026-11-23 10:00:00+08:00"


@pytest.fixture
def staff(tree, django_user_model):
    return loop_fixtures.people(tree, django_user_model, *loop_fixtures.PEOPLE)


def in_progress(tree, staff):
    petition = make_petition(tree["a"])
    actions.accept(petition, actor=staff["handler"])
    actions.assign(petition, staff["handler"], actor=staff["head"])
    return actions.start(petition, actor=staff["handler"])


@freeze_time(TODAY)
def test_the_petitions_own_head_cannot_order_supervision(tree, staff):
    """A head of the petition's own unit is refused (audited); nothing changes."""
    petition = in_progress(tree, staff)
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.supervise(petition, "请报告", DUE, actor=staff["head"])
    assert refused.value.code == "wrong_unit"
    assert not SupervisionOrder.objects.exists()
    assert not petition.events.filter(action="supervise").exists()
    assert AuditEntry.objects.filter(action="petition.supervise", success=False)


@freeze_time(TODAY)
def test_a_superior_orders_the_unit_below_and_it_is_told(
    tree, staff, django_capture_on_commit_callbacks
):
    """The order comes from the nearest superior unit; the ordered unit's heads
    and the handler hear of it."""
    petition = in_progress(tree, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.supervise(petition, "请月底前报告", DUE, actor=staff["prov_head"])
    order = SupervisionOrder.objects.get()
    assert (order.from_unit, order.to_unit) == (tree["prov"], tree["a"])
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["han@example.invalid", "head@example.invalid"]


@freeze_time(TODAY)
def test_assigning_down_moves_an_unassigned_petition(tree, staff):
    """交办: the city's own petition goes to unit a; its return goes back up."""
    petition = make_petition(tree["city"])
    actions.accept(petition, actor=staff["city_head"])
    with pytest.raises(actions.PetitionRefused):  # not sideways or up
        actions.supervise(
            petition, "x", DUE, to_unit=tree["prov"], actor=staff["city_supervisor"]
        )
    actions.supervise(
        petition, "请办理并报告", DUE, to_unit=tree["a"], actor=staff["city_supervisor"]
    )
    petition.refresh_from_db()
    assert (petition.unit, petition.status) == (tree["a"], Status.ACCEPTED)
    order = SupervisionOrder.objects.get()
    assert (order.from_unit, order.to_unit) == (tree["city"], tree["a"])
    actions.assign(petition, staff["handler"], actor=staff["head"])
    actions.return_petition(petition, "不属本院", actor=staff["handler"])
    petition.refresh_from_db()
    assert petition.unit == tree["city"]


@freeze_time(TODAY)
def test_a_petition_in_hand_is_not_moved_by_an_order(tree, staff):
    """An order elsewhere for a petition already being handled is refused."""
    petition = in_progress(tree, staff)
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.supervise(
            petition, "x", DUE, to_unit=tree["b"], actor=staff["city_head"]
        )
    assert "to_unit" in refused.value.errors
    petition.refresh_from_db()
    assert petition.unit == tree["a"] and not SupervisionOrder.objects.exists()


def test_feedback_from_the_detail_page_reaches_the_ordering_unit(
    tree, staff, staff_client_for, django_capture_on_commit_callbacks
):
    """The ordered unit's handler sees the form, reports back once; the ordering
    unit's head is mailed; another unit's head is refused."""
    petition = in_progress(tree, staff)
    due = timezone.localdate() + datetime.timedelta(days=7)
    actions.supervise(petition, "请报告", due, actor=staff["city_head"])
    order = SupervisionOrder.objects.get()
    detail = reverse("petitions_admin_detail", args=[petition.pk])
    url = reverse("petitions_admin_act", args=[petition.pk, "feedback"])
    handler = staff_client_for(staff["handler"])
    assert 'data-action="feedback"' in handler.get(detail).content.decode()
    assert (
        'data-action="feedback"'
        not in staff_client_for(staff["city_head"]).get(detail).content.decode()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        handler.post(url, {"order": order.pk, "text": "已约谈当事人，月底办结"})
    order.refresh_from_db()
    assert order.feedback.startswith("已约谈") and order.feedback_at
    assert [message.to for message in mail.outbox] == [["chead@example.invalid"]]
    handler.post(url, {"order": order.pk, "text": "第二次"})
    order.refresh_from_db()
    assert order.feedback.startswith("已约谈")  # once
    assert (
        staff_client_for(staff["b_head"])
        .post(url, {"order": order.pk, "text": "x"})
        .status_code
        == 404
    )  # not in their units


def test_the_supervise_form_offers_units_below_the_superior(
    tree, staff, staff_client_for
):
    """Only a superior sees the form, with the units below it to choose from."""
    petition = make_petition(tree["a"])
    detail = reverse("petitions_admin_detail", args=[petition.pk])
    own_head = staff_client_for(staff["head"]).get(detail).content.decode()
    assert 'data-action="supervise"' not in own_head
    superior = staff_client_for(staff["city_head"]).get(detail).content.decode()
    assert 'data-action="supervise"' in superior
    form = superior[superior.index('data-action="supervise"') :]
    form = form[: form.index("</form>")]
    assert f'value="{tree["a"].pk}" selected' in form
    assert f'value="{tree["b"].pk}"' in form
    assert f'value="{tree["city"].pk}"' not in form
    assert f'value="{tree["prov"].pk}"' not in form


def run_sweep(capture) -> dict:
    out = StringIO()
    with capture(execute=True):
        call_command("petitions_sweep", "--json", stdout=out)
    return json.loads(out.getvalue().strip())


def test_supervision_reminders_and_escalations_reach_the_ordering_unit(
    tree, staff, django_capture_on_commit_callbacks
):
    """Both notices go to the ordering unit as well as the ordered one."""
    with freeze_time("2026-11-20 10:00:00+08:00"):
        petition = in_progress(tree, staff)
        petition.due_at = datetime.date(2027, 1, 30)
        petition.save()
        actions.supervise(
            petition, "请报告", datetime.date(2026, 11, 25), actor=staff["prov_head"]
        )
    mail.outbox.clear()
    with freeze_time("2026-11-23 10:00:00+08:00"):
        assert run_sweep(django_capture_on_commit_callbacks)["reminders"] == 1
    reminded = {address for message in mail.outbox for address in message.to}
    assert {"phead@example.invalid", "head@example.invalid"} <= reminded
    mail.outbox.clear()
    with freeze_time("2026-11-27 10:00:00+08:00"):
        assert run_sweep(django_capture_on_commit_callbacks)["escalations"] == 1
    escalated = {address for message in mail.outbox for address in message.to}
    assert {"phead@example.invalid", "head@example.invalid"} <= escalated
    assert "chead@example.invalid" in escalated  # the ordered unit's superior
