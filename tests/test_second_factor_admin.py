"""Security administrators reset a lost second factor and lift lock-outs."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security.models import AuditEntry, BackupCodeDevice

pytestmark = pytest.mark.django_db

URL = "/admin/two-factor/"


@pytest.fixture
def security_admin_client(staff_client_for, django_user_model):
    user = django_user_model.objects.create_user("secadmin", password="x")
    user.groups.add(Group.objects.get(name="Security administrator"))
    return staff_client_for(user)


@pytest.fixture
def handler(django_user_model):
    user = django_user_model.objects.create_user("lost-phone", password="x")
    TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    backup = BackupCodeDevice.objects.create(user=user, name="backup codes")
    backup.replace_codes()
    return user


def test_security_administrator_resets_a_lost_phone(security_admin_client, handler):
    """Reset removes the devices, logs each removal, and forces re-enrolment."""
    page = security_admin_client.get(URL)
    assert page.status_code == 200 and "lost-phone" in page.content.decode()
    response = security_admin_client.post(
        URL, {"user_id": handler.pk, "action": "reset"}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=handler).exists()
    assert not BackupCodeDevice.objects.filter(user=handler).exists()
    removed = AuditEntry.objects.filter(action="device.removed")
    assert removed.count() == 2
    assert {entry.actor_username for entry in removed} == {"secadmin"}
    assert AuditEntry.objects.filter(action="second_factor.reset").exists()


def test_security_administrator_unlocks_a_locked_account(
    security_admin_client, handler
):
    """Unlock forgets the failed attempts for that username."""
    AccessAttempt.objects.create(
        username="lost-phone",
        ip_address="198.51.100.7",
        user_agent="test",
        failures_since_start=10,
        get_data="",
        post_data="",
        http_accept="",
        path_info="/account/sign-in/",
    )
    security_admin_client.post(URL, {"user_id": handler.pk, "action": "unlock"})
    assert not AccessAttempt.objects.filter(username="lost-phone").exists()
    assert AuditEntry.objects.filter(action="sign_in.unlocked").exists()


def test_others_cannot_reset_second_factors(otp_client, staff_client_for, handler):
    """Neither a superuser nor an auditor holds security administration."""
    assert otp_client.get(URL).status_code in {302, 403}
    otp_client.post(URL, {"user_id": handler.pk, "action": "reset"})
    assert TOTPDevice.objects.filter(user=handler).exists()


def test_bad_requests_do_not_break_the_screen(security_admin_client, handler):
    """An unknown action or user gives a message or 404, never a 500."""
    response = security_admin_client.post(
        URL, {"user_id": handler.pk, "action": "explode"}
    )
    assert response.status_code == 302
    assert security_admin_client.post(URL, {"user_id": 999999}).status_code == 404
    assert security_admin_client.post(URL, {"user_id": "x"}).status_code in {400, 404}


def test_account_page_links_to_new_backup_codes(otp_client):
    """Every staff member finds 'New backup codes' on their Wagtail account page."""
    page = otp_client.get("/admin/account/").content.decode()
    assert "/account/backup-codes/" in page
