"""Every change to a petition happens here, whoever asks: web form, API, admin.

Each action validates its input, locks what it changes, saves, writes exactly one
Event in the same transaction, records an audit entry, and schedules its side
effects (notices, search indexing) on commit. A refusal is a ``PetitionRefused``
carrying field-level messages in the reader's language; nothing is half-saved.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from portal.security import audit
from portal.security.crypto import keyed_hash

from . import attachments as files
from . import conf, notifications, search_hooks
from .deadlines import add_days, days_between, handling_working_days
from .forms import PetitionForm, RegistrationForm
from .identifiers import (
    format_tracking_no,
    new_access_code,
    new_access_code_hash,
    provisional_tracking_no,
)
from .models import (
    Attachment,
    Channel,
    DailySequence,
    DeadlineRule,
    Event,
    EventKind,
    FollowUp,
    Outcome,
    Petition,
    Rating,
    Reply,
    SupervisionOrder,
)
from .workflow import (
    OPEN,
    TRANSITIONS,
    Action,
    Role,
    Status,
    TransitionNotAllowed,
    check_transition,
)

logger = logging.getLogger(__name__)


class PetitionRefused(Exception):
    """An action refused its input or the petition's state; nothing was changed.

    ``errors`` maps field names ("__all__" for the whole request) to messages;
    ``form`` is the bound form when the refusal came from validation, so a page
    can show it again with what the person typed.
    """

    def __init__(self, message, *, errors=None, form=None, code="invalid"):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {"__all__": [str(message)]}
        self.form = form
        self.code = code


@dataclass
class Submission:
    """A new petition and the access code shown to its petitioner exactly once."""

    petition: Petition
    access_code: str


def next_sequence(day) -> int:
    """That day's next tracking sequence, incremented under the row's lock.

    The UPDATE locks the row on PostgreSQL (and takes the write lock on SQLite)
    until the surrounding transaction ends, so two submissions never share one
    and none is skipped: every submission waits for the one before it to
    commit. Call it as late in the transaction as possible (see
    ``create_petition``); it costs one statement (UPDATE … RETURNING) and no
    savepoint inside that transaction.
    """
    quote = connection.ops.quote_name
    last = quote("last")
    bump = (
        f"UPDATE {quote(DailySequence._meta.db_table)} SET {last} = {last} + 1 "
        f"WHERE {quote('day')} = %s RETURNING {last}"
    )
    params = [connection.ops.adapt_datefield_value(day)]
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(bump, params)
        row = cursor.fetchone()
        if row is not None:
            return row[0]
        try:
            with transaction.atomic():
                DailySequence.objects.create(day=day, last=1)
            return 1
        except IntegrityError:  # another transaction created the day first
            cursor.execute(bump, params)
            return cursor.fetchone()[0]


def validated(form_class, data, uploads, **form_kwargs) -> PetitionForm:
    form = form_class(data=data, files=uploads, **form_kwargs)
    if not form.is_valid():
        errors = {
            field: [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
        raise PetitionRefused(
            _("Some answers need correcting."), errors=errors, form=form
        )
    return form


def submit(data, uploads=None, *, language="zh-hans", category=None, request=None):
    """A petitioner's own request from the web form or the public API.

    ``data`` is untrusted (a QueryDict or a decoded JSON object); ``uploads`` a
    MultiValueDict of files under "attachments". Returns a Submission.
    """
    form = validated(PetitionForm, data, uploads, category=category, web=True)
    return create_petition(
        form,
        channel=Channel.WEB,
        language=language,
        actor=None,
        actor_role=Role.PETITIONER,
        event=EventKind.SUBMIT,
        request=request,
    )


def register(data, uploads=None, *, actor, request=None):
    """Reception registers a request that came by letter, visit, phone or WeChat.

    The staff member who registers it becomes its first-contact person (首问负责).
    """
    form = validated(RegistrationForm, data, uploads)
    return create_petition(
        form,
        channel=form.cleaned_data["channel"],
        language=form.cleaned_data["language"],
        actor=actor,
        actor_role=Role.RECEPTION,
        event=EventKind.REGISTER,
        request=request,
    )


def create_petition(form, *, channel, language, actor, actor_role, event, request):
    fields = form.petition_fields()
    now = timezone.now()
    today = timezone.localdate(now)
    days, working = DeadlineRule.for_category(
        fields["category"], DeadlineRule.Kind.ACCEPTANCE
    )
    accept_by = add_days(today, days, working=working)
    access_code = new_access_code()
    written = []
    try:
        with transaction.atomic():
            petition = Petition.objects.create(
                **fields,
                # Numbered last, just before the commit: the day's number is a
                # lock every submission waits for until the one before commits.
                tracking_no=provisional_tracking_no(),
                access_code_hash=new_access_code_hash(access_code),
                id_number_hash=keyed_hash(fields["id_number"])
                if fields["id_number"]
                else "",
                phone_hash=keyed_hash(fields["phone"]) if fields["phone"] else "",
                channel=channel,
                language=language,
                unit=fields["category"].routing_unit(fields["region"]),
                first_contact=actor,
                consent_at=now,
                privacy_notice_version=conf.privacy_notice_version(),
                received_at=now,
                accept_by=accept_by,
                expected_by=accept_by,
                status=Status.RECEIVED,
            )
            for checked in form.checked_files:
                stored_name, digest = files.write_file(checked)
                written.append(stored_name)
                Attachment.objects.create(
                    petition=petition,
                    original_name=checked.original_name,
                    stored_name=stored_name,
                    content_type=checked.content_type,
                    size=len(checked.data),
                    sha256=digest,
                    uploaded_by=actor,
                )
            write_event(petition, event, actor, actor_role, "", Status.RECEIVED)
            notices = notifications.prepare(
                petition, notifications.Kind.ACKNOWLEDGEMENT, secret=access_code
            )
            petition.tracking_no = format_tracking_no(today, next_sequence(today))
            Petition.objects.filter(pk=petition.pk).update(
                tracking_no=petition.tracking_no
            )
            audit.record(
                request,
                f"petition.{event}",
                obj=petition,
                user=actor,
                tracking_no=petition.tracking_no,
                channel=channel,
                attachments=len(written),
            )
            after_commit(petition, notices)
    except BaseException:
        files.remove_files(written)
        raise
    return Submission(petition, access_code)


def write_event(
    petition, action, actor, role, from_status, to_status, note="", *, public=True
):
    return Event.objects.create(
        petition=petition,
        actor=actor,
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=public,
        created_at=timezone.now(),
    )


def after_commit(petition, notices=()):
    """Send notices and reindex once the change is durable, never before."""
    petition_id = petition.pk
    for notice in notices:
        transaction.on_commit(lambda pk=notice.pk: notifications.enqueue(pk))
    transaction.on_commit(lambda: queue_reindex(petition_id))


def queue_reindex(petition_id: int) -> None:
    """Queue the index update; a queue that is down leaves it to reconcile."""
    try:
        search_hooks.petition_changed.enqueue(petition_id)
    except Exception:
        logger.exception("could not queue reindexing of petition %s", petition_id)


def can_rate(petition) -> bool:
    """Closed, and not yet rated since it was last closed."""
    if petition.status != Status.CLOSED:
        return False
    closed = (
        petition.events.filter(to_status=Status.CLOSED)
        .exclude(action=EventKind.RATE)
        .order_by("-created_at")
        .first()
    )
    since = closed.created_at if closed else petition.received_at
    return not petition.ratings.filter(created_at__gte=since).exists()


def rate(petition, verdict, comment="", *, request=None) -> Rating:
    """The petitioner rates the answer to a closed petition, once per closing.

    "Not satisfied" while a review may still be asked records that offer in the
    public timeline; the tracking page and the API offer the review itself.
    """
    if verdict not in Rating.Verdict.values:
        raise PetitionRefused(
            _("Choose one of the ratings."),
            errors={"rating": [_("Choose one of the ratings.")]},
        )
    comment = str(comment or "")[:2000]
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        if not can_rate(petition):
            raise PetitionRefused(
                _(
                    "This request cannot be rated now: only a closed request can be "
                    "rated, once."
                ),
                code="not_ratable",
            )
        rating = Rating.objects.create(
            petition=petition,
            verdict=verdict,
            comment=comment,
            created_at=timezone.now(),
        )
        note = ""
        review_until = review_request_deadline(petition)
        if verdict == Rating.Verdict.NOT_SATISFIED and review_until:
            note = review_offer(review_until, petition.review_level)
        write_event(
            petition,
            EventKind.RATE,
            None,
            Role.PETITIONER,
            petition.status,
            petition.status,
            note=note,
        )
        audit.record(request, "petition.rated", obj=petition, verdict=verdict)
        after_commit(petition)
    return rating


def withdraw(petition, reason="", *, request=None) -> Petition:
    """The petitioner withdraws an open request (workflow: withdraw); the handler
    and the first-contact person are told."""
    return transition(
        petition,
        Action.WITHDRAW,
        actor=None,
        request=request,
        note=_text(reason, 2000),
    )


def last_answered_at(petition):
    """When the petitioner was last answered: the latest reply or refusal."""
    reply = petition.replies.order_by("-created_at").first()
    declined = (
        petition.events.filter(action=Action.DECLINE).order_by("-created_at").first()
    )
    times = [found.created_at for found in (reply, declined) if found is not None]
    return max(times) if times else None


def review_request_deadline(petition):
    """The last day on which the petitioner may ask for a review (复查) or
    re-review (复核) now; None when none can be asked."""
    if (
        petition.status not in TRANSITIONS[Action.REOPEN].sources
        or petition.review_level >= MAX_REVIEWS
    ):
        return None
    return review_window_end(petition)


def review_window_end(petition):
    """PETITIONS_REVIEW_REQUEST_DAYS after the last answer."""
    answered = last_answered_at(petition) or petition.updated_at
    return timezone.localdate(answered) + timedelta(days=conf.review_request_days())


def can_ask_review(petition) -> bool:
    deadline = review_request_deadline(petition)
    return deadline is not None and timezone.localdate() <= deadline


def review_name(level: int) -> str:
    return _("review (复查)") if level <= 1 else _("re-review (复核)")


def review_offer(deadline, review_level) -> str:
    return _(
        "Not satisfied: you may ask the next-higher unit for a %(review)s until "
        "%(date)s."
    ) % {"review": review_name(review_level + 1), "date": deadline.isoformat()}


# --- The closed loop: one function per workflow action, all through ``transition``.


class PetitionChanged(PetitionRefused):
    """Someone else changed the petition since the caller saw it."""


def _text(value, limit=4000) -> str:
    return str(value or "").strip()[:limit]


def _required(value, field, message) -> str:
    text = _text(value)
    if not text:
        raise PetitionRefused(message, errors={field: [str(message)]})
    return text


def same_time(seen, current) -> bool:
    """``seen`` (a datetime or the ISO text a form carried) is ``current``."""
    if isinstance(seen, str):
        return seen == current.isoformat()
    return seen == current


def acting_role(roles) -> Role:
    """The role an Event names when the actor holds several that allow it."""
    for role in (
        Role.HEAD,
        Role.SUPERVISOR,
        Role.HANDLER,
        Role.RECEPTION,
        Role.PETITIONER,
    ):
        if role in roles:
            return role
    return Role.SYSTEM


def transition(
    petition,
    action,
    *,
    actor,
    seen=None,
    note="",
    public=True,
    request=None,
    change=None,
    notify_petitioner=False,
    also_notify=None,
):
    """Take ``action`` on ``petition`` for ``actor``, or refuse and change nothing.

    ``actor`` None is the petitioner, acting with number and code. ``seen`` is the
    (status, updated_at) pair the caller's page showed; when the row differs now,
    the action is refused as "changed". ``change(petition)`` applies the action's
    own fields under the lock and returns an optional note. ``notify_petitioner``
    (True for a progress notice, or a notice kind) writes the petitioner's notices
    in the same transaction. The first-contact person and the handler (before and
    after the change) are told, and whoever ``also_notify(petition)`` names.
    """
    from . import access, staff_notices

    action = Action(action)
    refusal = None
    try:
        with transaction.atomic():
            locked = (
                # Lock the petition row only: the joined unit and people are
                # nullable (outer joins), which PostgreSQL cannot lock.
                Petition.objects.select_for_update(of=("self",))
                .select_related("unit", "first_contact", "handler")
                .filter(pk=petition.pk)
                .first()
            )
            if locked is None or (
                actor is not None
                and not access.petitions_in_scope(actor).filter(pk=locked.pk).exists()
            ):
                raise PetitionRefused(
                    _("This petition is not in your units."), code="out_of_scope"
                )
            if seen is not None and (
                str(seen[0]) != locked.status
                or (seen[1] and not same_time(seen[1], locked.updated_at))
            ):
                raise PetitionChanged(
                    _(
                        "This petition changed while you were looking at it: it is "
                        "now “%(status)s”. Check its new state and try again."
                    )
                    % {"status": locked.get_status_display()},
                    code="changed",
                )
            roles = (
                {Role.PETITIONER}
                if actor is None
                else access.roles_in(actor, locked.unit)
            )
            try:
                target = check_transition(action, locked.status, roles)
            except TransitionNotAllowed as error:
                raise PetitionRefused(error.message, code=error.reason) from None
            role = acting_role(roles & TRANSITIONS[action].roles)
            previous, handler_before = locked.status, locked.handler
            locked.status = target
            extra = change(locked) if change else None
            locked.save()
            event = write_event(
                locked,
                action,
                actor,
                role,
                previous,
                target,
                note=_text(extra if extra is not None else note),
                public=public,
            )
            audit.record(
                request,
                f"petition.{action.value}",
                obj=locked,
                user=actor,
                from_status=previous,
                to_status=target,
            )
            notices = []
            if notify_petitioner:
                kind = (
                    notify_petitioner
                    if isinstance(notify_petitioner, str)
                    else notifications.Kind.UPDATE
                )
                notices = notifications.prepare(locked, kind)
            staff = staff_notices.recipients(
                locked.first_contact,
                handler_before,
                locked.handler,
                *(also_notify(locked) if also_notify else ()),
            )
            text = _("%(action)s: %(status)s") % {
                "action": action.label,
                "status": locked.get_status_display(),
            }
            staff_notices.notify_on_commit(
                [pk for pk in staff if pk != getattr(actor, "pk", None)],
                _("%(number)s: %(action)s")
                % {"number": locked.tracking_no, "action": action.label},
                f"{text}\n{event.note}" if event.note else text,
            )
            after_commit(locked, notices)
    except PetitionRefused as error:
        refusal = error
    if refusal is not None:
        audit.record(
            request,
            f"petition.{action.value}",
            obj=petition,
            success=False,
            user=actor,
            reason=refusal.code,
        )
        raise refusal
    return locked


def handling_due(petition, start):
    days, working = DeadlineRule.for_category(
        petition.category, DeadlineRule.Kind.HANDLING
    )
    return add_days(start, days, working=working)


def answer(petition, text, *, actor, seen=None, request=None):
    """Reception answers a simple request on the spot; the answer is its reply."""
    text = _required(text, "text", _("Write the answer given."))

    def change(locked):
        Reply.objects.create(
            petition=locked,
            unit=locked.unit,
            author=actor,
            body=text,
            created_at=timezone.now(),
        )
        locked.outcome = Outcome.EXPLAINED
        return ""

    return transition(
        petition,
        Action.ANSWER,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=True,
    )


def accept(petition, *, actor, category=None, seen=None, request=None):
    """Accept: optionally reclassify (and so reroute); the handling clock starts."""

    def change(locked):
        note = ""
        if category is not None and category.pk != locked.category_id:
            locked.category = category
            locked.unit = category.routing_unit(locked.region) or locked.unit
            note = _("Reclassified as “%(category)s”; handled by %(unit)s.") % {
                "category": category.display_name,
                "unit": locked.unit.display_name if locked.unit else "—",
            }
        locked.due_at = handling_due(locked, timezone.localdate())
        locked.expected_by = locked.due_at
        return note

    return transition(
        petition,
        Action.ACCEPT,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=True,
    )


def decline(petition, reason, procedure="", *, actor, seen=None, request=None):
    """Not accepted, with the reason and, for legal matters, the procedure to use."""
    reason = _required(reason, "reason", _("Give the reason for not accepting."))
    procedure = _text(procedure)

    def change(locked):
        locked.outcome = Outcome.PROCEDURE if procedure else Outcome.NOT_REMIT
        if procedure:
            return _("%(reason)s\nProcedure to use: %(procedure)s") % {
                "reason": reason,
                "procedure": procedure,
            }
        return reason

    return transition(
        petition,
        Action.DECLINE,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=True,
    )


def assign(petition, handler, *, actor, seen=None, request=None):
    """Give an accepted petition to a handler of its unit."""
    from . import access

    def change(locked):
        if handler is None or Role.HANDLER not in access.roles_in(handler, locked.unit):
            raise PetitionRefused(
                _("Choose a handler of the petition's unit."),
                errors={"handler": [_("Choose a handler of the petition's unit.")]},
            )
        locked.handler = handler
        return _("Assigned to %(name)s.") % {
            "name": handler.get_full_name() or handler.get_username()
        }

    return transition(
        petition,
        Action.ASSIGN,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        public=False,
    )


def start(petition, *, actor, seen=None, request=None):
    return transition(petition, Action.START, actor=actor, seen=seen, request=request)


def request_materials(petition, missing, *, actor, seen=None, request=None):
    """Tell the petitioner everything missing at once (一次告知); the clock stops."""
    missing = _required(missing, "missing", _("List every missing material."))

    def change(locked):
        locked.paused_since = timezone.localdate()
        return missing

    return transition(
        petition,
        Action.REQUEST_MATERIALS,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=True,
    )


def running_clock(petition) -> str:
    """The deadline rule behind ``due_at`` now: handling, or the review clocks."""
    return {
        0: DeadlineRule.Kind.HANDLING,
        1: DeadlineRule.Kind.REVIEW,
    }.get(petition.review_level, DeadlineRule.Kind.RE_REVIEW)


def receive_materials(petition, *, actor, seen=None, request=None):
    """The materials came: the clock runs again, the due date moves by the pause,
    counted as the running clock's rule counts (working days or calendar days)."""

    def change(locked):
        today = timezone.localdate()
        if locked.paused_since and locked.due_at:
            _days, working = DeadlineRule.for_category(
                locked.category, running_clock(locked)
            )
            paused = days_between(locked.paused_since, today, working=working)
            if working:
                locked.due_at = add_days(locked.due_at, paused, working=True)
            else:
                locked.due_at += timedelta(days=paused)
            locked.expected_by = locked.due_at
        locked.paused_since = None
        return ""

    return transition(
        petition,
        Action.RECEIVE_MATERIALS,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
    )


