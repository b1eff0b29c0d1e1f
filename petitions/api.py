"""The public JSON API (django-ninja) at /api/v1/, documented at /api/v1/openapi.json.

Bodies are read here (JSON, or multipart with attachments) and handed to the same
actions and forms as the web pages, so the rules and their messages are the
page's own. Every refusal is JSON: 422 with field-level messages in the request's
language, 404 (one body for every wrong number or code), 429 over a limit (with
Retry-After).
"""

import json
from datetime import date, datetime

from django import forms
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import QueryDict, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema, Status
from ninja.errors import HttpError, ValidationError

from . import actions, limits, tracking
from .models import Category, Rating
from .regions import region_choices


class PetitionsAPI(NinjaAPI):
    """Every answer is `no-store`: they carry access codes and personal data."""

    def create_response(self, request, data, *, status=None, temporal_response=None):
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        add_never_cache_headers(response)
        return response


api = PetitionsAPI(
    title="Petitions API",
    version="1",
    description=(
        "Submit a request to the courts and justice bureaus, follow it with its "
        "tracking number and access code, rate the answer, and ask the next-higher "
        "unit for a review. Send "
        "`Accept-Language: en` for English messages (Chinese by default)."
    ),
    urls_namespace="api_v1",
    docs_url=None,
)


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


class PetitionIn(Schema):
    """The request; multipart bodies add up to 5 files under "attachments"."""

    category: str
    anonymous: bool = False
    name: str = ""
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    subject: str
    description: str
    case_number: str = ""
    complained_about: str = ""
    region: str = ""
    co_signers: int = 0
    consent: bool


class PetitionCreated(Schema):
    tracking_no: str
    access_code: str
    status: str
    expected_by: date | None


class LookupIn(Schema):
    tracking_no: str
    access_code: str


class RatingIn(LookupIn):
    rating: str
    comment: str = ""


class ReviewIn(LookupIn):
    reason: str


class ReviewChances(Schema):
    """Whether the next-higher unit may be asked for a review now, and until when."""

    can_ask_review: bool
    review_until: date | None


class RatingDone(ReviewChances):
    detail: str


class ReviewStarted(Schema):
    detail: str
    status: str
    review_level: int
    expected_by: date | None


class TimelineEntry(Schema):
    at: datetime
    action: str
    label: str
    status: str
    status_label: str
    note: str


class ReplyOut(Schema):
    at: datetime
    body: str
    unit: str


class PetitionStatus(Schema):
    tracking_no: str
    status: str
    status_label: str
    status_text: str
    category: str
    subject: str
    received_at: datetime
    expected_by: date | None
    timeline: list[TimelineEntry]
    replies: list[ReplyOut]
    can_rate: bool
    review_level: int
    can_ask_review: bool
    review_until: date | None


class CategoryOut(Schema):
    code: str
    parent: str | None
    name: str
    guidance: str
    materials: list[str]
    litigation_matter: bool
    procedure: str
    anonymous_allowed: bool
    urgent_notice: str


class Invalid(Exception):
    """A body the API cannot use: answered 422 with field-level messages."""

    def __init__(self, errors: dict):
        super().__init__("invalid")
        self.errors = errors


class LookupForm(forms.Form):
    tracking_no = forms.CharField(max_length=40)
    access_code = forms.CharField(max_length=40)


class RatingForm(LookupForm):
    rating = forms.ChoiceField(choices=Rating.Verdict.choices)
    comment = forms.CharField(max_length=2000, required=False)


class ReviewForm(LookupForm):
    reason = forms.CharField(max_length=2000)


def use_request_language(request) -> str:
    """Accept-Language (or ?lang=) decides, since /api/ has no language prefix."""
    wanted = request.GET.get("lang", "")
    codes = {code for code, _name in settings.LANGUAGES}
    language = wanted if wanted in codes else None
    if language is None:
        language = translation.get_language_from_request(request, check_path=False)
    translation.activate(language)
    request.LANGUAGE_CODE = translation.get_language()
    return request.LANGUAGE_CODE


