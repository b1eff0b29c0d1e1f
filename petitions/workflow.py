"""The petition state machine: one table of allowed transitions and who may take them.

Pure: no database. ``actions.py`` asks ``check_transition`` before it changes a row,
and the staff pages ask ``allowed_actions`` to show only what a user may do now.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    RECEIVED = "received", _("Received")
    ANSWERED = "answered", _("Answered on the spot")
    ACCEPTED = "accepted", _("Accepted")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    ASSIGNED = "assigned", _("Assigned to a handler")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING = "waiting", _("Waiting for materials")
    REPLIED = "replied", _("Replied")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Role(models.TextChoices):
    PETITIONER = "petitioner", _("Petitioner")
    RECEPTION = "reception", _("Reception")
    HANDLER = "handler", _("Handler")
    HEAD = "head", _("Unit head")
    SUPERVISOR = "supervisor", _("Supervisor")
    SYSTEM = "system", _("System")


class Action(models.TextChoices):
    ANSWER = "answer", _("Answer on the spot")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Do not accept")
    ASSIGN = "assign", _("Assign to a handler")
    START = "start", _("Start handling")
    REQUEST_MATERIALS = "request_materials", _("Ask for materials")
    RECEIVE_MATERIALS = "receive_materials", _("Materials received")
    REPLY = "reply", _("Reply to the petitioner")
    CLOSE = "close", _("Close")
    TRANSFER = "transfer", _("Transfer to another unit")
    RETURN = "return", _("Return to the assigning unit")
    EXTEND = "extend", _("Extend the deadline")
    SUPERVISE = "supervise", _("Order supervision")
    REOPEN = "reopen", _("Reopen for review")
    WITHDRAW = "withdraw", _("Withdraw")


OPEN = frozenset(
    {
        Status.RECEIVED,
        Status.ACCEPTED,
        Status.ASSIGNED,
        Status.IN_PROGRESS,
        Status.WAITING,
    }
)
FINISHED = frozenset({Status.CLOSED, Status.WITHDRAWN})
#: Where the handling clock runs towards ``due_at`` (paused while waiting for
#: materials; before acceptance the clock is ``accept_by``).
HANDLING = frozenset({Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS})
STAFF = frozenset({Role.RECEPTION, Role.HANDLER, Role.HEAD, Role.SUPERVISOR})
WORKERS = frozenset({Role.HANDLER, Role.HEAD})
LEADERS = frozenset({Role.HEAD, Role.SUPERVISOR})


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset
    target: Status | None  # None: the status stays, an event is still written
    roles: frozenset


def _t(action, sources, target, roles) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in [
        # Reception answers simple requests at once (繁简分流) and closes them.
        _t(
            Action.ANSWER,
            {Status.RECEIVED},
            Status.ANSWERED,
            {Role.RECEPTION, *WORKERS},
        ),
        _t(
            Action.ACCEPT,
            {Status.RECEIVED},
            Status.ACCEPTED,
            {Role.RECEPTION, *WORKERS},
        ),
        # Not accepted: the reason, and for litigation matters the procedure (诉访分离).
        _t(
            Action.DECLINE,
            {Status.RECEIVED},
            Status.NOT_ACCEPTED,
            {Role.RECEPTION, *WORKERS},
        ),
        _t(Action.ASSIGN, {Status.ACCEPTED}, Status.ASSIGNED, LEADERS | {Role.HANDLER}),
        _t(Action.START, {Status.ASSIGNED}, Status.IN_PROGRESS, WORKERS),
        # Waiting for the petitioner's materials pauses the clock (一次告知).
        _t(Action.REQUEST_MATERIALS, {Status.IN_PROGRESS}, Status.WAITING, WORKERS),
        _t(
            Action.RECEIVE_MATERIALS,
            {Status.WAITING},
            Status.IN_PROGRESS,
            {Role.RECEPTION, *WORKERS},
        ),
        _t(Action.REPLY, {Status.IN_PROGRESS}, Status.REPLIED, WORKERS),
        _t(
            Action.CLOSE,
            {Status.ANSWERED, Status.NOT_ACCEPTED, Status.REPLIED},
            Status.CLOSED,
            {Role.RECEPTION, *WORKERS},
        ),
        # Transfer keeps the clock; the receiving unit starts from "accepted".
        _t(
            Action.TRANSFER,
            {Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS},
            Status.ACCEPTED,
            WORKERS,
        ),
        _t(
            Action.RETURN,
            {Status.ASSIGNED, Status.IN_PROGRESS},
            Status.ACCEPTED,
            WORKERS,
        ),
        # At most one extension, approved by the head; checked by the action.
        _t(
            Action.EXTEND,
            {Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING},
            None,
            {Role.HEAD},
        ),
        # Only a superior unit orders (交办/督办); the action checks the unit.
        _t(Action.SUPERVISE, OPEN, None, LEADERS),
        # Review (复查), then re-review (复核) of an answer (a reply, an answer on
        # the spot, a refusal): the petitioner asks (on the tracking page, or staff
        # record it for them); the next-higher unit receives it as accepted, to
        # assign it, on a review clock.
        _t(
            Action.REOPEN,
            {Status.ANSWERED, Status.NOT_ACCEPTED, Status.REPLIED, Status.CLOSED},
            Status.ACCEPTED,
            {Role.PETITIONER, *LEADERS},
        ),
        _t(
            Action.WITHDRAW,
            OPEN,
            Status.WITHDRAWN,
            {Role.PETITIONER, Role.RECEPTION, *WORKERS},
        ),
    ]
}


class TransitionNotAllowed(Exception):
    """A transition refused for the petition's state or the actor's role."""

    def __init__(self, action: Action, status: Status, reason: str, message: str):
        super().__init__(message)
        self.action, self.status, self.reason, self.message = (
            action,
            status,
            reason,
            message,
        )


def check_transition(action: Action, status: Status, roles) -> Status:
    """The status after ``action``, or TransitionNotAllowed saying why not."""
    transition = TRANSITIONS[Action(action)]
    status = Status(status)
    if status not in transition.sources:
        raise TransitionNotAllowed(
            action,
            status,
            "wrong_state",
            _("“%(action)s” is not possible while the petition is “%(status)s”.")
            % {"action": transition.action.label, "status": status.label},
        )
    if not transition.roles & set(roles):
        raise TransitionNotAllowed(
            action,
            status,
            "wrong_role",
            _("Your role does not allow “%(action)s”.")
            % {"action": transition.action.label},
        )
    return transition.target or status


def allowed_actions(status: Status, roles) -> list[Action]:
    """The actions a user with ``roles`` may take on a petition in ``status``."""
    roles = set(roles)
    return [
        action
        for action, transition in TRANSITIONS.items()
        if status in transition.sources and transition.roles & roles
    ]
