"""Notices to petitioners by e-mail and SMS, sent by the worker and retried.

One ``Notification`` row per notice and medium is written in the action's
transaction; after commit a task sends it. Texts are templates found by name:
``petitions/notices/<kind>.<medium>.<language>.txt`` when a language has its own
text, else ``<kind>.<medium>.txt`` rendered in the petitioner's language (e-mail
adds ``<kind>.subject.txt``). A failed send is retried by the task
queue; the petition itself was saved long before (``outbox``: at most once).
"""

import logging

from django.conf import settings
from django.template.loader import select_template
from django.utils import translation
from django_tasks import task

from . import outbox, sms
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
    """Queue the send (never raises; see ``outbox.enqueue``)."""
    outbox.enqueue(send_notification, notification_id, run_after, model=Notification)


@task()
def send_stalled() -> int:
    """Queue again the notices whose send is due but never ran; how many.

    Covers a first send whose job was lost and a retry that could not be queued;
    ``send_notification`` sends only a pending notice, so nothing goes twice.
    """
    return outbox.requeue_due(Notification, send_notification)


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
    reference = notification.reference  # the same on every attempt
    if notification.medium == Notification.Medium.SMS:
        sms.send_sms(petition.phone, message["text"], reference=reference)
    else:
        outbox.send_mail(message["subject"], message["text"], petition.email, reference)


@task()
def send_notification(notification_id: int) -> str:
    """Send one notice; on failure count the attempt and queue another later."""
    return outbox.send_once(
        Notification.objects.select_related("petition"),
        notification_id,
        deliver,
        send_notification,
    )