FORM_TYPES = ("multipart/form-data", "application/x-www-form-urlencoded")


def read_body(request):
    """(data, files) from a JSON object or a form body; Invalid otherwise."""
    content_type = request.content_type or ""
    try:
        if content_type in FORM_TYPES:
            return request.POST, request.FILES
        data = json.loads(request.body or b"null")
    except (MultiPartParserError, SuspiciousOperation, UnreadablePostError):
        message = _("The request is too large or malformed.")
        raise Invalid({"__all__": [message]}) from None
    except (ValueError, UnicodeDecodeError):
        data = None
    if not isinstance(data, dict):
        raise Invalid({"__all__": [_("Send a JSON object or a multipart form.")]})
    # A form reads strings; JSON's true/false/numbers become their form spelling.
    flat = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, bool):
            flat[key] = "on" if value else ""
        elif isinstance(value, str | int | float):
            flat[key] = str(value)
        elif value is not None:
            raise Invalid({key: [_("Expected text, a number or true/false.")]})
    return flat, None


def form_errors(form) -> dict:
    return {
        field: [str(m) for m in messages] for field, messages in form.errors.items()
    }


def check_limit(request, scope):
    """RateLimited (answered 429 with Retry-After) when over a limit."""
    if scope == "submit":
        limits.check_submission(request)
    else:
        limits.check_rate(request, scope)


def unprocessable(errors: dict):
    return Status(422, {"detail": _("Some answers need correcting."), "errors": errors})


def body_schema(schema, *, multipart=False) -> dict:
    """Document a body that the view reads itself (JSON, and multipart if asked)."""
    json_schema = schema.model_json_schema()
    content = {"application/json": {"schema": json_schema}}
    if multipart:
        form_schema = json.loads(json.dumps(json_schema))
        form_schema["properties"]["attachments"] = {
            "type": "array",
            "items": {"type": "string", "format": "binary"},
            "maxItems": 5,
        }
        content["multipart/form-data"] = {"schema": form_schema}
    return {"requestBody": {"required": True, "content": content}}


# OpenAPI links: what a client (and the stateful fuzzer) does next with the number
# and the code a submission answers with.
_OPENED = {
    "tracking_no": "$response.body#/tracking_no",
    "access_code": "$response.body#/access_code",
}
FOLLOW_UP_LINKS = {
    "responses": {
        "201": {
            "links": {
                name: {"operationId": f"petitions_api_{view}", "requestBody": _OPENED}
                for name, view in (
                    ("Follow", "lookup_petition"),
                    ("Rate", "rate_petition"),
                    ("AskReview", "review_petition"),
                )
            }
        }
    }
}


@api.exception_handler(Invalid)
def invalid_body(request, error):
    return api.create_response(
        request,
        {"detail": _("Some answers need correcting."), "errors": error.errors},
        status=422,
    )


