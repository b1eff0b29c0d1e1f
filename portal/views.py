import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import (
    HttpResponse,
    HttpResponseRedirect,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import render
from django.template import loader
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from portal.display import DISPLAY_COOKIE, DISPLAY_MODES
from portal.health import run_checks


@never_cache
@require_GET
def healthz(request):
    """200 when the database, search engine and task queue are usable; 503 otherwise."""
    checks = run_checks()
    failing = [check.name for check in checks if not check.ok]
    body = {
        "status": "ok" if not failing else "unavailable",
        "failing": failing,
        "checks": {check.name: check.as_dict() for check in checks},
    }
    return JsonResponse(body, status=503 if failing else 200)


@csrf_exempt
@require_POST
def display_mode(request):
    """Remember the reader's display mode (standard or large text) in a cookie.

    Exempt from CSRF on purpose: the switch sits on every public page, and those
    pages are cached for anonymous readers, so they cannot carry a per-reader token.
    The most a forged request can do is change someone's text size.
    """
    mode = request.POST.get("mode", "standard")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if mode in DISPLAY_MODES and mode != "standard":
        response.set_cookie(
            DISPLAY_COOKIE, mode, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    else:
        response.delete_cookie(DISPLAY_COOKIE, samesite="Lax")
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


#: Seconds a client is asked to wait when the database is out of reach.
OUTAGE_RETRY_AFTER = 30


def server_error(request):
    """The error page in the reader's language, rendered without the context
    processors (site settings, menus), which need the database that may be down.

    When the error is the database being out of reach (restarting, failing over),
    the answer is a 503 that says nothing was saved and when to try again, in JSON
    for the API; Django calls this handler while the exception is being handled."""
    language = translation.get_language_from_path(request.path) or (
        translation.get_language() or settings.LANGUAGE_CODE
    )
    if isinstance(sys.exc_info()[1], (OperationalError, InterfaceError)):
        return database_unavailable(request, language)
    html = loader.render_to_string("500.html", {"english": language.startswith("en")})
    return HttpResponseServerError(html)


def database_unavailable(request, language: str):
    with translation.override(language):
        message = _(
            "The service is briefly unavailable and nothing you sent was saved. "
            "Please try again in a minute."
        )
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=503)
        else:
            html = loader.render_to_string(
                "503.html", {"message": message, "language": language}
            )
            response = HttpResponse(html, status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
    return response
