"""The petitions app's settings, each with its documented default (as django-otp does).

Read through these functions, never `settings.X` directly, so tests can override a
setting and the defaults live in one place.
"""

from pathlib import Path

from django.conf import settings

#: Per-IP limits on submissions: (how many, within how many seconds). Burst, then
#: sustained. Reception staff registering in the admin are not limited.
DEFAULT_SUBMIT_LIMITS = ((5, 10 * 60), (20, 24 * 3600))
#: Per-IP limit on every submission attempt, refused ones included: corrections are
#: free under the limits above, but decoding uploads is not.
DEFAULT_SUBMIT_ATTEMPT_LIMITS = ((30, 10 * 60),)
#: Per-IP limit on tracking lookups (number + code), which guards the codes.
DEFAULT_LOOKUP_LIMITS = ((10, 60),)
#: Attachments: how many, how large each, and which kinds.
DEFAULT_MAX_ATTACHMENTS = 5
DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
#: Images larger than this many pixels are refused before decoding (a phone's
#: 50-megapixel photo passes; a decompression bomb does not).
DEFAULT_MAX_IMAGE_PIXELS = 60_000_000
#: A web form sent sooner than this after it was shown is treated as a robot's.
DEFAULT_MIN_FILL_SECONDS = 3
#: How long a signed form start time stays valid (a slow writer gets a day).
DEFAULT_MAX_FILL_SECONDS = 24 * 3600
#: Days to decide acceptance when no DeadlineRule says otherwise (DOMAIN.md).
DEFAULT_ACCEPT_DAYS = 15
#: Unit code that receives petitions whose category names no handling unit.
DEFAULT_UNIT_CODE = ""
#: Notices: how often a failed send is tried, and the wait before the next try.
DEFAULT_NOTICE_ATTEMPTS = 5
DEFAULT_NOTICE_RETRY_SECONDS = 300
#: SMS backend: console, locmem, http (a gateway at SMS_URL), or a dotted path.
DEFAULT_SMS_BACKEND = "console"
#: Privacy notice version a petitioner consents to; bump it when the text changes.
DEFAULT_PRIVACY_NOTICE_VERSION = "2026-11"
#: Share of last week's closed petitions sampled for follow-up calls (回访); every
#: unit with a closed petition gets at least one.
DEFAULT_FOLLOW_UP_SHARE = 0.1
#: Days back within which the same petitioner and category suggest a repeat.
DEFAULT_REPEAT_DAYS = 180
#: Days after the last reply within which a review (复查, then 复核) may be asked.
DEFAULT_REVIEW_REQUEST_DAYS = 30


def _get(name, default):
    return getattr(settings, name, default)


def submit_limits():
    return tuple(_get("PETITIONS_SUBMIT_LIMITS", DEFAULT_SUBMIT_LIMITS))


def submit_attempt_limits():
    return tuple(_get("PETITIONS_SUBMIT_ATTEMPT_LIMITS", DEFAULT_SUBMIT_ATTEMPT_LIMITS))


def lookup_limits():
    return tuple(_get("PETITIONS_LOOKUP_LIMITS", DEFAULT_LOOKUP_LIMITS))


def max_attachments() -> int:
    return _get("PETITIONS_MAX_ATTACHMENTS", DEFAULT_MAX_ATTACHMENTS)


def max_attachment_bytes() -> int:
    return _get("PETITIONS_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES)


def max_image_pixels() -> int:
    return _get("PETITIONS_MAX_IMAGE_PIXELS", DEFAULT_MAX_IMAGE_PIXELS)


def min_fill_seconds() -> float:
    return _get("PETITIONS_MIN_FILL_SECONDS", DEFAULT_MIN_FILL_SECONDS)


def max_fill_seconds() -> float:
    return _get("PETITIONS_MAX_FILL_SECONDS", DEFAULT_MAX_FILL_SECONDS)


def accept_days() -> int:
    return _get("PETITIONS_ACCEPT_DAYS", DEFAULT_ACCEPT_DAYS)


def default_unit_code() -> str:
    return _get("PETITIONS_DEFAULT_UNIT", DEFAULT_UNIT_CODE)


def notice_attempts() -> int:
    return _get("PETITIONS_NOTICE_ATTEMPTS", DEFAULT_NOTICE_ATTEMPTS)


def notice_retry_seconds() -> int:
    return _get("PETITIONS_NOTICE_RETRY_SECONDS", DEFAULT_NOTICE_RETRY_SECONDS)


def sms_backend() -> str:
    return _get("SMS_BACKEND", DEFAULT_SMS_BACKEND)


def sms_url() -> str:
    return _get("SMS_URL", "")


def sms_token() -> str:
    return _get("SMS_TOKEN", "")


def privacy_notice_version() -> str:
    return _get("PETITIONS_PRIVACY_NOTICE_VERSION", DEFAULT_PRIVACY_NOTICE_VERSION)


def private_media_root() -> Path:
    """Attachments live here, outside MEDIA_ROOT and STATIC_ROOT: never served."""
    return Path(_get("PRIVATE_MEDIA_ROOT", Path(settings.DATA_DIR) / "private"))


def follow_up_share() -> float:
    return float(_get("PETITIONS_FOLLOW_UP_SHARE", DEFAULT_FOLLOW_UP_SHARE))


def repeat_days() -> int:
    return int(_get("PETITIONS_REPEAT_DAYS", DEFAULT_REPEAT_DAYS))


def review_request_days() -> int:
    return int(_get("PETITIONS_REVIEW_REQUEST_DAYS", DEFAULT_REVIEW_REQUEST_DAYS))
