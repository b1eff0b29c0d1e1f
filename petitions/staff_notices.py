"""Notices to staff (handler, first-contact person, heads) by e-mail, after commit.

The petition's timeline records that a notice went out (an internal Event). Each
mail is a ``StaffNotice`` row written in the same transaction as the change and
sent by the task queue (``outbox``): a slow mail server never holds a lock, a
queue that is down never turns a committed action into an error page, and a
notice is sent once.
"""

from django_tasks import task

from . import outbox
from .models import StaffNotice


def recipients(*users) -> list[int]:
    """Distinct ids of the active users given (None skipped)."""
    seen = []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.append(user.pk)
    return seen


def notify_on_commit(user_ids, subject: str, text: str) -> list[StaffNotice]:
    """One pending notice per user, written now; each is queued after commit."""
    subject = " ".join(str(subject).split())[:255]  # a mail subject is one line
    notices = [
        StaffNotice.objects.create(user_id=pk, subject=subject, text=str(text))
        for pk in dict.fromkeys(user_ids)
    ]
    outbox.enqueue_on_commit(send_staff_notice, notices)
    return notices


def deliver(notice: StaffNotice) -> None:
    user = notice.user
    if user.is_active and user.email:  # one mail each: staff addresses stay private
        outbox.send_mail(notice.subject, notice.text, user.email, notice.reference)


@task()
def send_staff_notice(notice_id: int) -> str:
    """Mail one staff notice (a user without an address is skipped as sent)."""
    return outbox.send_once(
        StaffNotice.objects.select_related("user"),
        notice_id,
        deliver,
        send_staff_notice,
    )


@task()
def send_stalled() -> int:
    """Queue again the staff notices whose send is due but never ran; how many."""
    return outbox.requeue_due(StaffNotice, send_staff_notice)
