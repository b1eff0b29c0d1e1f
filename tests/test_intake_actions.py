"""The submit action: numbers, routing, deadlines, the trail, and notices."""

import datetime
import re

import pytest
from django.core import mail
from freezegun import freeze_time

from petitions import actions, notifications, sms
from petitions.identifiers import check_tracking_no
from petitions.models import Category, DeadlineRule, Event, Notification, Unit
from portal.security.models import AuditEntry

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "other",
    "name": "赵六",
    "phone": "13712345678",
    "email": "zhao@example.invalid",
    "subject": "邻里纠纷",
    "description": "邻居长期占用公共通道，协商无果。",
    "consent": "on",
}


@pytest.fixture(autouse=True)
def empty_outbox():
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def test_numbers_are_daily_sequences_with_a_check_character(demo_site):
    """Two submissions on a day get consecutive numbers that pass the check."""
    with freeze_time("2026-11-23 10:00:00+08:00"):
        first = actions.submit(FIELDS).petition.tracking_no
        second = actions.submit(FIELDS).petition.tracking_no
    assert first.startswith("20261123-00001-") and second.startswith("20261123-00002-")
    assert check_tracking_no(first) == first and check_tracking_no(second) == second


def test_routing_falls_back_from_category_to_parent_to_default(demo_site, settings):
    """Own unit wins, then the parent's, then the system default rule, then
    PETITIONS_DEFAULT_UNIT."""
    from petitions.models import RoutingRule

    enforcement_unit = Unit.objects.get(code="jn-city")
    asset = Category.objects.get(code="asset-disposal")
    assert asset.handling_unit is None
    assert asset.routing_unit() == enforcement_unit
    RoutingRule.objects.all().delete()  # the demo's system default
    assert Category.objects.get(code="other").routing_unit() is None
    settings.PETITIONS_DEFAULT_UNIT = "jn-justice"
    petition = actions.submit(FIELDS).petition
    assert petition.unit.code == "jn-justice"


def test_acceptance_deadline_comes_from_the_rules(demo_site):
    """15 calendar days by default; a category's own working-day rule wins."""
    with freeze_time("2026-11-23 10:00:00+08:00"):
        petition = actions.submit(FIELDS).petition
    assert petition.accept_by == datetime.date(2026, 12, 8)
    assert petition.expected_by == petition.accept_by
    DeadlineRule.objects.create(
        category=Category.objects.get(code="other"),
        kind=DeadlineRule.Kind.ACCEPTANCE,
        days=5,
        working_days=True,
    )
    with freeze_time("2026-11-27 10:00:00+08:00"):  # a Friday
        petition = actions.submit(FIELDS).petition
    assert petition.accept_by == datetime.date(2026, 12, 4)


def test_submit_writes_one_public_event_and_an_audit_entry(demo_site):
    """The first step of the trail is public; the audit log names the number."""
    petition = actions.submit(FIELDS).petition
    event = Event.objects.get(petition=petition)
    assert (event.action, event.to_status, event.public) == ("submit", "received", True)
    entry = AuditEntry.objects.get(action="petition.submit")
    assert entry.detail["tracking_no"] == petition.tracking_no


def test_identifiers_are_encrypted_with_lookup_hashes(demo_site):
    """Phone and ID are stored encrypted; their keyed hashes allow exact lookup."""
    from django.db import connection

    from portal.security.crypto import keyed_hash

    petition = actions.submit({**FIELDS, "id_number": "11010519491231002x"}).petition
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT phone, id_number FROM petitions_petition WHERE id = %s",
            [petition.pk],
        )
        phone, id_number = cursor.fetchone()
    assert "13712345678" not in phone and "11010519491231002X" not in id_number
    assert petition.phone_hash == keyed_hash("13712345678")
    assert petition.id_number_hash == keyed_hash("11010519491231002X")


def test_acknowledgement_goes_by_sms_and_mail_after_commit(
    demo_site, django_capture_on_commit_callbacks
):
    """After commit the petitioner gets number and code by SMS and e-mail."""
    with django_capture_on_commit_callbacks(execute=True):
        submission = actions.submit(FIELDS)
    number = submission.petition.tracking_no
    assert sms.outbox[0]["to"] == "13712345678"
    assert (
        number in sms.outbox[0]["text"]
        and submission.access_code in sms.outbox[0]["text"]
    )
    assert mail.outbox[0].to == ["zhao@example.invalid"]
    assert submission.access_code in mail.outbox[0].body
    notices = Notification.objects.filter(petition=submission.petition)
    assert {n.state for n in notices} == {"sent"}
    assert {n.secret for n in notices} == {""}  # the code is not kept once sent