def checked_extension_days(days, category) -> tuple[int, bool]:
    """(days, working?) when ``days`` is a whole number from 1 to the extension
    rule's limit; PetitionRefused on "days" otherwise."""
    limit, working = DeadlineRule.for_category(category, DeadlineRule.Kind.EXTENSION)
    try:
        days = int(str(days).strip())
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= limit:
        message = _("An extension is from 1 to %(limit)s days.") % {"limit": limit}
        raise PetitionRefused(message, errors={"days": [message]})
    return days, working


def request_extension(petition, days, reason, *, actor, request=None):
    """A handler asks the unit's heads for more time: an internal event and a
    notice to the heads; the head decides with ``extend``."""
    from . import access, staff_notices

    reason = _required(reason, "reason", _("Give the reason for the extension."))
    target = access.petition_for(actor, petition.pk)
    days, _working = checked_extension_days(days, target.category)
    if Role.HANDLER not in access.roles_in(actor, target.unit) or (
        target.status not in TRANSITIONS[Action.EXTEND].sources
    ):
        audit.record(
            request,
            "petition.extension_requested",
            obj=target,
            success=False,
            user=actor,
        )
        raise PetitionRefused(
            _("Only the handler of an open petition asks for an extension."),
            code="wrong_role",
        )
    with transaction.atomic():
        locked = Petition.objects.select_for_update().get(pk=target.pk)
        note = _("%(days)s days: %(reason)s") % {"days": days, "reason": reason}
        write_event(
            locked,
            EventKind.EXTENSION_REQUEST,
            actor,
            Role.HANDLER,
            locked.status,
            locked.status,
            note=note,
            public=False,
        )
        audit.record(request, "petition.extension_requested", obj=locked, user=actor)
        after_commit(locked)
        heads = locked.unit.memberships.filter(role=Role.HEAD).select_related("user")
        staff_notices.notify_on_commit(
            staff_notices.recipients(*(m.user for m in heads)),
            _("%(number)s: extension requested") % {"number": locked.tracking_no},
            note,
        )
    return locked


