"""Staff actions and the sweep while the task queue (Redis) is down: the change
commits and the page answers; the notices wait as rows and go out once, later."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from petitions import actions, notifications, search_hooks, sms, staff_notices
from petitions.models import Notification, Reply, StaffNotice
from petitions.sweep import sweep
from petitions.workflow import Status
from tests import loop_fixtures
from tests.loop_fixtures import make_petition

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


def queue_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class UnreachableQueue:
    enqueue = staticmethod(queue_down)


@pytest.fixture
def queue_is_down(monkeypatch):
    for module, name in (
        (staff_notices, "send_staff_notice"),
        (notifications, "send_notification"),
        (search_hooks, "petition_changed"),
    ):
        monkeypatch.setattr(module, name, UnreachableQueue())
    return monkeypatch


@pytest.fixture
def staff(tree, django_user_model):
    return loop_fixtures.people(tree, django_user_model, "reception", "handler")


def test_a_staff_action_commits_and_its_notice_is_sent_once_later(
    tree, staff, staff_client_for, queue_is_down, django_capture_on_commit_callbacks
):
    """Accepting answers with the detail page, not a 500; the first-contact
    person's notice waits, then goes out once when the queue is back."""
    petition = make_petition(tree["a"], first_contact=staff["reception"])
    client = staff_client_for(staff["handler"])
    url = reverse("petitions_admin_act", args=[petition.pk, "accept"])
    seen = {"status": petition.status, "updated_at": petition.updated_at.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, seen)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    notice = StaffNotice.objects.get()
    assert notice.user == staff["reception"] and notice.state == "pending"
    assert mail.outbox == []
    queue_is_down.undo()
    # Its job never reached the queue: the next sweep (every 30 s) sends it, once.
    assert staff_notices.send_stalled.call() == 1
    assert staff_notices.send_stalled.call() == 0
    notice.refresh_from_db()
    assert notice.state == "sent"
    assert [message.to for message in mail.outbox] == [["rec@example.invalid"]]
    assert (
        mail.outbox[0]
        .extra_headers["Message-ID"]
        .startswith(f"<staff-notice-{notice.pk}@")
    )


def test_the_sweep_runs_through_while_the_queue_is_down(
    tree, staff, queue_is_down, django_capture_on_commit_callbacks
):
    """Every due petition gets its reminder row; none is lost or mailed yet."""
    for _ in range(2):
        make_petition(
            tree["a"],
            handler=staff["handler"],
            status="in_progress",
            due_at=datetime.date(2026, 11, 25),
        )
    with (
        freeze_time("2026-11-23 10:00:00+08:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert sweep().as_dict() == {"reminders": 2, "escalations": 0}
    assert StaffNotice.objects.filter(state="pending").count() == 2
    assert mail.outbox == []


class FailsOnce:
    """An SMS gateway that refuses the first message."""

    calls = 0

    def send(self, phone, text, reference=""):
        FailsOnce.calls += 1
        if FailsOnce.calls == 1:
            raise sms.SMSError("gateway busy")
        sms.outbox.append({"to": phone, "text": text})


def test_a_retry_that_could_not_be_queued_is_sent_when_due(
    tree, settings, monkeypatch, django_capture_on_commit_callbacks
):
    """A failed send whose retry found the queue down is queued again once due."""
    settings.SMS_BACKEND = "tests.test_petition_queue_outage.FailsOnce"
    FailsOnce.calls = 0
    sms.outbox.clear()
    petition = make_petition(tree["a"])
    notice = Notification.objects.create(petition=petition, kind="update", medium="sms")
    send = notifications.send_notification
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_notification", UnreachableQueue())
        with django_capture_on_commit_callbacks(execute=True):
            assert send.call(notice.pk) == "failed"
    notice.refresh_from_db()
    assert (notice.state, notice.attempts) == ("pending", 1)
    assert notice.next_try_at > timezone.now()
    with freeze_time(timezone.now() + datetime.timedelta(minutes=3)):
        assert notifications.send_stalled.call() == 0  # its retry is not due yet
    with freeze_time(timezone.now() + datetime.timedelta(minutes=8)):
        assert notifications.send_stalled.call() == 1
    notice.refresh_from_db()
    assert notice.state == "sent"
    assert len(sms.outbox) == 1
    sms.outbox.clear()


def test_reply_notices_are_written_with_the_reply(tree, staff, monkeypatch):
    """No reply is saved without its notices: both or neither."""
    petition = make_petition(tree["a"], status="in_progress")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(notifications, "prepare", broken)
    with pytest.raises(RuntimeError):
        actions.reply(petition, "答复", actor=staff["handler"])
    petition.refresh_from_db()
    assert petition.status == "in_progress" and not Reply.objects.exists()
    monkeypatch.undo()
    actions.reply(petition, "答复", actor=staff["handler"])
    assert Notification.objects.filter(petition=petition, kind="reply").count() == 1