def test_a_mail_sent_again_after_a_crash_keeps_its_message_id(
    demo_site, settings, django_capture_on_commit_callbacks
):
    """A worker that died after the mail server took the acknowledgement sends it
    again under the same Message-ID, by which mail servers and readers drop it."""
    settings.DEFAULT_FROM_EMAIL = "诉求平台 <notices@court.example>"
    with django_capture_on_commit_callbacks(execute=False):
        actions.submit(FIELDS)
    notice = Notification.objects.get(medium=Notification.Medium.EMAIL)
    notifications.deliver(notice)  # the server took it; then the worker died
    assert notifications.send_notification.call(notice.pk) == "sent"
    ids = [message.extra_headers["Message-ID"] for message in mail.outbox]
    assert ids == [f"<notice-{notice.pk}@court.example>"] * 2
    assert mail.outbox[0].message()["Message-ID"] == ids[0]


def test_english_petitioners_get_english_notices(
    demo_site, django_capture_on_commit_callbacks
):
    """The notice speaks the petition's language."""
    with django_capture_on_commit_callbacks(execute=True):
        actions.submit(FIELDS, language="en")
    assert "We have received your request" in sms.outbox[0]["text"]


class DownGateway:
    def send(self, phone, text, reference=""):
        raise sms.SMSError("gateway down")


def test_a_failing_gateway_keeps_the_petition_and_retries(
    demo_site, settings, django_capture_on_commit_callbacks
):
    """The petition is saved; the SMS is tried again up to the limit, then failed."""
    settings.SMS_BACKEND = "tests.test_intake_actions.DownGateway"
    settings.PETITIONS_NOTICE_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        submission = actions.submit(FIELDS)
    notice = Notification.objects.get(petition=submission.petition, medium="sms")
    assert notice.attempts == 3 and notice.state == "failed"
    assert "gateway down" in notice.last_error and notice.secret == ""
    assert (
        Notification.objects.get(petition=submission.petition, medium="email").state
        == "sent"
    )


def test_withdraw_is_one_event_and_refused_twice(demo_site):
    """A petitioner withdraws an open request once; again is refused."""
    petition = actions.submit(FIELDS).petition
    actions.withdraw(petition, "已自行解决")
    petition.refresh_from_db()
    assert petition.status == "withdrawn"
    assert petition.events.last().note == "已自行解决"
    with pytest.raises(actions.PetitionRefused):
        actions.withdraw(petition)


def test_the_days_number_is_taken_last_in_a_submission(demo_site):
    """Every submission of the day waits for the number's lock until the one
    before commits, so taking it first made each wait for the whole of the
    other's work (under load: seconds). After the number only the petition's
    number and the audit entry are written."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        petition = actions.submit(FIELDS).petition
    sql = [query["sql"] for query in queries]
    taken = next(
        index
        for index, statement in enumerate(sql)
        if statement.startswith('UPDATE "petitions_dailysequence"')
    )
    after = [
        re.search(r'(?:INSERT INTO|UPDATE|FROM) "(\w+)"', statement).group(1)
        for statement in sql[taken:]
        if not statement.startswith(("SAVEPOINT", "RELEASE"))
    ]
    assert set(after) == {
        "petitions_dailysequence",
        "petitions_petition",
        "security_auditchainhead",
        "security_auditentry",
    }, after
    assert len(after) <= 8, after
    assert check_tracking_no(petition.tracking_no) == petition.tracking_no
    petition.refresh_from_db()
    assert check_tracking_no(petition.tracking_no) == petition.tracking_no
    entry = AuditEntry.objects.get(action="petition.submit")
    assert entry.detail["tracking_no"] == petition.tracking_no


@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_never_share_a_number(demo_site):
    """Submissions in parallel threads get distinct, gapless numbers for the day."""
    import threading

    from django.db import connections

    numbers, errors = [], []

    def write():
        try:
            for _ in range(5):
                numbers.append(actions.submit(FIELDS).petition.tracking_no)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    sequences = sorted(int(number.split("-")[1]) for number in numbers)
    assert sequences == list(range(1, 21))