def extend(petition, days, reason, *, actor, seen=None, request=None):
    """The head extends the deadline once, by at most the rule's days; the
    petitioner is told the reason."""
    reason = _required(reason, "reason", _("Give the reason told to the petitioner."))

    def change(locked):
        if locked.extension_days:
            raise PetitionRefused(
                _("This petition was already extended once."), code="extended"
            )
        extension, working = checked_extension_days(days, locked.category)
        locked.extension_days = extension
        locked.due_at = add_days(
            locked.due_at or timezone.localdate(), extension, working=working
        )
        locked.expected_by = locked.due_at
        return _("Extended by %(days)s days: %(reason)s") % {
            "days": extension,
            "reason": reason,
        }

    return transition(
        petition,
        Action.EXTEND,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=True,
    )


def transfer(petition, unit, note, *, actor, seen=None, request=None):
    """Not ours: the petition moves to ``unit`` with its clock; it starts there
    as accepted."""
    note = _required(note, "note", _("Say why it is transferred."))

    def change(locked):
        if unit is None or unit.pk == locked.unit_id:
            raise PetitionRefused(
                _("Choose another unit."), errors={"unit": [_("Choose another unit.")]}
            )
        locked.returns_to = locked.unit
        locked.unit = unit
        locked.handler = None
        return _("To %(unit)s: %(note)s") % {"unit": unit.display_name, "note": note}

    return transition(
        petition,
        Action.TRANSFER,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        public=False,
    )


