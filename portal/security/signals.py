"""Audit entries for events that happen outside our views, and session clean-up."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .models import BackupCodeDevice
from .sessions import remember_session, start_clocks

User = get_user_model()


@receiver(user_logged_in)
def on_password_sign_in(sender, request, user, **kwargs):
    if request is None or not hasattr(request, "session"):
        return
    start_clocks(request)
    remember_session(request, user)
    audit.record(request, "sign_in.password", user=user)


@receiver(user_login_failed)
def on_sign_in_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username", "")
    locked = bool(getattr(request, "axes_locked_out", False))
    audit.record(
        request,
        "sign_in.password",
        success=False,
        username=username,
        reason="locked_out" if locked else "wrong_credentials",
    )


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs):
    audit.record(request, "sign_in.locked_out", success=False, username=username)


@receiver(user_logged_out)
def on_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record(request, "sign_out", user=user)


#: The flags on the user row that grant or take away power, audited as role changes.
POWER_FLAGS = ("is_superuser", "is_staff", "is_active")


@receiver(pre_save, sender=User)
def remember_power_flags(sender, instance, update_fields=None, **kwargs):
    """Note the flags as stored before this save, to compare after it."""
    instance._power_flags_before = None
    if instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(POWER_FLAGS):
        return  # e.g. last_login at every sign-in: no flag can change
    instance._power_flags_before = (
        User.objects.filter(pk=instance.pk).values(*POWER_FLAGS).first()
    )


@receiver(post_save, sender=User)
def on_power_flags_changed(sender, instance, created, **kwargs):
    """Superuser, staff or active switched on or off is a role change (audited);
    turning `is_active` off also signs the user out everywhere at once."""
    before = getattr(instance, "_power_flags_before", None)
    instance._power_flags_before = None
    if created:
        before = {
            "is_superuser": False,
            "is_staff": False,
            "is_active": instance.is_active,
        }
    if before is None:
        return
    changed = {
        flag: bool(getattr(instance, flag))
        for flag in POWER_FLAGS
        if bool(getattr(instance, flag)) != bool(before[flag])
    }
    if not changed:
        return
    audit.record(
        None,
        "role.changed",
        obj=instance,
        change="flags",
        users=[str(instance.pk)],
        switched_on=sorted(flag for flag, value in changed.items() if value),
        switched_off=sorted(flag for flag, value in changed.items() if not value),
    )
    if changed.get("is_active") is False:
        from .sessions import end_user_sessions

        ended = end_user_sessions(instance)
        audit.record(None, "user.deactivated", obj=instance, sessions_ended=ended)


@receiver(m2m_changed, sender=User.groups.through)
def on_role_change(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if action != "post_clear" and not pk_set:
        return  # nothing was actually added or removed
    if reverse:  # group.user_set.add(user)
        users = [str(pk) for pk in pk_set or ()]
        groups = [instance.name]
    else:
        users = [str(instance.pk)]
        groups = list(
            Group.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True)
        )
    audit.record(
        None,
        "role.changed",
        obj=instance,
        change=action.removeprefix("post_"),
        users=users,
        groups=groups,
    )


@receiver(m2m_changed, sender=Group.permissions.through)
def on_role_permissions_change(sender, instance, action, pk_set, reverse, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    if action != "post_clear" and not pk_set:
        return
    audit.record(
        None,
        "role.permissions_changed",
        obj=instance,
        change=action.removeprefix("post_"),
        permissions=sorted(pk_set or ()),
    )


@receiver(post_delete, sender=TOTPDevice)
@receiver(post_delete, sender=BackupCodeDevice)
def on_device_removed(sender, instance, **kwargs):
    audit.record(
        None,
        "device.removed",
        obj=instance,
        owner=instance.user_id,
        kind=sender._meta.model_name,
    )
