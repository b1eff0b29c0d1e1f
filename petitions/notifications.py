"""Notices to petitioners by e-mail and SMS, sent by the worker and retried.

One ``Notification`` row per notice and medium is written in the action's
transaction; after commit a task sends it. Texts are templates found by name:
``petitions/notices/<kind>.<medium>.<language>.txt`` when a language has its own
text, else ``<kind>.<medium>.txt`` rendered in the petitioner's language (e-mail
adds ``<kind>.subject.txt``). A failed send is retried by the task
queue; the petition itself was saved long before.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import select_template
from django.utils import timezone, translation
from django_tasks import task

from . import conf, sms
from .models import Notification, Petition

logger = logging.getLogger(__name__)
Kind = Notification.Kind


def prepare(petition: Petition, kind: str, *, secret: str = "") -> list[Notification]:
    """The notices ``kind`` calls for, one per contact the petitioner gave."""
    media = []
    if petition.phone:
        media.append(Notification.Medium.SMS)
    if petition.email:
        media.append(Notification.Medium.EMAIL)
    return [
        Notification.objects.create(
            petition=petition, kind=kind, medium=medium, secret=secret
        )
        for medium in media
    ]


def enqueue(notification_id: int, run_after=None) -> None:
    """Queue the send; a retry waits ``run_after`` where the queue can defer.

    Never raises: a queue that is down must not turn a saved petition into an
    error page. The notice stays pending and ``send_stalled`` queues it again.
    """
    task = send_notification
    try:
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(notification_id)
    except Exception:
        logger.exception("could not queue notice %s", notification_id)


#: A notice never tried this long after it was written lost its job (queue down
#: when it was written, or a worker killed mid-send): queue it again.
STALLED_AFTER = timedelta(minutes=2)


@task()
def send_stalled() -> int:
    """Queue again the notices whose first send never ran; how many.

    Safe to overlap with a late original job: ``send_notification`` locks the row
    and sends only while it is still pending, so a notice is never sent twice.
    """
    stalled = list(
        Notification.objects.filter(
            state=Notification.State.PENDING,
            attempts=0,
            created_at__lt=timezone.now() - STALLED_AFTER,
        ).values_list("pk", flat=True)
    )
    for notification_id in stalled:
        enqueue(notification_id)
    return len(stalled)


def render(notification: Notification) -> dict:
    petition = notification.petition
    context = {
        "petition": petition,
        "access_code": notification.secret,
        "site_url": settings.SITE_URL,
        "language": petition.language,
    }
    base = f"petitions/notices/{notification.kind}"
    with translation.override(petition.language):
        context["track_url"] = settings.SITE_URL + (
            "/en/petitions/track/" if petition.language == "en" else "/petitions/track/"
        )
        text = render_named(f"{base}.{notification.medium}", petition, context)
        subject = ""
        if notification.medium == Notification.Medium.EMAIL:
            subject = render_named(f"{base}.subject", petition, context)
    return {"subject": " ".join(subject.split()), "text": text}


def render_named(name: str, petition, context) -> str:
    names = [f"{name}.{petition.language}.txt", f"{name}.txt"]
    return select_template(names).render(context).strip()


def deliver(notification: Notification) -> None:
    message = render(notification)
    petition = notification.petition
    if notification.medium == Notification.Medium.SMS:
        sms.send_sms(petition.phone, message["text"])
    else:
        send_mail(
            message["subject"],
            message["text"],
            settings.DEFAULT_FROM_EMAIL,
            [petition.email],
        )


@task()
def send_notification(notification_id: int) -> str:
    """Send one notice; on failure count the attempt and queue another later."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("petition")
            .filter(pk=notification_id, state=Notification.State.PENDING)
            .first()
        )
        if notification is None:
            return "nothing to send"
        notification.attempts += 1
        try:
            deliver(notification)
        except Exception as error:  # any gateway or mail failure: try again later
            logger.warning("notice %s failed: %s", notification_id, error)
            notification.last_error = str(error)[:255]
            retry = notification.attempts < conf.notice_attempts()
            if not retry:
                notification.state = Notification.State.FAILED
                notification.secret = ""
            notification.save()
            if retry:
                delay = conf.notice_retry_seconds() * 2 ** (notification.attempts - 1)
                run_after = timezone.now() + timedelta(seconds=delay)
                transaction.on_commit(lambda: enqueue(notification_id, run_after))
            return "failed"
        notification.state = Notification.State.SENT
        notification.sent_at = timezone.now()
        notification.secret = ""
        notification.save()
    return "sent"