def return_petition(petition, note, *, actor, seen=None, request=None):
    """Back to the unit that assigned or transferred it (else the parent unit)."""
    note = _required(note, "note", _("Say why it is returned."))

    def change(locked):
        parent = locked.unit.get_parent() if locked.unit else None
        target = locked.returns_to or parent
        if target is None:
            raise PetitionRefused(
                _("There is no unit to return it to."), code="no_unit"
            )
        locked.returns_to = None
        locked.unit = target
        locked.handler = None
        return note

    return transition(
        petition,
        Action.RETURN,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        public=False,
    )


def reply(petition, body, *, actor, seen=None, request=None):
    """The unit's answer to the petitioner (signed by the unit, not the person);
    its notices are written in the same transaction, so none is lost."""
    body = _required(body, "body", _("Write the reply."))

    def change(locked):
        Reply.objects.create(
            petition=locked,
            unit=locked.unit,
            author=actor,
            body=body,
            created_at=timezone.now(),
        )
        return ""

    return transition(
        petition,
        Action.REPLY,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        notify_petitioner=notifications.Kind.REPLY,
    )


@dataclass
class LinkedReplies:
    """What "reply to all linked" did: the petition answered first, then each
    linked one answered, or the reason it was not."""

    petition: Petition
    replied: list
    refused: list  # (petition, message)