@api.exception_handler(limits.RateLimited)
def rate_limited(request, error):
    response = api.create_response(request, {"detail": str(error)}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


@api.exception_handler(ValidationError)
def invalid_parameters(request, error):
    errors = {}
    for item in error.errors:
        field = str(item.get("loc", ["__all__"])[-1])
        errors.setdefault(field, []).append(_("This value is not valid."))
    return api.create_response(
        request,
        {"detail": _("Some answers need correcting."), "errors": errors},
        status=422,
    )


@api.post(
    "/petitions",
    response={201: PetitionCreated, 422: FieldErrors, 429: Message},
    openapi_extra=body_schema(PetitionIn, multipart=True) | FOLLOW_UP_LINKS,
    summary="Submit a request",
)
def submit_petition(request):
    """Returns the tracking number and the access code, shown this once."""
    language = use_request_language(request)
    check_limit(request, "submit")
    data, files = read_body(request)
    try:
        submission = actions.submit(data, files, language=language, request=request)
    except actions.PetitionRefused as refusal:
        return unprocessable(refusal.errors)
    limits.count_success(request, "submit")
    petition = submission.petition
    return Status(
        201,
        {
            "tracking_no": petition.tracking_no,
            "access_code": submission.access_code,
            "status": petition.status,
            "expected_by": petition.expected_by,
        },
    )


def find_or_404(request, form_class):
    """The petition the body's number and code open; every try counts as a lookup."""
    check_limit(request, "lookup")
    data, _files = read_body(request)
    form = form_class(data)
    if not form.is_valid():
        raise Invalid(form_errors(form))
    petition = tracking.find_petition(
        form.cleaned_data["tracking_no"], form.cleaned_data["access_code"]
    )
    if petition is None:
        raise HttpError(404, tracking.not_found_message())
    return petition, form.cleaned_data


@api.post(
    "/petitions/lookup",
    response={200: PetitionStatus, 404: Message, 422: FieldErrors, 429: Message},
    openapi_extra=body_schema(LookupIn),
    summary="Follow a request",
)
def lookup_petition(request):
    """Status, expected date, public timeline and replies; never internal notes."""
    use_request_language(request)
    petition, _data = find_or_404(request, LookupForm)
    return tracking.public_view(petition)


@api.post(
    "/petitions/rating",
    response={
        201: Message,
        404: Message,
        409: Message,
        422: FieldErrors,
        429: Message,
    },
    openapi_extra=body_schema(RatingIn),
    summary="Rate the answer to a closed request",
)
def rate_petition(request):
    """Once per closing: satisfied, basically satisfied or not satisfied."""
    use_request_language(request)
    petition, data = find_or_404(request, RatingForm)
    try:
        actions.rate(petition, data["rating"], data["comment"], request=request)
    except actions.PetitionRefused as refusal:
        return Status(409, {"detail": refusal.message})
    return Status(
        201, {"detail": _("Thank you for your rating."), **review_chances(petition)}
    )


def review_chances(petition) -> dict:
    possible = actions.can_ask_review(petition)
    return {
        "can_ask_review": possible,
        "review_until": actions.review_request_deadline(petition) if possible else None,
    }


@api.post(
    "/petitions/review",
    response={
        201: ReviewStarted,
        404: Message,
        409: Message,
        422: FieldErrors,
        429: Message,
    },
    openapi_extra=body_schema(ReviewIn),
    summary="Ask the next-higher unit for a review",
)
def review_petition(request):
    """Not satisfied with the answer: within 30 days of it, the next-higher unit
    reviews the request (复查), and once more after that (复核). 409 when no
    review can be asked now (still being handled, too late, or reviewed twice)."""
    use_request_language(request)
    petition, data = find_or_404(request, ReviewForm)
    try:
        petition = actions.ask_review(petition, data["reason"], request=request)
    except actions.PetitionRefused as refusal:
        return Status(409, {"detail": refusal.message})
    return Status(
        201,
        {
            "detail": _("Your request for a review was sent to the next-higher unit."),
            "status": petition.status,
            "review_level": petition.review_level,
            "expected_by": petition.expected_by,
        },
    )


class RegionOut(Schema):
    slug: str
    name: str


@api.get("/regions", response=list[RegionOut], summary="Regions")
def list_regions(request, lang: str = ""):
    """The regions a request may name (the optional ``region`` of a submission)."""
    use_request_language(request)
    return [{"slug": slug, "name": name} for slug, name in region_choices()]


@api.get("/categories", response=list[CategoryOut], summary="Open categories")
def list_categories(request, lang: str = ""):
    """Categories open for web submission with what the form tells about each."""
    use_request_language(request)
    categories = Category.get_tree().filter(open_for_web=True)
    parents = {c.path: c.code for c in Category.objects.all()}
    return [
        {
            "code": category.code,
            "parent": parents.get(category.path[: -category.steplen]),
            "name": category.display_name,
            "guidance": category.display_guidance,
            "materials": category.display_materials,
            "litigation_matter": category.litigation_matter,
            "procedure": category.display_procedure,
            "anonymous_allowed": category.anonymous_allowed,
            "urgent_notice": category.display_urgent_notice,
        }
        for category in categories
    ]
