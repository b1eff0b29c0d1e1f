"""The sweep: reminders three days before a deadline, one escalation once it passed.

Clocks: acceptance (``accept_by`` while received), handling (``due_at`` while
accepted, assigned or in progress; a paused clock is not swept) and supervision
(an order's ``due_on`` until the ordered unit reports back). A reminder goes to the
handler and the first-contact person; an escalation to the unit's heads and the
superior unit's heads; for a supervision order both also go to the ordering unit.
Each notice is one ``SweepNotice`` row, unique per petition, kind, clock and
deadline, written with its timeline Event and its staff notices in one
transaction, and queued for mailing after commit (a queue that is down leaves
them pending for ``staff_notices.send_stalled``): a second run, or a run after a
crash, sends nothing twice.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from . import search_hooks, staff_notices
from .access import heads_of
from .models import (
    Event,
    EventKind,
    Petition,
    SupervisionOrder,
    SweepNotice,
    Unit,
)
from .workflow import HANDLING, OPEN, Role, Status

#: Days before a deadline when the reminder goes out.
REMIND_DAYS = 3


@dataclass
class Result:
    reminders: int = 0
    escalations: int = 0
    recipients: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"reminders": self.reminders, "escalations": self.escalations}


@dataclass
class Clock:
    """One running deadline: whose it is, and who else hears about it."""

    petition: Petition
    clock: str
    deadline: date
    unit: Unit | None  # the unit whose heads answer for it
    ordering_unit: Unit | None = None  # a supervision order's superior unit
    ordered_by: object = None  # the user who gave that order
    order: SupervisionOrder | None = None  # the order whose clock this is


def deadlines(today: date):
    """The running deadlines within the reminder horizon or past."""
    horizon = today + timedelta(days=REMIND_DAYS)
    petitions = Petition.objects.select_related("unit", "handler", "first_contact")
    for petition in petitions.filter(
        status=Status.RECEIVED, accept_by__lte=horizon, accept_by__isnull=False
    ):
        yield Clock(
            petition, SweepNotice.Clock.ACCEPTANCE, petition.accept_by, petition.unit
        )
    for petition in petitions.filter(
        status__in=HANDLING, due_at__lte=horizon, due_at__isnull=False
    ):
        yield Clock(
            petition, SweepNotice.Clock.HANDLING, petition.due_at, petition.unit
        )
    orders = SupervisionOrder.objects.filter(
        feedback_at__isnull=True, due_on__lte=horizon, petition__status__in=OPEN
    ).select_related("petition__unit", "petition__handler", "petition__first_contact")
    for order in orders.select_related("to_unit", "from_unit", "created_by"):
        yield Clock(
            order.petition,
            SweepNotice.Clock.SUPERVISION,
            order.due_on,
            order.to_unit,
            order.from_unit,
            order.created_by,
            order,
        )


def recipients_for(kind, clock: Clock) -> list:
    """Reminder: the handler and the first-contact person (the heads when nobody
    handles it yet, or for a supervision order). Escalation: the unit's heads and
    the superior unit's. A supervision order's ordering unit (its heads and the
    order's author) hears of both."""
    petition, unit = clock.petition, clock.unit
    if kind == SweepNotice.Kind.REMINDER:
        users = [petition.handler, petition.first_contact]
        if clock.clock == SweepNotice.Clock.SUPERVISION or petition.handler is None:
            users += heads_of(unit)
    else:
        parent = unit.get_parent() if unit is not None else None
        users = heads_of(unit) + heads_of(parent)
    if clock.ordering_unit is not None:
        users += [clock.ordered_by, *heads_of(clock.ordering_unit)]
    return users


def send_one(kind, clock: Clock, result: Result) -> None:
    petition, deadline = clock.petition, clock.deadline
    ids = staff_notices.recipients(*recipients_for(kind, clock))
    label = SweepNotice.Clock(clock.clock).label
    if kind == SweepNotice.Kind.REMINDER:
        text = _("Reminder: %(clock)s for %(number)s is due on %(date)s.")
    else:
        text = _("Overdue: %(clock)s for %(number)s was due on %(date)s.")
    text = text % {
        "clock": label,
        "number": petition.tracking_no,
        "date": deadline.isoformat(),
    }
    try:
        with transaction.atomic():
            SweepNotice.objects.create(
                petition=petition,
                order=clock.order,
                kind=kind,
                clock=clock.clock,
                deadline=deadline,
                recipients=ids,
                created_at=timezone.now(),
            )
            Event.objects.create(
                petition=petition,
                actor=None,
                actor_role=Role.SYSTEM,
                action=EventKind.NOTICE,
                from_status=petition.status,
                to_status=petition.status,
                note=text,
                public=False,
                created_at=timezone.now(),
            )
            staff_notices.notify_on_commit(ids, text, text)
            search_hooks.reindex_on_commit(petition.pk)
    except IntegrityError:  # another sweep sent it first
        return
    if kind == SweepNotice.Kind.REMINDER:
        result.reminders += 1
    else:
        result.escalations += 1


def sweep(today: date | None = None) -> Result:
    today = today or timezone.localdate()
    result = Result()
    sent = set(
        SweepNotice.objects.values_list("petition_id", "kind", "clock", "deadline")
    )
    for clock in deadlines(today):
        kind = (
            SweepNotice.Kind.ESCALATION
            if clock.deadline < today
            else SweepNotice.Kind.REMINDER
        )
        if (clock.petition.pk, kind, clock.clock, clock.deadline) in sent:
            continue
        send_one(kind, clock, result)
    return result


@task()
def sweep_task() -> dict:
    """The scheduler's entry point (PERIODIC_TASKS)."""
    return sweep().as_dict()