def reply_with_linked(petition, body, *, actor, seen=None, request=None):
    """Linked petitions are handled together and every petitioner is answered:
    the same reply goes to ``petition`` and to each linked petition in the
    actor's scope, each through ``reply`` (its own Reply, Event and notices)."""
    from . import access

    answered = reply(petition, body, actor=actor, seen=seen, request=request)
    result = LinkedReplies(answered, [], [])
    others = access.petitions_in_scope(actor).filter(
        pk__in=answered.linked.values("pk")
    )
    for other in others.order_by("tracking_no"):
        try:
            result.replied.append(reply(other, body, actor=actor, request=request))
        except PetitionRefused as refusal:
            result.refused.append((other, refusal.message))
    return result


def unanswered_linked(petition):
    """Linked petitions whose petitioner still waits for an answer."""
    return petition.linked.filter(status__in=OPEN).order_by("tracking_no")


def close(petition, outcome, *, actor, seen=None, request=None):
    """Close with an honest outcome (answered and declined ones keep theirs)."""

    def change(locked):
        chosen = outcome or locked.outcome
        if chosen not in Outcome.values:
            raise PetitionRefused(
                _("Choose the outcome."), errors={"outcome": [_("Choose the outcome.")]}
            )
        locked.outcome = chosen
        locked.paused_since = None
        locked.handling_working_days = handling_working_days(
            locked.received_at, timezone.now()
        )
        return Outcome(chosen).label

    return transition(
        petition, Action.CLOSE, actor=actor, seen=seen, request=request, change=change
    )


