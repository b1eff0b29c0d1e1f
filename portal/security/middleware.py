"""The one gate in front of every staff URL, staff session clocks, and headers."""

import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.memo import remember_per_request

from . import audit, conf
from .otp import has_confirmed_device
from .sessions import LAST_SEEN_AT, SIGNED_IN_AT

#: Seconds between two notes of a session's last activity (see _expire_session).
SEEN_STEP = 60


def strip_language_prefix(path: str) -> str:
    for code, _name in settings.LANGUAGES:
        prefix = f"/{code}/"
        if path.startswith(prefix):
            return path[len(prefix) - 1 :]
    return path


def is_staff_path(path: str) -> bool:
    """The rule: a path under one of STAFF_URL_PREFIXES, with or without /en/ etc."""
    prefixes = conf.staff_url_prefixes()
    return path.startswith(prefixes) or strip_language_prefix(path).startswith(prefixes)


def is_sign_in_path(path: str) -> bool:
    """The sign-in steps themselves, where a half-signed-in session is itself."""
    prefixes = conf.sign_in_url_prefixes()
    return path.startswith(prefixes) or strip_language_prefix(path).startswith(prefixes)


def is_staff_api_path(path: str) -> bool:
    prefixes = conf.staff_api_prefixes()
    return path.startswith(prefixes) or strip_language_prefix(path).startswith(prefixes)


class StaffAccessMiddleware:
    """Password alone never opens a staff URL; sessions expire when idle or old.

    Sits after django-otp's OTPMiddleware. For a path under STAFF_URL_PREFIXES:
    anonymous visitors go to sign-in, password-only sessions go to code entry or
    enrolment (JSON 401/403 for the staff API), and every staff response is marked
    `Cache-Control: no-store`. Everywhere else except the sign-in steps, a
    password-only session is served as an anonymous visitor.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = audit._current_request.set(request)
        try:
            return self._handle(request)
        finally:
            audit._current_request.reset(token)

    def _handle(self, request):
        expired = self._expire_session(request)
        staff = is_staff_path(request.path)
        if staff:
            refusal = self._refuse(request, expired)
            if refusal is not None:
                add_never_cache_headers(refusal)
                return refusal
            # Both factors: the page may keep what it reads about its user.
            remember_per_request(request.user)
        elif _half_signed_in(request) and not is_sign_in_path(request.path):
            # Everywhere else a password alone counts for nothing either: a page
            # or document restricted to signed-in users or to groups, and the
            # Wagtail userbar's edit links, want both factors like staff URLs.
            request.user = _anonymous()
        response = self.get_response(request)
        if staff:
            add_never_cache_headers(response)
        return response

    def _expire_session(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        now = time.time()
        signed_in = request.session.get(SIGNED_IN_AT, now)
        last_seen = request.session.get(LAST_SEEN_AT, now)
        reason = None
        if now - signed_in > conf.absolute_timeout().total_seconds():
            reason = "absolute"
        elif now - last_seen > conf.idle_timeout().total_seconds():
            reason = "idle"
        if reason is None:
            # Noted at most once a minute: writing it on every page saved the
            # session (a database write) on every staff request; the idle clock
            # is a minute coarser, and ends a session early rather than late.
            if LAST_SEEN_AT not in request.session or now - last_seen >= SEEN_STEP:
                request.session[LAST_SEEN_AT] = now
            if SIGNED_IN_AT not in request.session:
                request.session[SIGNED_IN_AT] = now
            return None
        audit.record(request, "session.expired", reason=reason)
        logout(request)
        return reason

    def _refuse(self, request, expired):
        user = request.user
        if user.is_authenticated and user.is_verified():
            return None
        api = is_staff_api_path(request.path)
        if not user.is_authenticated:
            if api:
                return JsonResponse(
                    {"detail": _("Sign in with your password and a code first.")},
                    status=401,
                )
            query = {"next": request.get_full_path()}
            if expired:
                query["expired"] = expired
            return redirect(f"{reverse('security_sign_in')}?{urlencode(query)}")
        if api:
            return JsonResponse(
                {"detail": _("Enter a code from your authenticator app first.")},
                status=403,
            )
        request.session.setdefault("security_next", request.get_full_path())
        if has_confirmed_device(user):
            return redirect("security_verify")
        return redirect("security_enrol")


def _half_signed_in(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not user.is_verified())


def _anonymous():
    anonymous = AnonymousUser()
    anonymous.is_verified = lambda: False  # as django-otp's middleware installs
    return anonymous


class SecurityHeadersMiddleware:
    """Headers Django does not set itself: Permissions-Policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault(
            "Permissions-Policy",
            getattr(
                settings,
                "PERMISSIONS_POLICY",
                "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
            ),
        )
        return response


class ScopedCSPMiddleware(CSPMiddleware):
    """Our strict policy everywhere; Wagtail admin gets its own, under /admin/ only.

    The admin's editors use inline styles and scripts that our own pages never
    need, so `unsafe-inline` is granted to ADMIN_CONTENT_SECURITY_POLICY alone.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        admin_policy = getattr(settings, "ADMIN_CONTENT_SECURITY_POLICY", None)
        if (
            not report_only
            and parts.config is None
            and admin_policy
            and strip_language_prefix(request.path).startswith("/admin/")
        ):
            parts.config = admin_policy["DIRECTIVES"]
        return parts
