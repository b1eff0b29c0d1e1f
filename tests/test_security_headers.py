"""Security headers: strict CSP on our pages, a scoped one for the admin, no caching."""

import pytest

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {
        part.strip().split(" ", 1)[0]: part.strip()
        for part in policy.split(";")
        if part.strip()
    }


def test_public_pages_get_a_strict_policy_and_the_usual_headers(client, demo_site):
    """Our pages allow no inline script or style and send the other headers."""
    response = client.get("/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives(response)["script-src"] == "script-src 'self'"
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert response["X-Frame-Options"] == "DENY"


def test_sign_in_pages_use_the_strict_policy(client):
    """The sign-in page, with its form, needs no inline code either."""
    response = client.get("/account/sign-in/")
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_admin_relaxations_stay_under_admin(otp_client):
    """Wagtail admin gets inline styles and scripts; nothing else does."""
    response = otp_client.get("/admin/")
    assert response.status_code == 200
    assert "'unsafe-inline'" in directives(response)["style-src"]
    assert "no-store" in response["Cache-Control"]
    public = otp_client.get("/account/sign-in/")
    assert "unsafe-inline" not in public["Content-Security-Policy"]


def test_refusals_carry_the_headers_too(client):
    """Even the redirect away from a staff URL has CSP, Permissions-Policy, no-store."""
    response = client.get("/admin/pages/")
    assert response.status_code == 302
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.fixture
def production_security(monkeypatch):
    """The HTTPS settings exactly as portal.settings.production computes them."""
    import importlib
    import sys

    from django.test import override_settings

    from .test_settings import PRODUCTION_ENV

    for name, value in PRODUCTION_ENV.items():
        monkeypatch.setenv(name, value)
    sys.modules.pop("portal.settings.production", None)
    production = importlib.import_module("portal.settings.production")
    sys.modules.pop("portal.settings.production", None)
    names = [
        name
        for name in dir(production)
        if name.startswith(("SECURE_", "SESSION_COOKIE_", "CSRF_COOKIE_"))
    ]
    with override_settings(**{name: getattr(production, name) for name in names}):
        yield


def test_production_redirects_plain_http_to_https(client, production_security):
    """A page asked for over HTTP is sent to the same address over HTTPS."""
    response = client.get("/account/sign-in/?next=/admin/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/account/sign-in/?next=/admin/"


def test_production_sends_hsts_over_https(client, production_security):
    """Behind the proxy (X-Forwarded-Proto: https) pages carry HSTS for a year."""
    response = client.get("/account/sign-in/", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert (
        response["Strict-Transport-Security"]
        == "max-age=31536000; includeSubDomains; preload"
    )
    assert response.cookies["__Host-csrftoken"]["secure"]


def test_health_probe_over_http_gets_its_json(client, production_security):
    """The load balancer's plain-HTTP probe of /healthz is answered, not redirected."""
    response = client.get("/healthz")
    assert response.status_code in (200, 503)
    assert "database" in response.json()["checks"]