#: Review (复查), then re-review (复核): never a third time.
MAX_REVIEWS = 2


def review_change(reason):
    """The one code path of a review, whoever asks: the petition goes up to the
    next-higher unit (it stays at the top of the tree) as accepted, for that
    unit to assign, on the review or re-review clock."""

    def change(locked):
        if locked.review_level >= MAX_REVIEWS:
            raise PetitionRefused(
                _(
                    "This request was already re-reviewed (复核): it cannot be "
                    "reviewed again."
                ),
                code="reviewed",
            )
        if timezone.localdate() > review_window_end(locked):
            raise PetitionRefused(
                _(
                    "A review may be asked within %(days)s days of the reply; "
                    "that time has passed."
                )
                % {"days": conf.review_request_days()},
                code="review_too_late",
            )
        locked.review_level += 1
        reviewer = (locked.unit.get_parent() if locked.unit else None) or locked.unit
        days, working = DeadlineRule.for_category(
            locked.category, running_clock(locked)
        )
        locked.unit, locked.handler, locked.returns_to = reviewer, None, None
        locked.due_at = add_days(timezone.localdate(), days, working=working)
        locked.expected_by = locked.due_at
        locked.outcome = ""
        locked.extension_days = 0
        locked.paused_since = None
        return _("%(review)s by %(unit)s, answer due %(date)s: %(reason)s") % {
            "review": capfirst(review_name(locked.review_level)),
            "unit": reviewer.display_name if reviewer else "—",
            "date": locked.due_at.isoformat(),
            "reason": reason,
        }

    return change


