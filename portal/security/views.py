"""Staff sign-in: password, then a code; enrolment; backup codes; sign-out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, logout
from django.contrib.auth import login as auth_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit, conf
from .forms import CodeForm, EnrolForm, RegenerateBackupCodesForm, SignInForm
from .models import BackupCodeDevice
from .otp import (
    CodeCheck,
    base32_secret,
    check_code,
    check_device,
    check_enrolment_code,
    failure_message,
    has_confirmed_device,
    pending_totp_device,
    qr_svg,
)
from .sessions import NEXT_URL, rotate_key

DEFAULT_NEXT = "/admin/"
FEW_BACKUP_CODES = 3


def sign_in_step(*sensitive_fields):
    """The decorators every step of the sign-in flow shares."""

    def decorate(view):
        view = require_http_methods(["GET", "POST"])(view)
        view = never_cache(view)
        view = csrf_protect(view)
        return sensitive_post_parameters(*sensitive_fields)(view)

    return decorate


def _safe_next(request, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, request.is_secure()
    ):
        return candidate
    return DEFAULT_NEXT


def _is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def _after_password_url(user) -> str:
    return reverse(
        "security_verify" if has_confirmed_device(user) else "security_enrol"
    )


def _lockout_message() -> str:
    minutes = int(conf.lockout_window().total_seconds() // 60)
    return ngettext(
        "Too many failed sign-in attempts for this account from your address. "
        "Sign-in is locked for %(minutes)d minute; ask a security administrator "
        "if you need access sooner.",
        "Too many failed sign-in attempts for this account from your address. "
        "Sign-in is locked for %(minutes)d minutes; ask a security administrator "
        "if you need access sooner.",
        minutes,
    ) % {"minutes": minutes}


def _render_sign_in(request, form, status=200):
    return render(
        request,
        "security/sign_in.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next")},
        status=status,
    )


@sign_in_step("password")
def sign_in(request):
    """Step one: the password. The session key changes when it succeeds."""
    user = request.user
    if user.is_authenticated:
        if _is_verified(user):
            return redirect(_safe_next(request, request.GET.get("next")))
        return redirect(_after_password_url(user))
    form = SignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = authenticate(
            request,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],
        )
        if getattr(request, "axes_locked_out", False):
            form.add_error(None, _lockout_message())
            return _render_sign_in(request, form, status=429)
        if user is None:
            form.add_error(None, _("The username or password is not correct."))
        else:
            auth_login(request, user)  # rotates the session key
            request.session[NEXT_URL] = _safe_next(request, request.POST.get("next"))
            return redirect(_after_password_url(user))
    return _render_sign_in(request, form)


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a username+IP pair is locked out."""
    form = SignInForm(request.POST or None)
    form.is_valid()
    form.add_error(None, _lockout_message())
    return _render_sign_in(request, form, status=429)


def _finish_second_factor(request, device, method: str):
    otp_login(request, device)
    rotate_key(request)
    audit.record(request, "sign_in.second_factor", obj=device, method=method)
    return request.session.pop(NEXT_URL, DEFAULT_NEXT)


@sign_in_step("otp_token")
def verify(request):
    """Step two: a code from the authenticator app or a backup code."""
    user = request.user
    if not user.is_authenticated:
        return redirect("security_sign_in")
    if _is_verified(user):
        return redirect(request.session.get(NEXT_URL, DEFAULT_NEXT))
    if not has_confirmed_device(user):
        return redirect("security_enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = check_code(user, form.cleaned_data["otp_token"])
        if result.ok:
            method = "backup_code" if result.is_backup_code else "totp"
            target = _finish_second_factor(request, result.device, method)
            if result.is_backup_code:
                left = result.device.remaining()
                audit.record(request, "backup_code.used", obj=result.device, left=left)
                if left <= FEW_BACKUP_CODES:
                    messages.warning(
                        request,
                        ngettext(
                            "You have %(count)d backup code left. Make new ones "
                            "from your account's two-factor page.",
                            "You have %(count)d backup codes left. Make new ones "
                            "from your account's two-factor page.",
                            left,
                        )
                        % {"count": left},
                    )
            return redirect(target)
        audit.record(
            request,
            "sign_in.second_factor",
            obj=result.device,
            success=False,
            reason=result.reason,
        )
        form.add_error("otp_token", result.message)
    return render(request, "security/verify.html", {"form": form})


@sign_in_step("otp_token")
def enrol(request):
    """First sign-in: scan the QR code, confirm with a first code, get backup codes."""
    user = request.user
    if not user.is_authenticated:
        return redirect("security_sign_in")
    if has_confirmed_device(user):
        return redirect("security_verify")
    device = pending_totp_device(user)
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["otp_token"].replace(" ", "")
        result = check_enrolment_code(device, token)
        if result.ok:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            audit.record(request, "device.enrolled", obj=device, kind="totp")
            codes = _new_backup_codes(request, "backup_codes.generated")
            target = _finish_second_factor(request, device, "totp")
            return _render_codes(request, codes, target)
        audit.record(
            request, "device.enrolled", obj=device, success=False, reason=result.reason
        )
        form.add_error("otp_token", result.message)
    return render(
        request,
        "security/enrol.html",
        {
            "form": form,
            "qr_svg": qr_svg(device.config_url),
            "secret": base32_secret(device),
            "issuer": settings.WAGTAIL_SITE_NAME,
        },
    )


def _new_backup_codes(request, action: str) -> list[str]:
    backup, _created = BackupCodeDevice.objects.get_or_create(
        user=request.user, defaults={"name": "backup codes", "confirmed": True}
    )
    codes = backup.replace_codes()
    audit.record(request, action, obj=backup)
    return codes


def _render_codes(request, codes, continue_url):
    response = render(
        request,
        "security/backup_codes.html",
        {"codes": codes, "continue_url": continue_url},
    )
    response["Cache-Control"] = "no-store"
    return response


@sign_in_step("password", "otp_token")
def regenerate_backup_codes(request):
    """New backup codes replace the old ones, after the password and a fresh code."""
    user = request.user
    if not user.is_authenticated or not _is_verified(user):
        return redirect(f"{reverse('security_sign_in')}?next={request.path}")
    form = RegenerateBackupCodesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        totp = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        password_ok = user.check_password(form.cleaned_data["password"])
        token = form.cleaned_data["otp_token"].replace(" ", "")
        result = (
            check_device(totp, token)
            if totp
            else CodeCheck(None, False, "wrong", failure_message("wrong"))
        )
        if password_ok and result.ok:
            codes = _new_backup_codes(request, "backup_codes.regenerated")
            return _render_codes(request, codes, DEFAULT_NEXT)
        audit.record(
            request,
            "backup_codes.regenerated",
            success=False,
            reason="password" if not password_ok else result.reason,
        )
        if not password_ok:
            form.add_error("password", _("The password is not correct."))
        if not result.ok:
            form.add_error("otp_token", result.message)
    return render(request, "security/regenerate.html", {"form": form})


@require_POST
@csrf_protect
def sign_out(request):
    """End the session on the server, not just in the browser."""
    logout(request)
    messages.info(request, _("You have signed out."))
    return redirect("security_sign_in")
