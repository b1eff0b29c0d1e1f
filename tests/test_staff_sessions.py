"""Staff sessions end when idle, when old, on sign-out and when the user is disabled."""

import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.urls import reverse
from freezegun import freeze_time

from portal.security.models import AuditEntry

from .test_settings import PRODUCTION_ENV, ROOT

pytestmark = pytest.mark.django_db


def test_idle_session_ends_after_thirty_minutes(otp_client):
    """31 idle minutes later the admin asks for sign-in again, saying why."""
    with freeze_time() as clock:
        assert otp_client.get("/admin/").status_code == 200
        clock.tick(timedelta(minutes=29))
        assert otp_client.get("/admin/").status_code == 200
        clock.tick(timedelta(minutes=31))
        response = otp_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/")
    assert "expired=idle" in response["Location"]
    assert AuditEntry.objects.filter(action="session.expired").exists()


def test_pages_within_a_minute_do_not_write_the_session(otp_client):
    """The last activity is noted at most once a minute, not on every page (a
    database write each); idle time still counts from the note."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def session_writes():
        with CaptureQueriesContext(connection) as queries:
            assert otp_client.get("/admin/").status_code == 200
        return [q for q in queries if q["sql"].startswith('UPDATE "django_session"')]

    with freeze_time() as clock:
        session_writes()
        clock.tick(timedelta(seconds=30))
        assert session_writes() == []
        clock.tick(timedelta(seconds=31))
        assert len(session_writes()) == 1
        clock.tick(timedelta(minutes=29, seconds=30))
        assert otp_client.get("/admin/").status_code == 200
        clock.tick(timedelta(minutes=30, seconds=1))
        response = otp_client.get("/admin/")
    assert "expired=idle" in response["Location"]


def test_active_session_still_ends_after_twelve_hours(otp_client):
    """Even a busy session ends twelve hours after sign-in."""
    with freeze_time() as clock:
        for _step in range(35):
            clock.tick(timedelta(minutes=20))
            response = otp_client.get("/admin/")
        assert response.status_code == 200
        clock.tick(timedelta(minutes=21))
        response = otp_client.get("/admin/")
    assert response.status_code == 302
    assert "expired=absolute" in response["Location"]


def test_sign_out_deletes_the_server_session(otp_client):
    """After signing out, the old session id is gone from the server."""
    key = otp_client.cookies[settings.SESSION_COOKIE_NAME].value
    assert SessionStore(session_key=key).exists(key)
    response = otp_client.post(reverse("security_sign_out"))
    assert response.status_code == 302
    assert not SessionStore(session_key=key).exists(key)
    assert otp_client.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(action="sign_out").exists()


def test_wagtail_sign_out_also_ends_the_session(otp_client):
    """Wagtail's own sign-out button ends the server session too."""
    key = otp_client.cookies[settings.SESSION_COOKIE_NAME].value
    otp_client.post(reverse("wagtailadmin_logout"))
    assert not SessionStore(session_key=key).exists(key)


def test_disabling_a_user_ends_all_their_sessions(staff_client_for, django_user_model):
    """Unticking 'active' signs the user out of every browser at once."""
    user = django_user_model.objects.create_superuser("two-browsers", password="x")
    first, second = staff_client_for(user), staff_client_for(user)
    keys = [c.cookies[settings.SESSION_COOKIE_NAME].value for c in (first, second)]
    user.is_active = False
    user.save()
    assert not any(SessionStore(session_key=key).exists(key) for key in keys)
    assert first.get("/admin/").status_code == 302
    assert AuditEntry.objects.filter(action="user.deactivated").exists()


def test_session_cookie_is_http_only_and_same_site(otp_client):
    """The session cookie cannot be read by scripts nor sent cross-site."""
    response = otp_client.get("/admin/")
    assert response.status_code == 200
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE in {"Lax", "Strict"}
    assert settings.SESSION_COOKIE_AGE == 12 * 3600


def test_production_cookies_are_secure_and_host_prefixed():
    """Production names the cookies __Host-… and sends them over HTTPS only."""
    script = (
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_NAME, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_NAME,"
        " s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    env = {"DJANGO_SETTINGS_MODULE": "portal.settings.production", **PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", f"import django;django.setup();{script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == [
        "__Host-sessionid",
        "True",
        "__Host-csrftoken",
        "True",
        "True",
        "31536000",
    ], result.stderr
