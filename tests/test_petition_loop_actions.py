"""The closed loop's actions: allowed, refused with nothing changed, one Event each."""

import datetime

import pytest
from freezegun import freeze_time

from petitions import actions
from petitions.models import DeadlineRule, Event, Petition, Reply, SupervisionOrder
from petitions.workflow import Role, Status
from portal.security.models import AuditEntry
from tests import loop_fixtures
from tests.loop_fixtures import make_petition

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


@pytest.fixture
def staff(tree, django_user_model):
    return loop_fixtures.people(
        tree,
        django_user_model,
        "reception",
        "handler",
        "head",
        "city_head",
        "b_handler",
    )


def in_progress(tree, staff):
    petition = make_petition(tree["a"], first_contact=staff["reception"])
    actions.accept(petition, actor=staff["reception"])
    actions.assign(petition, staff["handler"], actor=staff["head"])
    return actions.start(petition, actor=staff["handler"])


def test_the_whole_loop_leaves_one_event_per_step(tree, staff):
    petition = in_progress(tree, staff)
    actions.reply(petition, "已核实并处理。", actor=staff["handler"])
    closed = actions.close(petition, "resolved", actor=staff["handler"])
    assert (closed.status, closed.outcome) == (Status.CLOSED, "resolved")
    steps = list(
        Event.objects.filter(petition=petition).values_list("action", "to_status")
    )
    assert steps == [
        ("accept", "accepted"),
        ("assign", "assigned"),
        ("start", "in_progress"),
        ("reply", "replied"),
        ("close", "closed"),
    ]
    reply = Reply.objects.get(petition=petition)
    assert reply.unit == tree["a"]  # signed by the unit
    assert not Event.objects.get(action="assign").public  # internal step