def start_review(petition, reason, *, actor, seen=None, request=None):
    from . import access

    return transition(
        petition,
        Action.REOPEN,
        actor=actor,
        seen=seen,
        request=request,
        change=review_change(reason),
        notify_petitioner=True,
        also_notify=lambda locked: access.heads_of(locked.unit),
    )


def ask_review(petition, reason, *, request=None):
    """The petitioner, not satisfied with the answer, asks the next-higher unit
    for a review (复查), later a re-review (复核), within the window."""
    reason = _required(
        _text(reason, 2000),
        "reason",
        _("Say why you are not satisfied with the answer."),
    )
    return start_review(petition, reason, actor=None, request=request)


def reopen(petition, note, *, actor, seen=None, request=None):
    """Staff record a review request the petitioner made by phone, letter or at a
    follow-up call: the same review as ``ask_review``."""
    note = _required(note, "note", _("Say what the review is about."))
    return start_review(petition, note, actor=actor, seen=seen, request=request)


def supervise(
    petition, instructions, due_on, *, actor, to_unit=None, seen=None, request=None
):
    """交办/督办: a head or supervisor of a unit above the petition's orders a unit
    below their own (the petition's unit, or the unit it should go to) to handle
    it and report back by ``due_on``. Ordered to another unit, a petition not yet
    given to a handler moves there; its return goes back to the ordering unit."""
    from . import access

    instructions = _required(instructions, "instructions", _("Write the instructions."))
    if due_on is None or due_on <= timezone.localdate():
        message = _("Give a feedback date after today.")
        raise PetitionRefused(message, errors={"due_on": [message]})

    def change(locked):
        target = to_unit or locked.unit
        ordering = access.ordering_unit(actor, locked.unit, target)
        if ordering is None:
            raise PetitionRefused(
                _(
                    "Only a head or supervisor of a superior unit orders "
                    "supervision, to a unit below their own."
                ),
                code="wrong_unit",
            )
        if target.pk != locked.unit_id:
            if locked.status not in (Status.RECEIVED, Status.ACCEPTED):
                message = _(
                    "A petition already given to a handler is supervised where it "
                    "is: choose its own unit, or have it transferred first."
                )
                raise PetitionRefused(message, errors={"to_unit": [message]})
            locked.unit, locked.handler, locked.returns_to = target, None, ordering
        SupervisionOrder.objects.create(
            petition=locked,
            from_unit=ordering,
            to_unit=target,
            instructions=instructions,
            due_on=due_on,
            created_by=actor,
            created_at=timezone.now(),
        )
        return _("%(from)s → %(to)s, feedback due %(date)s: %(text)s") % {
            "from": ordering.display_name,
            "to": target.display_name,
            "date": due_on.isoformat(),
            "text": instructions,
        }

    return transition(
        petition,
        Action.SUPERVISE,
        actor=actor,
        seen=seen,
        request=request,
        change=change,
        public=False,
        also_notify=lambda locked: access.heads_of(locked.unit),
    )


def supervision_feedback(order, text, *, actor, request=None):
    """The ordered unit's head or handler reports back; an internal event on the
    petition, and a notice to the ordering unit's heads and the order's author."""
    from . import access, staff_notices

    text = _required(text, "feedback", _("Write the feedback."))
    petition = order.petition
    roles = access.own_roles_in(actor, order.to_unit) & {Role.HANDLER, Role.HEAD}
    if not roles:
        audit.record(
            request, "petition.feedback", obj=petition, success=False, user=actor
        )
        raise PetitionRefused(
            _("Only the ordered unit reports back."), code="wrong_unit"
        )
    with transaction.atomic():
        order = (
            SupervisionOrder.objects.select_for_update(of=("self",))
            .select_related("created_by", "from_unit")
            .get(pk=order.pk)
        )
        if order.feedback_at:
            raise PetitionRefused(
                _("This order was already answered."), code="answered"
            )
        order.feedback, order.feedback_at = text, timezone.now()
        order.save(update_fields=["feedback", "feedback_at"])
        write_event(
            petition,
            EventKind.FEEDBACK,
            actor,
            acting_role(roles),
            petition.status,
            petition.status,
            note=text,
            public=False,
        )
        audit.record(request, "petition.feedback", obj=petition, user=actor)
        after_commit(petition)
        staff_notices.notify_on_commit(
            [
                pk
                for pk in staff_notices.recipients(
                    order.created_by, *access.heads_of(order.from_unit)
                )
                if pk != actor.pk
            ],
            _("%(number)s: supervision feedback") % {"number": petition.tracking_no},
            text,
        )
    return order


