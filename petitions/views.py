"""Public pages: choose a category, write the request, keep the receipt, track it.

Thin: each view parses the request, calls an action or a lookup, and renders.
Pages that carry personal data or an access code are never cached.
"""

from functools import wraps

from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from portal.security import audit

from . import actions, limits, tracking
from .forms import WebPetitionForm
from .models import Category, Rating
from .workflow import OPEN

RECEIPT_SESSION_KEY = "petitions_receipt"


def too_many(request, error: limits.RateLimited):
    response = render(
        request, "petitions/limited.html", {"message": str(error)}, status=429
    )
    response["Retry-After"] = str(error.retry_after)
    return response


def choose_category(request):
    """Step one: the open categories, each with its one-line description."""
    categories = Category.get_tree().filter(open_for_web=True)
    closed = Category.objects.filter(open_for_web=False)
    return render(
        request,
        "petitions/choose_category.html",
        {"categories": categories, "closed_categories": closed},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def write_petition(request, code):
    """Step two: the chosen category's guidance, told once, and the form."""
    category = get_object_or_404(Category, code=code)
    if not category.open_for_web:
        return render(request, "petitions/not_online.html", {"category": category})
    form = WebPetitionForm(category=category)
    if request.method == "POST":
        form = WebPetitionForm(request.POST, request.FILES, category=category)
        try:
            limits.check_submission(request)
        except limits.RateLimited as error:
            return too_many(request, error)
        automated = form.looks_automated()
        if automated:
            audit.record(
                request, "petition.submit_blocked", success=False, why=automated
            )
            form = WebPetitionForm.again(request.POST, category=category)
        else:
            try:
                submission = actions.submit(
                    request.POST,
                    request.FILES,
                    category=category,
                    language=get_language(),
                    request=request,
                )
            except actions.PetitionRefused as refusal:
                form = refusal.form or form
            else:
                limits.count_success(request, "submit")
                request.session[RECEIPT_SESSION_KEY] = {
                    "tracking_no": submission.petition.tracking_no,
                    "access_code": submission.access_code,
                }
                return HttpResponseRedirect(reverse("petitions:receipt"))
    return render(request, "petitions/write.html", {"category": category, "form": form})


@never_cache
def receipt(request):
    """Number and code, shown once: the code leaves the session with this page
    (print it from this page; a second visit no longer shows it)."""
    data = request.session.pop(RECEIPT_SESSION_KEY, None)
    if not data:
        return HttpResponseRedirect(reverse("petitions:track"))
    petition = tracking.find_petition(data["tracking_no"], data["access_code"])
    if petition is None:
        raise Http404
    return render(
        request,
        "petitions/receipt.html",
        {
            "petition": petition,
            "access_code": data["access_code"],
            "view": tracking.public_view(petition),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def track(request):
    """Number and code by POST (never in the URL) to the status in words."""
    if request.method == "GET":
        return render(request, "petitions/track.html", {})
    try:
        limits.check_rate(request, "lookup")
    except limits.RateLimited as error:
        return too_many(request, error)
    return show_status(request)


def show_status(
    request,
    *,
    rating_errors=None,
    rated=False,
    dissatisfied=False,
    withdrawn=False,
    review_errors=None,
    reviewed=False,
):
    tracking_no = request.POST.get("tracking_no", "")
    access_code = request.POST.get("access_code", "")
    petition = tracking.find_petition(tracking_no, access_code)
    if petition is None:
        return render(
            request,
            "petitions/track.html",
            {"not_found": tracking.not_found_message(), "tracking_no": tracking_no},
            status=404,
        )
    return render(
        request,
        "petitions/status.html",
        {
            "view": tracking.public_view(petition),
            "tracking_no": petition.tracking_no,
            "access_code": access_code,
            "verdicts": Rating.Verdict.choices,
            "rating_errors": rating_errors or [],
            "rated": rated,
            "dissatisfied": dissatisfied,
            "withdrawn": withdrawn,
            "review_errors": review_errors or [],
            "reviewed": reviewed,
            "can_withdraw": petition.status in OPEN,
        },
    )


def with_posted_petition(view):
    """POST only, never cached, counted as a lookup; passes the petition that the
    posted number and code open, or shows the uniform refusal."""

    @never_cache
    @require_POST
    @wraps(view)
    def wrapper(request):
        try:
            limits.check_rate(request, "lookup")
        except limits.RateLimited as error:
            return too_many(request, error)
        petition = tracking.find_petition(
            request.POST.get("tracking_no", ""), request.POST.get("access_code", "")
        )
        if petition is None:
            return show_status(request)
        return view(request, petition)

    return wrapper


@with_posted_petition
def rate(request, petition):
    """The rating form under a closed petition's status; "not satisfied" is
    answered with the offer of a review."""
    verdict = request.POST.get("rating", "")
    try:
        actions.rate(
            petition, verdict, request.POST.get("comment", ""), request=request
        )
    except actions.PetitionRefused as refusal:
        return show_status(request, rating_errors=[refusal.message])
    return show_status(
        request,
        rated=True,
        dissatisfied=verdict == Rating.Verdict.NOT_SATISFIED,
    )


@with_posted_petition
def review(request, petition):
    """The petitioner asks the next-higher unit for a review, saying why."""
    try:
        actions.ask_review(petition, request.POST.get("reason", ""), request=request)
    except actions.PetitionRefused as refusal:
        errors = [
            message for messages in refusal.errors.values() for message in messages
        ]
        return show_status(request, review_errors=errors)
    return show_status(request, reviewed=True)


@with_posted_petition
def withdraw(request, petition):
    """The petitioner withdraws an open request, after ticking that they mean it."""
    if not request.POST.get("confirm"):
        return show_status(request)
    try:
        actions.withdraw(petition, request.POST.get("reason", ""), request=request)
    except actions.PetitionRefused:
        return show_status(request)
    return show_status(request, withdrawn=True)
