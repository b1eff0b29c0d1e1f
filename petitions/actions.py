"""Every change to a petition happens here, whoever asks: web form, API, admin.

Each action validates its input, locks what it changes, saves, writes exactly one
Event in the same transaction, records an audit entry, and schedules its side
effects (notices, search indexing) on commit. A refusal is a ``PetitionRefused``
carrying field-level messages in the reader's language; nothing is half-saved.
"""

import logging
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.security import audit
from portal.security.crypto import keyed_hash

from . import attachments as files
from . import conf, notifications, search_hooks
from .deadlines import add_days
from .forms import PetitionForm, RegistrationForm
from .identifiers import format_tracking_no, new_access_code, new_access_code_hash
from .models import (
    Attachment,
    Channel,
    DailySequence,
    DeadlineRule,
    Event,
    EventKind,
    Petition,
    Rating,
)
from .workflow import (
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
    until the surrounding transaction ends, so two submissions never share one.
    """
    with transaction.atomic():
        if not DailySequence.objects.filter(day=day).update(last=F("last") + 1):
            try:
                with transaction.atomic():
                    DailySequence.objects.create(day=day, last=1)
            except IntegrityError:  # another transaction created the day first
                DailySequence.objects.filter(day=day).update(last=F("last") + 1)
        return DailySequence.objects.get(day=day).last


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
                tracking_no=format_tracking_no(today, next_sequence(today)),
                access_code_hash=new_access_code_hash(access_code),
                id_number_hash=keyed_hash(fields["id_number"])
                if fields["id_number"]
                else "",
                phone_hash=keyed_hash(fields["phone"]) if fields["phone"] else "",
                channel=channel,
                language=language,
                unit=fields["category"].routing_unit(),
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


def write_event(petition, action, actor, role, from_status, to_status, note=""):
    return Event.objects.create(
        petition=petition,
        actor=actor,
        actor_role=role,
        action=action,
        from_status=from_status,
        to_status=to_status,
        note=note,
        public=True,
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
    """The petitioner rates the answer to a closed petition, once per closing."""
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
        write_event(
            petition,
            EventKind.RATE,
            None,
            Role.PETITIONER,
            petition.status,
            petition.status,
        )
        audit.record(request, "petition.rated", obj=petition, verdict=verdict)
        after_commit(petition)
    return rating


def withdraw(petition, reason="", *, request=None) -> Petition:
    """The petitioner withdraws an open request (workflow: withdraw)."""
    with transaction.atomic():
        petition = Petition.objects.select_for_update().get(pk=petition.pk)
        try:
            target = check_transition(
                Action.WITHDRAW, petition.status, {Role.PETITIONER}
            )
        except TransitionNotAllowed as refusal:
            raise PetitionRefused(refusal.message, code=refusal.reason) from None
        previous = petition.status
        petition.status = target
        petition.save(update_fields=["status", "updated_at"])
        write_event(
            petition,
            Action.WITHDRAW,
            None,
            Role.PETITIONER,
            previous,
            target,
            note=str(reason or "")[:2000],
        )
        audit.record(request, "petition.withdrawn", obj=petition)
        after_commit(petition)
    return petition
