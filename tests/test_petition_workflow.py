"""The transition table, exhaustively: every action from every status by every role."""

import itertools

import pytest

from petitions.workflow import (
    Action,
    Role,
    Status,
    TransitionNotAllowed,
    allowed_actions,
    check_transition,
)

S, A, R = Status, Action, Role
OPEN = {S.RECEIVED, S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.WAITING}

# The specification, written out by hand: action -> (from states, to state, roles).
# None as the target means the status stays as it was.
EXPECTED = {
    A.ANSWER: ({S.RECEIVED}, S.ANSWERED, {R.RECEPTION, R.HANDLER, R.HEAD}),
    A.ACCEPT: ({S.RECEIVED}, S.ACCEPTED, {R.RECEPTION, R.HANDLER, R.HEAD}),
    A.DECLINE: ({S.RECEIVED}, S.NOT_ACCEPTED, {R.RECEPTION, R.HANDLER, R.HEAD}),
    A.ASSIGN: ({S.ACCEPTED}, S.ASSIGNED, {R.HANDLER, R.HEAD, R.SUPERVISOR}),
    A.START: ({S.ASSIGNED}, S.IN_PROGRESS, {R.HANDLER, R.HEAD}),
    A.REQUEST_MATERIALS: ({S.IN_PROGRESS}, S.WAITING, {R.HANDLER, R.HEAD}),
    A.RECEIVE_MATERIALS: (
        {S.WAITING},
        S.IN_PROGRESS,
        {R.RECEPTION, R.HANDLER, R.HEAD},
    ),
    A.REPLY: ({S.IN_PROGRESS}, S.REPLIED, {R.HANDLER, R.HEAD}),
    A.CLOSE: (
        {S.ANSWERED, S.NOT_ACCEPTED, S.REPLIED},
        S.CLOSED,
        {R.RECEPTION, R.HANDLER, R.HEAD},
    ),
    A.TRANSFER: (
        {S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS},
        S.ACCEPTED,
        {R.HANDLER, R.HEAD},
    ),
    A.RETURN: ({S.ASSIGNED, S.IN_PROGRESS}, S.ACCEPTED, {R.HANDLER, R.HEAD}),
    A.EXTEND: ({S.ASSIGNED, S.IN_PROGRESS, S.WAITING}, None, {R.HEAD}),
    A.SUPERVISE: (OPEN, None, {R.HEAD, R.SUPERVISOR}),
    A.REOPEN: (
        {S.ANSWERED, S.NOT_ACCEPTED, S.REPLIED, S.CLOSED},
        S.ACCEPTED,
        {R.PETITIONER, R.HEAD, R.SUPERVISOR},
    ),
    A.WITHDRAW: (
        OPEN,
        S.WITHDRAWN,
        {R.PETITIONER, R.RECEPTION, R.HANDLER, R.HEAD},
    ),
}


def test_the_specification_covers_every_action():
    """No action exists without a line in the specification above."""
    assert set(EXPECTED) == set(Action)


@pytest.mark.parametrize(
    "action, status, role", list(itertools.product(Action, Status, Role))
)
def test_every_transition(action, status, role):
    """Allowed pairs give the expected status; all others are refused with a reason."""
    sources, target, roles = EXPECTED[action]
    if status in sources and role in roles:
        assert check_transition(action, status, {role}) == (target or status)
        assert action in allowed_actions(status, {role})
        return
    with pytest.raises(TransitionNotAllowed) as refused:
        check_transition(action, status, {role})
    assert refused.value.reason == (
        "wrong_state" if status not in sources else "wrong_role"
    )
    assert refused.value.message
    assert action not in allowed_actions(status, {role})


def test_finished_petitions_allow_only_reopening():
    """Closed petitions can only be reopened for review; withdrawn ones not at all."""
    everyone = set(Role)
    assert allowed_actions(S.CLOSED, everyone) == [A.REOPEN]
    assert allowed_actions(S.WITHDRAWN, everyone) == []


def test_refusal_message_is_in_the_readers_language():
    """A refused transition explains itself in Chinese to a Chinese reader."""
    from django.utils import translation

    with translation.override("zh-hans"), pytest.raises(TransitionNotAllowed) as error:
        check_transition(A.REPLY, S.CLOSED, {R.HANDLER})
    assert "已结案" in str(error.value.message)
