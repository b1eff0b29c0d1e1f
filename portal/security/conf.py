"""The security app's settings, with their documented defaults (as django-otp does)."""

from datetime import timedelta

from django.conf import settings

#: Paths that only staff with a verified second factor may reach. Everything under
#: these prefixes (with or without a language prefix such as /en/) is staff: the
#: Wagtail admin, the staff JSON API, and staff downloads and exports. New staff
#: pages, APIs, exports and attachment downloads go under one of these prefixes.
DEFAULT_STAFF_URL_PREFIXES = ("/admin/", "/api/v1/staff/", "/staff/")
#: Among staff paths, those answered as JSON (401/403) rather than by a redirect.
DEFAULT_STAFF_API_PREFIXES = ("/api/v1/staff/",)
#: The sign-in steps (password, code, enrolment, backup codes, sign-out). Outside
#: these and the staff prefixes a password-only session is treated as anonymous.
DEFAULT_SIGN_IN_URL_PREFIXES = ("/account/",)
DEFAULT_IDLE_TIMEOUT = timedelta(minutes=30)
DEFAULT_ABSOLUTE_TIMEOUT = timedelta(hours=12)
DEFAULT_BACKUP_CODE_COUNT = 10


def staff_url_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "STAFF_URL_PREFIXES", DEFAULT_STAFF_URL_PREFIXES))


def staff_api_prefixes() -> tuple[str, ...]:
    return tuple(getattr(settings, "STAFF_API_PREFIXES", DEFAULT_STAFF_API_PREFIXES))


def sign_in_url_prefixes() -> tuple[str, ...]:
    return tuple(
        getattr(settings, "SIGN_IN_URL_PREFIXES", DEFAULT_SIGN_IN_URL_PREFIXES)
    )


def idle_timeout() -> timedelta:
    return getattr(settings, "STAFF_SESSION_IDLE_TIMEOUT", DEFAULT_IDLE_TIMEOUT)


def absolute_timeout() -> timedelta:
    return getattr(settings, "STAFF_SESSION_ABSOLUTE_TIMEOUT", DEFAULT_ABSOLUTE_TIMEOUT)


def backup_code_count() -> int:
    return getattr(settings, "BACKUP_CODE_COUNT", DEFAULT_BACKUP_CODE_COUNT)


def lockout_window() -> timedelta:
    return getattr(settings, "AXES_COOLOFF_TIME", timedelta(minutes=15))