def staff_withdraw(petition, reason, *, actor, seen=None, request=None):
    """Staff record that the petitioner withdrew (by phone, letter, in person)."""
    reason = _required(reason, "reason", _("Say how the petitioner withdrew."))
    return transition(
        petition,
        Action.WITHDRAW,
        actor=actor,
        seen=seen,
        request=request,
        note=reason,
    )


def add_note(petition, text, *, actor, request=None):
    """An internal note: staff only, never on public pages or in the API."""
    from . import access

    text = _required(text, "note", _("Write the note."))
    target = access.petition_for(actor, petition.pk)
    roles = access.roles_in(actor, target.unit)
    event = write_event(
        target,
        EventKind.NOTE,
        actor,
        acting_role(roles),
        target.status,
        target.status,
        note=text,
        public=False,
    )
    audit.record(request, "petition.note", obj=target, user=actor)
    after_commit(target)
    return event


def record_follow_up(follow_up, verdict, result, *, actor, request=None):
    """The follow-up call's result and the petitioner's rating; an internal event.

    "Not satisfied" leaves the petition closed: when the petitioner asks for a
    review on the call, a head or supervisor records it (``reopen``), which sends
    it to the next-higher unit as the petitioner's own request would.
    """
    from . import access

    if verdict not in Rating.Verdict.values:
        message = _("Choose one of the ratings.")
        raise PetitionRefused(message, errors={"verdict": [message]})
    result = _required(result, "result", _("Write what the petitioner said."))
    petition = access.petition_for(actor, follow_up.petition_id)
    roles = access.roles_in(actor, petition.unit)
    if not roles:
        audit.record(
            request, "petition.follow_up", obj=petition, success=False, user=actor
        )
        raise PetitionRefused(
            _("Only staff of the petition's unit record follow-ups."),
            code="wrong_unit",
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
        if follow_up.done_at:
            raise PetitionRefused(
                _("This follow-up was already recorded."), code="changed"
            )
        follow_up.verdict, follow_up.result = verdict, result
        follow_up.done_at, follow_up.done_by = timezone.now(), actor
        follow_up.save()
        write_event(
            petition,
            EventKind.FOLLOW_UP,
            actor,
            acting_role(roles),
            petition.status,
            petition.status,
            note=f"{Rating.Verdict(verdict).label}: {result}",
            public=False,
        )
        audit.record(
            request, "petition.follow_up", obj=petition, user=actor, verdict=verdict
        )
        after_commit(petition)
    return follow_up


def repeat_candidates(petition, user):
    """Earlier or later petitions in scope from the same petitioner (ID number or
    phone hash) in the same category within PETITIONS_REPEAT_DAYS days."""
    from django.db.models import Q

    from . import access

    same_person = Q()
    if petition.id_number_hash:
        same_person |= Q(id_number_hash=petition.id_number_hash)
    if petition.phone_hash:
        same_person |= Q(phone_hash=petition.phone_hash)
    if not same_person:
        return Petition.objects.none()
    window = timedelta(days=conf.repeat_days())
    return (
        access.petitions_in_scope(user)
        .filter(same_person, category=petition.category_id)
        .filter(
            received_at__gte=petition.received_at - window,
            received_at__lte=petition.received_at + window,
        )
        .exclude(pk=petition.pk)
        .exclude(pk__in=petition.linked.values("pk"))
    )


def link(petition, other, *, actor, request=None):
    """Link a repeat or joint petition: handled together, each still answered."""
    from . import access

    first = access.petition_for(actor, petition.pk)
    second = access.petition_for(actor, getattr(other, "pk", other))
    if first.pk == second.pk:
        raise PetitionRefused(_("A petition cannot be linked to itself."))
    roles = access.roles_in(actor, first.unit) | access.roles_in(actor, second.unit)
    if not roles:
        audit.record(request, "petition.link", obj=first, success=False, user=actor)
        raise PetitionRefused(
            _("Only staff of the petitions' units link them."), code="wrong_unit"
        )
    with transaction.atomic():
        first.linked.add(second)
        for one, another in ((first, second), (second, first)):
            write_event(
                one,
                EventKind.LINK,
                actor,
                acting_role(roles),
                one.status,
                one.status,
                note=another.tracking_no,
                public=False,
            )
            after_commit(one)
        audit.record(request, "petition.link", obj=first, user=actor, other=second.pk)
    return first
