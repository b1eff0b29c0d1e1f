"""What a citizen sees while the queue or the cache (Redis) is down: a receipt, not
an error page; and the notice whose job was lost is sent later, once."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.utils import timezone

from petitions import notifications, outbox, search_hooks, sms
from petitions.models import Notification, Petition

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "other",
    "name": "周八",
    "phone": "13512345678",
    "subject": "工资",
    "description": "公司拖欠工资三个月，请问如何申请法律援助？",
    "consent": True,
}


@pytest.fixture(autouse=True)
def clean(settings):
    cache.clear()
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def queue_down(*args, **kwargs):
    raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


class UnreachableQueue:
    """A task whose queue (Redis) refuses connections."""

    enqueue = staticmethod(queue_down)


def test_submission_succeeds_while_the_queue_is_down(demo_site, client, monkeypatch):
    """201 with number and code; the notice waits as pending, nothing is sent."""
    monkeypatch.setattr(notifications, "send_notification", UnreachableQueue())
    monkeypatch.setattr(search_hooks, "petition_changed", UnreachableQueue())
    response = client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    assert response.status_code == 201, response.content
    petition = Petition.objects.get(tracking_no=response.json()["tracking_no"])
    notice = petition.notifications.get()
    assert notice.state == Notification.State.PENDING and not sms.outbox


def test_stalled_notices_are_sent_once_when_the_queue_is_back(
    demo_site, client, monkeypatch, django_capture_on_commit_callbacks
):
    """A notice whose job never reached the queue goes out at the next sweep
    (every 30 s), once; a second sweep sends nothing more."""
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_notification", UnreachableQueue())
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    notice = Notification.objects.get()
    assert notifications.send_stalled.call() == 1
    assert notifications.send_stalled.call() == 0
    notice.refresh_from_db()
    assert notice.state == Notification.State.SENT
    assert [message["to"] for message in sms.outbox] == ["13512345678"]


class QueueThatNeverRuns:
    """A queue that takes the job and then loses it (a worker killed mid-job)."""

    enqueue = staticmethod(lambda *args, **kwargs: None)


def test_a_queued_notice_is_queued_again_only_after_a_grace_period(
    demo_site, client, monkeypatch, django_capture_on_commit_callbacks
):
    """Queued but not run yet: its own job may still come, so the sweep waits twenty
    seconds past its due time before queueing it again; then it is sent once."""
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_notification", QueueThatNeverRuns())
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    assert notifications.send_stalled.call() == 0
    Notification.objects.update(next_try_at=timezone.now() - timedelta(seconds=10))
    assert notifications.send_stalled.call() == 0
    Notification.objects.update(next_try_at=timezone.now() - timedelta(seconds=25))
    assert notifications.send_stalled.call() == 1
    assert notifications.send_stalled.call() == 0
    assert [message["to"] for message in sms.outbox] == ["13512345678"]


def test_submission_succeeds_while_the_cache_is_down(demo_site, client, monkeypatch):
    """Rate limits cannot be counted without Redis: the citizen still gets through."""
    monkeypatch.setattr(cache, "incr", queue_down)
    monkeypatch.setattr(cache, "add", queue_down)
    monkeypatch.setattr(cache, "get", queue_down)
    response = client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    assert response.status_code == 201, response.content
    lookup = client.post(
        "/api/v1/petitions/lookup",
        {k: response.json()[k] for k in ("tracking_no", "access_code")},
        content_type="application/json",
    )
    assert lookup.status_code == 200


class UnreachableCache:
    get = set = add = staticmethod(queue_down)


def test_public_pages_render_while_the_page_cache_is_down(
    demo_site, client, monkeypatch
):
    """The home page is rendered afresh instead of a 500 when Redis is gone."""
    from home import cache as page_cache

    client.get("/en/")  # the site's settings rows exist, as on a running site
    monkeypatch.setattr(page_cache, "page_cache", UnreachableCache)
    response = client.get("/en/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_pages_render_while_redis_refuses_connections(demo_site, client, settings):
    """With the configured Redis cache on a port where nothing listens, the home page
    and a guide still answer 200 (Wagtail's site lookup and the page cache miss)."""
    from django.core.cache import caches

    from portal.settings.services import cache_settings

    redis_cache = cache_settings("redis://127.0.0.1:9/0")["default"]
    settings.CACHES = {"default": redis_cache, "pages": redis_cache}
    from home.models import LegalGuidePage

    guide = LegalGuidePage.objects.live().first()
    try:
        for path in ("/", "/en/", guide.url, guide.url):
            response = client.get(path)
            assert response.status_code == 200, path
            assert response.get("X-Page-Cache") != "hit"
    finally:
        for alias in ("default", "pages"):
            caches[alias].close()


def database_gone(execute, sql, params, many, context):
    """What every query meets while PostgreSQL restarts."""
    raise OperationalError("server closed the connection unexpectedly")


def test_a_notice_that_meets_a_database_restart_is_tried_again_shortly(
    demo_site, client, monkeypatch, django_capture_on_commit_callbacks
):
    """The sender cannot read its row while PostgreSQL restarts: it queues itself
    again in ten seconds (not after the sweep's grace period), and once the
    database is back the notice goes out once."""
    queued = []
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_notification", QueueThatNeverRuns())
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    notice = Notification.objects.get()
    monkeypatch.setattr(
        outbox,
        "enqueue",
        lambda task, pk, run_after=None, **_: queued.append((pk, run_after)),
    )
    with connection.execute_wrapper(database_gone):
        assert notifications.send_notification.call(notice.pk) == "database unavailable"
    [(pk, run_after)] = queued
    assert pk == notice.pk
    assert run_after - timezone.now() <= timedelta(seconds=10)
    assert not sms.outbox
    assert notifications.send_notification.call(notice.pk) == "sent"
    assert notifications.send_notification.call(notice.pk) == "nothing to send"
    assert [message["to"] for message in sms.outbox] == ["13512345678"]


def record_lost(execute, sql, params, many, context):
    """PostgreSQL restarts just after the gateway took the notice: the update that
    records it as sent never reaches the database."""
    if sql.startswith("UPDATE") and "notification" in sql:
        raise OperationalError("terminating connection due to administrator command")
    return execute(sql, params, many, context)


def test_a_notice_the_gateway_took_is_not_sent_again_when_its_record_was_lost(
    demo_site, client, monkeypatch, django_capture_on_commit_callbacks
):
    """The database goes away between the gateway's answer and the commit: the row
    is still pending, but the next try finds the cache's note of the delivery and
    records it as sent; the citizen gets one message."""
    with monkeypatch.context() as patch:
        patch.setattr(notifications, "send_notification", QueueThatNeverRuns())
        with django_capture_on_commit_callbacks(execute=True):
            client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    notice = Notification.objects.get()
    monkeypatch.setattr(outbox, "enqueue", lambda *args, **kwargs: None)
    with connection.execute_wrapper(record_lost):
        assert notifications.send_notification.call(notice.pk) == "database unavailable"
    assert len(sms.outbox) == 1
    assert Notification.objects.get().state == Notification.State.PENDING
    assert notifications.send_notification.call(notice.pk) == "sent"
    assert Notification.objects.get().state == Notification.State.SENT
    assert len(sms.outbox) == 1


def test_a_database_outage_is_a_503_asking_to_retry_not_a_500(demo_site, settings):
    """API and pages answer 503 with Retry-After and say nothing was saved, in the
    reader's language; once the database is back the same request succeeds."""
    client = Client(raise_request_exception=False)
    with connection.execute_wrapper(database_gone):
        api = client.post(
            "/api/v1/petitions",
            FIELDS,
            content_type="application/json",
            headers={"accept-language": "zh-hans"},
        )
        page = client.post(
            "/en/petitions/track/", {"tracking_no": "20260101-00001-1", "code": "x"}
        )
    assert (api.status_code, api["Retry-After"]) == (503, "30")
    assert "没有保存" in api.json()["detail"]
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert '<html lang="en"' in page.content.decode()
    assert "nothing you sent was saved" in page.content.decode()
    assert not Petition.objects.exists()
    again = client.post("/api/v1/petitions", FIELDS, content_type="application/json")
    assert again.status_code == 201
