"""Security administrators' screen: reset a lost second factor, lift a lock-out."""

from axes.models import AccessAttempt
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import BackupCodeDevice
from .roles import SECURITY_ADMINISTRATOR, holds_role

MANAGE_PERMISSION = "security.manage_second_factors"


def is_security_administrator(user) -> bool:
    return holds_role(user, SECURITY_ADMINISTRATOR, MANAGE_PERMISSION)


class SecondFactorsView(TemplateView):
    """List staff with their second factors and lock-outs; reset or unlock one."""

    template_name = "security/admin/second_factors.html"
    page_title = gettext_lazy("Two-factor sign-in")

    def dispatch(self, request, *args, **kwargs):
        if not is_security_administrator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        User = get_user_model()
        enrolled = set(
            TOTPDevice.objects.filter(confirmed=True).values_list("user_id", flat=True)
        )
        backup = {
            device.user_id: device.remaining()
            for device in BackupCodeDevice.objects.all()
        }
        locked = set(
            AccessAttempt.objects.values_list("username", flat=True).distinct()
        )
        rows = [
            {
                "user": user,
                "enrolled": user.pk in enrolled,
                "backup_codes_left": backup.get(user.pk),
                "has_failed_attempts": user.get_username() in locked,
            }
            for user in User.objects.filter(is_active=True).order_by("username")
        ]
        return {
            **super().get_context_data(**kwargs),
            "rows": rows,
            "page_title": self.page_title,
            "header_icon": "key",
        }

    def post(self, request, *args, **kwargs):
        user_id = request.POST.get("user_id", "")
        if not user_id.isdigit():
            raise Http404
        user = get_object_or_404(get_user_model(), pk=int(user_id))
        action = request.POST.get("action")
        if action == "reset":
            with transaction.atomic():
                # Deleting each device writes its own "device.removed" entry.
                for device in [
                    *TOTPDevice.objects.filter(user=user),
                    *BackupCodeDevice.objects.filter(user=user),
                ]:
                    device.delete()
            audit.record(request, "second_factor.reset", obj=user)
            messages.success(
                request,
                _(
                    "Two-factor sign-in for %(user)s was reset: they will set up a "
                    "new authenticator at their next sign-in."
                )
                % {"user": user.get_username()},
            )
        elif action == "unlock":
            AccessAttempt.objects.filter(username=user.get_username()).delete()
            audit.record(request, "sign_in.unlocked", obj=user)
            messages.success(
                request,
                _("Sign-in for %(user)s is unlocked.") % {"user": user.get_username()},
            )
        else:
            messages.error(request, _("Unknown action."))
        return redirect("security_second_factors")
