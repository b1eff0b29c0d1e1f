"""Staff roles exist as Wagtail groups; no seeded role holds two admin powers."""

import io
import re
import time
from base64 import b32decode

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import translation
from django_otp.oath import TOTP

from portal.security.demo import demo_username
from portal.security.roles import ROLE_LABELS, powers_of

pytestmark = pytest.mark.django_db

ROLES = [
    "Editor",
    "Moderator",
    "Reception",
    "Handler",
    "Unit head",
    "Supervisor",
    "Security administrator",
    "Auditor",
]


def group_permissions(group) -> set[str]:
    return {
        f"{app}.{codename}"
        for app, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def test_migration_creates_every_role():
    """The eight roles are there after `migrate`, each allowed into the admin."""
    for name in ROLES:
        group = Group.objects.get(name=name)
        assert "wagtailadmin.access_admin" in group_permissions(group)


def test_no_role_holds_two_administrative_powers():
    """System, security and audit administration are never held together."""
    for group in Group.objects.filter(name__in=ROLES):
        assert len(powers_of(group_permissions(group))) <= 1, group.name
    assert powers_of(group_permissions(Group.objects.get(name="Auditor"))) == {"audit"}
    assert powers_of(
        group_permissions(Group.objects.get(name="Security administrator"))
    ) == {"security administration"}


def test_role_names_read_in_chinese():
    """Role names have Chinese translations."""
    with translation.override("zh-hans"):
        assert str(ROLE_LABELS["Auditor"]) == "审计员"
        assert str(ROLE_LABELS["Unit head"]) == "单位负责人"


def test_seed_demo_creates_one_user_per_role_and_prints_secrets_once():
    """Each role gets a demo user whose TOTP secret is printed on creation only."""
    first, second = io.StringIO(), io.StringIO()
    call_command("seed_demo", stdout=first)
    call_command("seed_demo", stdout=second)
    User = get_user_model()
    for role in ROLES:
        user = User.objects.get(username=demo_username(role))
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.totpdevice_set.get().confirmed
    assert first.getvalue().count("TOTP secret:") == len(ROLES)
    assert "TOTP secret" not in second.getvalue()


def test_demo_auditor_can_sign_in_with_the_printed_secret(client):
    """The printed password and secret are enough to reach the admin."""
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "'demo-auditor'" in x)
    password = re.search(r"password: (\S+)", line)[1]
    secret = re.search(r"TOTP secret: (\S+)", line)[1]
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key)
    if time.time() % totp.step > totp.step - 2:  # the code would expire in transit
        time.sleep(2)
    totp.time = time.time()
    client.post("/account/sign-in/", {"username": "demo-auditor", "password": password})
    client.post("/account/verify/", {"otp_token": f"{totp.token():06d}"})
    assert client.get("/admin/").status_code == 200
