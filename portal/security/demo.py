"""Demo staff: one user per role, each with a known TOTP secret printed once."""

import secrets
from base64 import b32encode

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from .roles import ROLE_PERMISSIONS, sync_roles


def demo_username(role: str) -> str:
    return "demo-" + role.lower().replace(" ", "-")


def seed(stdout) -> list:
    """Create missing demo users; print password and secret only for new ones."""
    sync_roles(apps)
    User = get_user_model()
    created = []
    for role in ROLE_PERMISSIONS:
        username = demo_username(role)
        if User.objects.filter(username=username).exists():
            continue
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username, f"{username}@example.invalid", password, is_staff=False
        )
        user.groups.add(Group.objects.get(name=role))
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", confirmed=True, tolerance=0
        )
        secret = b32encode(device.bin_key).decode("ascii").rstrip("=")
        stdout.write(
            f"Created demo user '{username}' ({role}) with password: {password} "
            f"and TOTP secret: {secret} "
            f"(otpauth URI: {device.config_url})"
        )
        created.append(user)
    if created:
        stdout.write(
            f"Add the secrets to an authenticator app as '{settings.OTP_TOTP_ISSUER}' "
            "(time-based, 6 digits, 30 seconds); they are not shown again."
        )
    return created
