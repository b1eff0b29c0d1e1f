"""What a petitioner sees with number and code, and the uniform refusal otherwise.

A wrong number, a number with a wrong check character and a wrong code all end
the same way, and each computes one access-code hash first, so neither the answer
nor its timing tells which part was wrong.
"""

from django.utils.translation import gettext as _

from .actions import can_ask_review, can_rate, review_name, review_request_deadline
from .identifiers import (
    access_code_matches,
    check_tracking_no,
    normalize_tracking_no,
)
from .models import DeadlineRule, Petition
from .workflow import OPEN, Status


def not_found_message() -> str:
    return _("No request matches this number and access code.")


def find_petition(tracking_no, access_code) -> Petition | None:
    """The petition when number and code both match, else None (same cost)."""
    text = str(tracking_no or "")
    # A number failing its check character is still looked up (it matches no row),
    # so that every wrong answer costs one query and one hash.
    number = check_tracking_no(text) or "!" + normalize_tracking_no(text)[:19]
    petition = Petition.objects.filter(tracking_no=number).first()
    stored = petition.access_code_hash if petition else ""
    matches = access_code_matches(str(access_code or ""), stored)
    return petition if petition is not None and matches else None


def status_in_words(status: str) -> str:
    """A sentence a petitioner understands, for every status."""
    return {
        Status.RECEIVED: _(
            "We have received your request and will decide whether we can accept it."
        ),
        Status.ANSWERED: _("Your request was answered on the spot."),
        Status.ACCEPTED: _("Your request has been accepted and will be handled."),
        Status.NOT_ACCEPTED: _(
            "Your request could not be accepted. The reply below says why and "
            "where to turn."
        ),
        Status.ASSIGNED: _("Your request has been given to a handler."),
        Status.IN_PROGRESS: _("Your request is being handled."),
        Status.WAITING: _(
            "We are waiting for materials from you. The reply below lists them."
        ),
        Status.REPLIED: _("We have replied to your request."),
        Status.CLOSED: _("Your request is closed."),
        Status.WITHDRAWN: _("You withdrew this request."),
    }[Status(status)]


def public_view(petition: Petition) -> dict:
    """Status, expected date, public timeline and replies; internal notes never."""
    events = petition.events.filter(public=True).order_by("created_at", "id")
    status_text = status_in_words(petition.status)
    if petition.review_level and petition.status in OPEN:
        status_text = _(
            "The next-higher unit, %(unit)s, is handling your request for a %(review)s."
        ) % {
            "unit": petition.unit.display_name if petition.unit else "—",
            "review": review_name(petition.review_level),
        }
    may_ask_review = can_ask_review(petition)
    return {
        "tracking_no": petition.tracking_no,
        "status": petition.status,
        "status_label": str(Status(petition.status).label),
        "status_text": status_text,
        "received_at": petition.received_at,
        "expected_by": petition.expected_by,
        "category": petition.category.display_name,
        "subject": petition.subject,
        "timeline": [
            {
                "at": event.created_at,
                "action": event.action,
                "label": str(event.get_action_display()),
                "status": event.to_status,
                "status_label": str(Status(event.to_status).label),
                "note": event.note,
            }
            for event in events
        ],
        "replies": [
            {
                "at": reply.created_at,
                "body": reply.body,
                "unit": reply.unit.display_name if reply.unit else "",
            }
            for reply in petition.replies.select_related("unit")
        ],
        "can_rate": can_rate(petition),
        "review_level": petition.review_level,
        "can_ask_review": may_ask_review,
        "review_until": review_request_deadline(petition) if may_ask_review else None,
        "next_review": review_name(petition.review_level + 1),
        "review_days": review_days(petition) if may_ask_review else None,
    }


def review_days(petition) -> int:
    """How many days the next review may take (the review or re-review rule)."""
    kind = (
        DeadlineRule.Kind.REVIEW
        if petition.review_level == 0
        else DeadlineRule.Kind.RE_REVIEW
    )
    return DeadlineRule.for_category(petition.category, kind)[0]
