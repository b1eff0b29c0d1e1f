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
