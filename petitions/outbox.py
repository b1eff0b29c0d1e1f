"""Sending what a change wrote down: at most once, whatever the task queue does.

Petitioners' notices and staff notices are rows (``QueuedMessage``) written in the
transaction of the change that calls for them. After commit a job is queued to
send each one; a queue that is down (Redis gone) is logged and leaves the row
pending, and ``requeue_due`` (a periodic task) queues it again once it is due and
its job has had time to run. The sender locks the row and sends only while it is
pending, so a late original job and a re-queued one never send twice.

Between the gateway's answer and the commit that records it, the database may go
away (a restart) or the worker may die. The cache (Redis in production) keeps a
note of every delivery for a day, written the moment the gateway answers, so the
next try records the message as sent rather than sending it again. Only when that
note is lost too (Redis down or emptied at the same time) does a message go out a
second time, with the same reference, which a gateway that keeps its keys drops.
E-mail carries that reference as its Message-ID (``send_mail``), by which mail
servers and readers recognise a repeat.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone

from . import conf
from .models import QueuedMessage

logger = logging.getLogger(__name__)
State = QueuedMessage.State


def message_id(reference: str) -> str:
    """A Message-ID that stays the same for every attempt to send one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("<> ") or "localhost"
    return f"<{reference}@{domain}>"


def send_mail(subject: str, text: str, to: str, reference: str) -> None:
    """One e-mail to one address, under the message's own stable Message-ID."""
    headers = {"Message-ID": message_id(reference)}
    EmailMessage(
        subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers
    ).send()


#: A pending message this long past its due time lost its job (queue down when it
#: was written, a retry that could not be queued, a worker killed mid-send). Workers
#: take a job within a second or two of its queueing, and a second job for a message
#: is harmless (the sender locks the row and sends only while it is pending), so
#: the grace is short: with ``send_stalled`` every 15 s a lost notice goes out
#: within 35 s.
STALLED_AFTER = timedelta(seconds=20)
#: A job that met the database out of reach (a restart) runs again this soon.
DATABASE_RETRY = timedelta(seconds=10)
#: How long the cache remembers that the gateway took a message, for a sender that
#: could not record it (the database restarted before the commit, the worker was
#: killed): the next try records it as sent instead of sending it again.
DELIVERY_MEMORY = int(timedelta(days=1).total_seconds())


def enqueue(task, pk: int, run_after=None, *, model=None) -> None:
    """Queue ``task(pk)``, deferred to ``run_after`` where the queue can defer.

    Never raises: a saved petition or a committed staff action must not turn into
    an error page because the queue is down; the row stays pending, marked (when
    ``model`` is given) for the next ``requeue_due`` rather than after the grace
    period, so it goes out within a minute of the queue coming back.
    """
    try:
        if run_after is not None and task.get_backend().supports_defer:
            task = task.using(run_after=run_after)
        task.enqueue(pk)
    except Exception:
        logger.exception("could not queue %s for message %s", task, pk)
        if model is not None:
            mark_lost(model, pk)


def mark_lost(model, pk: int) -> None:
    """The job for pending message ``pk`` was never queued: no grace period for it,
    ``requeue_due`` takes it as soon as it is due (at once, or at its retry time)."""
    try:
        model.objects.filter(pk=pk, state=State.PENDING).update(
            next_try_at=F("next_try_at") - STALLED_AFTER
        )
    except Exception:  # the database may be what is down; the grace period remains
        logger.exception("could not mark message %s for requeueing", pk)


def enqueue_on_commit(task, rows) -> None:
    for row in rows:
        model = type(row)
        transaction.on_commit(
            lambda pk=row.pk, model=model: enqueue(task, pk, model=model)
        )


def send_once(queryset, pk: int, deliver, task) -> str:
    """Send the pending message ``pk``; on failure count the attempt and queue
    another try later (``task``), until PETITIONS_NOTICE_ATTEMPTS are spent.

    With the database out of reach nothing can be read or recorded: the same job
    is queued again shortly, instead of waiting for the stalled-message sweep's
    grace period (the attempt is not counted; the row was never locked)."""
    try:
        return _send_locked(queryset, pk, deliver, task)
    except (OperationalError, InterfaceError) as error:
        logger.warning("message %s waits for the database: %s", pk, error)
        enqueue(task, pk, timezone.now() + DATABASE_RETRY)
        return "database unavailable"


def _send_locked(queryset, pk: int, deliver, task) -> str:
    with transaction.atomic():
        message = queryset.select_for_update().filter(pk=pk, state=State.PENDING)
        message = message.first()
        if message is None:
            return "nothing to send"
        journal = delivery_note(message)
        if cache.get(journal):  # delivered, but the record of it was lost
            return _record_sent(message)
        message.attempts += 1
        try:
            deliver(message)
        except Exception as error:  # any gateway or mail failure: try again later
            logger.warning("message %s failed: %s", pk, error)
            message.last_error = str(error)[:255]
            if message.attempts < conf.notice_attempts():
                delay = conf.notice_retry_seconds() * 2 ** (message.attempts - 1)
                message.next_try_at = timezone.now() + timedelta(seconds=delay)
                run_after = message.next_try_at
                model = type(message)
                transaction.on_commit(lambda: enqueue(task, pk, run_after, model=model))
            else:
                message.state = State.FAILED
                message.forget_secret()
            message.save()
            return "failed"
        cache.set(journal, True, DELIVERY_MEMORY)
        return _record_sent(message)


def delivery_note(message) -> str:
    """The cache key that says the gateway took ``message`` (its creation time too,
    so a database restored from a backup never meets a note for another row)."""
    created = int(message.created_at.timestamp() * 1_000_000)
    return f"outbox:delivered:{message._meta.label_lower}:{message.pk}:{created}"


def _record_sent(message) -> str:
    message.state = State.SENT
    message.sent_at = timezone.now()
    message.forget_secret()
    message.save()
    return "sent"


def requeue_due(model, task) -> int:
    """Queue again the pending messages of ``model`` whose try is overdue; how many."""
    now = timezone.now()
    stalled = list(
        model.objects.filter(
            state=State.PENDING, next_try_at__lt=now - STALLED_AFTER
        ).values_list("pk", flat=True)
    )
    # Due again only after another grace period: a busy queue is not flooded.
    model.objects.filter(pk__in=stalled).update(next_try_at=now)
    for pk in stalled:
        enqueue(task, pk)
    return len(stalled)
