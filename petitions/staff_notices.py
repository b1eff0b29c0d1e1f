"""Notices to staff (handler, first-contact person, heads) by e-mail, after commit.

The petition's timeline records that a notice went out (an internal Event); the
mail itself is sent by the task queue so a slow mail server never holds a lock.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django_tasks import task


def recipients(*users) -> list[int]:
    """Distinct ids of the active users given (None skipped)."""
    seen = []
    for user in users:
        if user is not None and user.is_active and user.pk not in seen:
            seen.append(user.pk)
    return seen


def notify_on_commit(user_ids, subject: str, text: str) -> None:
    if user_ids:
        transaction.on_commit(
            lambda: send_staff_notice.enqueue(list(user_ids), str(subject), str(text))
        )


@task()
def send_staff_notice(user_ids: list[int], subject: str, text: str) -> int:
    """Mail ``text`` to each user with an address; the count of mails sent."""
    addresses = [
        user.email
        for user in get_user_model().objects.filter(pk__in=user_ids, is_active=True)
        if user.email
    ]
    if not addresses:
        return 0
    for address in addresses:  # one mail each: staff addresses stay private
        send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [address])
    return len(addresses)