def test_forbidden_role_changes_nothing_and_is_audited(tree, staff):
    petition = make_petition(tree["a"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.extend(petition, 10, "复杂", actor=staff["handler"])
    assert refused.value.code == "wrong_state"
    actions.accept(petition, actor=staff["reception"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.start(petition, actor=staff["reception"])
    assert refused.value.code == "wrong_state"
    actions.assign(petition, staff["handler"], actor=staff["head"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.start(petition, actor=staff["reception"])
    assert refused.value.code == "wrong_role"
    assert "角色" in refused.value.message  # zh-Hans by default
    petition.refresh_from_db()
    assert petition.status == Status.ASSIGNED
    assert Event.objects.filter(petition=petition).count() == 2
    entries = AuditEntry.objects.filter(action="petition.start").order_by("id")
    assert [(e.success, e.detail["reason"]) for e in entries] == [
        (False, "wrong_state"),
        (False, "wrong_role"),
    ]


def test_sibling_unit_cannot_act(tree, staff):
    petition = make_petition(tree["a"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.accept(petition, actor=staff["b_handler"])
    assert refused.value.code == "out_of_scope"
    petition.refresh_from_db()
    assert petition.status == Status.RECEIVED and not petition.events.exists()


def test_parent_head_may_act_below(tree, staff):
    petition = make_petition(tree["a"])
    actions.accept(petition, actor=staff["city_head"])
    assert Event.objects.get(petition=petition).actor_role == Role.HEAD


def test_stale_status_is_refused_as_changed(tree, staff):
    petition = make_petition(tree["a"])
    seen = (petition.status, petition.updated_at)
    actions.accept(petition, actor=staff["handler"], seen=seen)
    with pytest.raises(actions.PetitionChanged) as refused:
        actions.decline(petition, "不属受理范围", actor=staff["reception"], seen=seen)
    assert refused.value.code == "changed"
    assert str(Status.ACCEPTED.label) in refused.value.message  # its new state
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and petition.outcome == ""


def test_stale_timestamp_as_text_is_refused(tree, staff):
    petition = in_progress(tree, staff)
    seen = (petition.status, petition.updated_at.isoformat())
    actions.add_note(petition, "内部", actor=staff["handler"])  # no state change
    actions.request_materials(
        petition, "身份证复印件", actor=staff["handler"], seen=seen
    )
    petition.refresh_from_db()
    with pytest.raises(actions.PetitionChanged):
        actions.receive_materials(petition, actor=staff["handler"], seen=seen)


def test_decline_needs_a_reason_and_records_the_procedure(tree, staff):
    petition = make_petition(tree["a"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.decline(petition, "  ", actor=staff["reception"])
    assert "reason" in refused.value.errors
    assert not petition.events.exists()
    actions.decline(
        petition, "属于诉讼事项", "向上级法院提起上诉", actor=staff["reception"]
    )
    petition.refresh_from_db()
    assert petition.outcome == "procedure"
    event = petition.events.get()
    assert event.public and "上诉" in event.note


def test_answer_on_the_spot_then_close(tree, staff):
    petition = make_petition(tree["a"])
    actions.answer(petition, "立案庭电话：12368。", actor=staff["reception"])
    actions.close(petition, "", actor=staff["reception"])
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.outcome == "explained"
    assert petition.replies.get().body.startswith("立案庭")


def test_close_needs_an_outcome(tree, staff):
    petition = in_progress(tree, staff)
    actions.reply(petition, "答复", actor=staff["handler"])
    with pytest.raises(actions.PetitionRefused):
        actions.close(petition, "bogus", actor=staff["handler"])
    petition.refresh_from_db()
    assert petition.status == Status.REPLIED


def test_transfer_and_return(tree, staff):
    petition = in_progress(tree, staff)
    actions.transfer(petition, tree["b"], "不属本单位", actor=staff["handler"])
    petition.refresh_from_db()
    assert (petition.unit, petition.status, petition.handler) == (
        tree["b"],
        Status.ACCEPTED,
        None,
    )
    actions.assign(petition, staff["b_handler"], actor=staff["b_handler"])
    actions.return_petition(petition, "确属甲单位", actor=staff["b_handler"])
    petition.refresh_from_db()
    assert petition.unit == tree["a"] and petition.status == Status.ACCEPTED


def test_assign_only_to_a_handler_of_the_unit(tree, staff):
    petition = make_petition(tree["a"])
    actions.accept(petition, actor=staff["reception"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.assign(petition, staff["b_handler"], actor=staff["head"])
    assert "handler" in refused.value.errors
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and petition.handler is None


def test_clock_pauses_and_resumes_across_spring_festival(tree, staff):
    with freeze_time("2026-02-02 10:00:00+08:00"):
        petition = in_progress(tree, staff)
        petition.refresh_from_db()
        due = petition.due_at
        assert due == datetime.date(2026, 4, 3)  # 60 calendar days, a Friday
    with freeze_time("2026-02-10 10:00:00+08:00"):
        actions.request_materials(petition, "证据材料", actor=staff["handler"])
    with freeze_time("2026-02-24 10:00:00+08:00"):  # after the holiday
        actions.receive_materials(petition, actor=staff["reception"])
    petition.refresh_from_db()
    assert petition.paused_since is None
    assert petition.due_at == due + datetime.timedelta(days=14)


def test_a_pause_under_a_working_day_rule_counts_working_days(tree, staff):
    """Paused 10–24 Feb 2026 (the Spring Festival): 5 working days, not 14 days."""
    DeadlineRule.objects.create(
        category=loop_fixtures.loop_category(),
        kind=DeadlineRule.Kind.HANDLING,
        days=20,
        working_days=True,
    )
    with freeze_time("2026-02-02 10:00:00+08:00"):
        petition = in_progress(tree, staff)
        petition.refresh_from_db()
        assert petition.due_at == datetime.date(2026, 3, 6)
    with freeze_time("2026-02-10 10:00:00+08:00"):
        actions.request_materials(petition, "证据材料", actor=staff["handler"])
    with freeze_time("2026-02-24 10:00:00+08:00"):
        actions.receive_materials(petition, actor=staff["reception"])
    petition.refresh_from_db()
    # 11, 12, 13, 14 (a make-up Saturday) and 24 February: the due date moves
    # by five working days.
    assert petition.due_at == datetime.date(2026, 3, 13)
    assert petition.expected_by == petition.due_at


def test_working_day_rule_skips_spring_festival(tree, staff):
    petition = make_petition(tree["a"])
    DeadlineRule.objects.create(
        category=petition.category,
        kind=DeadlineRule.Kind.HANDLING,
        days=5,
        working_days=True,
    )
    with freeze_time("2026-02-13 10:00:00+08:00"):  # Friday before the holiday
        actions.accept(petition, actor=staff["reception"])
    petition.refresh_from_db()
    # 14 Feb (Sat) is a make-up workday; 15–23 Feb off; then 24, 25, 26, 27.
    assert petition.due_at == datetime.date(2026, 2, 27)


def test_extension_once_at_most_thirty_days_by_the_head(tree, staff):
    with freeze_time("2026-03-02 10:00:00+08:00"):
        petition = in_progress(tree, staff)
        petition.refresh_from_db()
        due = petition.due_at
        with pytest.raises(actions.PetitionRefused) as refused:
            actions.extend(petition, 10, "案情复杂", actor=staff["handler"])
        assert refused.value.code == "wrong_role"
        with pytest.raises(actions.PetitionRefused) as refused:
            actions.extend(petition, 31, "案情复杂", actor=staff["head"])
        assert "days" in refused.value.errors
        actions.extend(petition, 30, "案情复杂", actor=staff["head"])
        petition.refresh_from_db()
        assert petition.due_at >= due + datetime.timedelta(days=30)
        assert petition.extension_days == 30
        with pytest.raises(actions.PetitionRefused) as refused:
            actions.extend(petition, 5, "再次", actor=staff["head"])
        assert refused.value.code == "extended"
    event = petition.events.get(action="extend")
    assert event.public and "案情复杂" in event.note  # told to the petitioner


def test_a_review_is_asked_within_30_days_of_the_reply(tree, staff):
    """Day 30 after the reply is still in time; day 31 is refused, nothing changes."""
    petition = in_progress(tree, staff)
    with freeze_time("2026-11-02 10:00:00+08:00"):
        actions.reply(petition, "答复", actor=staff["handler"])
        actions.close(petition, "explained", actor=staff["handler"])
    with (
        freeze_time("2026-12-03 10:00:00+08:00"),
        pytest.raises(actions.PetitionRefused) as refused,
    ):
        actions.reopen(petition, "申请复查", actor=staff["city_head"])
    assert refused.value.code == "review_too_late"
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.review_level == 0
    with freeze_time("2026-12-02 10:00:00+08:00"):
        actions.reopen(petition, "申请复查", actor=staff["city_head"])
    petition.refresh_from_db()
    assert petition.review_level == 1


def test_supervision_order_and_feedback(tree, staff):
    petition = in_progress(tree, staff)
    with freeze_time("2026-11-23 10:00:00+08:00"):
        actions.supervise(
            petition,
            "请于月底前报告",
            datetime.date(2026, 11, 30),
            actor=staff["city_head"],
        )
    order = SupervisionOrder.objects.get()
    assert (order.from_unit, order.to_unit) == (tree["city"], tree["a"])
    actions.supervision_feedback(order, "已办结", actor=staff["handler"])
    order.refresh_from_db()
    assert order.feedback == "已办结"
    with pytest.raises(actions.PetitionRefused):
        actions.supervision_feedback(order, "x", actor=staff["b_handler"])
    assert not petition.events.get(action="supervise").public


def test_internal_notes_stay_off_the_tracking_page(tree, staff):
    from petitions import tracking

    petition = in_progress(tree, staff)
    actions.add_note(petition, "内部意见：不宜公开", actor=staff["handler"])
    actions.reply(petition, "公开答复", actor=staff["handler"])
    view = tracking.public_view(Petition.objects.get(pk=petition.pk))
    assert "内部意见" not in repr(view)
    assert "assign" not in [step["action"] for step in view["timeline"]]
    assert view["replies"][0]["unit"] == "甲"


@pytest.mark.parametrize("days", [0, -3, 31, "abc", ""])
def test_an_extension_request_needs_1_to_30_days(tree, staff, days):
    """Days outside 1–30 are refused by field, in Chinese; nothing is written."""
    petition = in_progress(tree, staff)
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.request_extension(petition, days, "需要调查", actor=staff["handler"])
    assert refused.value.errors == {"days": ["延期天数应为 1 至 30 天。"]}
    assert not petition.events.filter(action="extension_request").exists()


def test_withdrawal_tells_the_handler_and_the_first_contact_person(
    tree, staff, django_capture_on_commit_callbacks
):
    """The petitioner withdraws; both people responsible for it are mailed."""
    from django.core import mail

    petition = in_progress(tree, staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        actions.withdraw(petition, "已和解")
    petition.refresh_from_db()
    assert petition.status == Status.WITHDRAWN
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["han@example.invalid", "rec@example.invalid"]
    event = petition.events.get(action="withdraw")
    assert event.actor is None and event.actor_role == Role.PETITIONER


def test_handler_asks_the_head_for_an_extension(
    tree, staff, django_capture_on_commit_callbacks
):
    from django.core import mail

    petition = in_progress(tree, staff)
    with django_capture_on_commit_callbacks(execute=True):
        actions.request_extension(petition, 20, "需要现场调查", actor=staff["handler"])
    event = petition.events.get(action="extension_request")
    assert not event.public and "需要现场调查" in event.note
    assert [message.to for message in mail.outbox] == [["head@example.invalid"]]
    with pytest.raises(actions.PetitionRefused):
        actions.request_extension(petition, 20, "x", actor=staff["reception"])


@pytest.mark.django_db(transaction=True)
def test_two_handlers_at_once_one_wins(tree, staff):
    """Both saw "received"; one accepts, the other's decline is refused."""
    import threading

    from django.db import connections

    petition = make_petition(tree["a"])
    seen = (petition.status, petition.updated_at)
    outcomes, errors = [], []

    def act(call):
        try:
            call()
            outcomes.append("done")
        except actions.PetitionChanged:
            outcomes.append("changed")
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    calls = [
        lambda: actions.accept(petition, actor=staff["handler"], seen=seen),
        lambda: actions.decline(petition, "不予受理", actor=staff["head"], seen=seen),
    ]
    threads = [threading.Thread(target=act, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(outcomes) == ["changed", "done"]
    petition.refresh_from_db()
    assert petition.events.count() == 1
