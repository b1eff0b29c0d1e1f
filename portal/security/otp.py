"""Second-factor checks shared by the sign-in, enrolment and regeneration views."""

import time
from dataclasses import dataclass
from io import BytesIO

import qrcode
import qrcode.image.svg
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import BackupCodeDevice

TOTP_DEVICE_NAME = "authenticator"
# How many steps back a code still counts as "expired" rather than simply wrong.
EXPIRED_WINDOW_STEPS = 10


def has_confirmed_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_totp_device(user) -> TOTPDevice:
    """The unconfirmed authenticator device being enrolled (created on first visit).

    tolerance 0: only the current 30-second step is accepted. The phone's clock
    drift is learnt once, when the enrolment is confirmed (`check_enrolment_code`).
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(
            user=user, name=TOTP_DEVICE_NAME, confirmed=False, tolerance=0
        )
    return device


def qr_svg(text: str) -> str:
    """The QR code as inline SVG markup, drawn on the server (no script, no CDN)."""
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    # Drop the XML declaration: the markup is embedded in an HTML page.
    return svg[svg.index("<svg") :]


def base32_secret(device: TOTPDevice) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@dataclass
class CodeCheck:
    device: object | None
    ok: bool
    reason: str = ""  # "wrong", "expired", "replayed", "throttled"
    message: str = ""
    is_backup_code: bool = False


def _totp_step_matches(device: TOTPDevice, token: int, steps_back: int) -> bool:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() - steps_back * device.step
    return totp.token() == token


def classify_totp_failure(device: TOTPDevice, token: str) -> str:
    """Tell a replayed or expired code from a wrong one, for a clearer message."""
    try:
        value = int(token)
    except (TypeError, ValueError):
        return "wrong"
    if _totp_step_matches(device, value, 0):
        return "replayed"
    if any(
        _totp_step_matches(device, value, back)
        for back in range(1, EXPIRED_WINDOW_STEPS + 1)
    ):
        return "expired"
    return "wrong"


def failure_message(reason: str, wait_seconds: int | None = None) -> str:
    if reason == "throttled":
        seconds = max(int(wait_seconds or 1), 1)
        return ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            seconds,
        ) % {"seconds": seconds}
    if reason == "replayed":
        return _(
            "This code has already been used. Wait for the next code in your "
            "authenticator app."
        )
    if reason == "expired":
        return _(
            "This code has expired. Enter the code your authenticator app shows now."
        )
    return _("That code is not correct. Check it and try again.")


def _throttle_wait(device) -> int | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until is None:
        return 1
    from django.utils import timezone

    return int((locked_until - timezone.now()).total_seconds()) + 1


def looks_like_backup_code(token: str) -> bool:
    cleaned = "".join(ch for ch in token if ch.isalnum())
    return not cleaned.isdigit()


def check_code(user, token: str) -> CodeCheck:
    """Verify a TOTP or backup code for a user with confirmed devices."""
    token = (token or "").strip()
    if looks_like_backup_code(token):
        device = BackupCodeDevice.objects.filter(user=user, confirmed=True).first()
        is_backup = True
    else:
        token = token.replace(" ", "")
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        is_backup = False
    if device is None:
        return CodeCheck(None, False, "wrong", failure_message("wrong"), is_backup)
    return check_device(device, token, is_backup)


def check_device(device, token: str, is_backup: bool = False) -> CodeCheck:
    wait = _throttle_wait(device)
    if wait is not None:
        return CodeCheck(
            device, False, "throttled", failure_message("throttled", wait), is_backup
        )
    if device.verify_token(token):
        return CodeCheck(device, True, is_backup_code=is_backup)
    reason = "wrong" if is_backup else classify_totp_failure(device, token)
    if is_backup:
        message = _(
            "That backup code is not correct or has already been used. Each backup "
            "code works once."
        )
    else:
        message = failure_message(reason)
    return CodeCheck(device, False, reason, message, is_backup)


#: Steps either way a new authenticator's first code may be off by.
ENROLMENT_TOLERANCE = 1


def check_enrolment_code(device: TOTPDevice, token: str) -> CodeCheck:
    """Confirm a new authenticator, its clock allowed one step off this one time.

    With tolerance 0 django-otp never has a chance to learn drift (it records the
    offset at which a code matched, OTP_TOTP_SYNC), so a phone 30 seconds slow
    could never sign in. At enrolment the code may match one step either way; the
    offset is kept as the device's drift and tolerance is 0 again afterwards.
    """
    device.tolerance = ENROLMENT_TOLERANCE
    try:
        return check_device(device, token)
    finally:
        device.tolerance = 0
        device.save(update_fields=["tolerance"])


def confirmed_devices(user):
    return list(devices_for_user(user, confirmed=True))
