"""A person signs in through a real browser: password, code, admin; CSP holds."""

import time

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security.roles import sync_roles

from .conftest import STAFF_PASSWORD, follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


def csp_violations(page) -> list[str]:
    """Collect the browser's Content-Security-Policy complaints for this page."""
    found = []
    page.on(
        "console",
        lambda message: (
            found.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return found


def test_enrol_then_sign_in_with_a_code(
    live_server, phone_page, screenshot, django_user_model
):
    """First sign-in shows a QR code; its code opens the admin, with no CSP errors."""
    user = django_user_model.objects.create_user(
        "browser-handler", password=STAFF_PASSWORD
    )
    sync_roles(apps)  # a transactional test may start after a flush
    user.groups.add(Group.objects.get(name="Handler"))
    violations = csp_violations(phone_page)
    phone_page.goto(f"{live_server.url}/admin/")
    assert "/account/sign-in/" in phone_page.url
    phone_page.fill("input[name=username]", "browser-handler")
    phone_page.fill("input[name=password]", STAFF_PASSWORD)
    follow(phone_page, phone_page.locator(".security-panel button[type=submit]").click)
    assert phone_page.url.endswith("/account/enrol/")
    assert phone_page.locator(".security-qr svg").count() == 1
    screenshot(phone_page, "enrol")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    phone_page.fill("input[name=otp_token]", current_code(device))
    follow(phone_page, phone_page.locator(".security-panel button[type=submit]").click)
    assert phone_page.locator(".security-codes li").count() == 10
    screenshot(phone_page, "backup-codes")
    follow(phone_page, phone_page.locator(".security-panel a.button").click)
    assert phone_page.url.endswith("/admin/")
    phone_page.wait_for_load_state("networkidle")
    phone_page.goto("about:blank")  # no request in flight when the database resets
    assert violations == []


def test_admin_works_under_its_scoped_policy(
    live_server, browser, staff_client_for, django_user_model
):
    """The admin dashboard and page editor load without CSP violations."""
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(language_code="zh-hans")
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root")
    )
    page_to_edit = root.add_child(instance=Page(title="CSP check", slug="csp-check"))
    user = django_user_model.objects.create_superuser("csp-admin", password="x")
    client = staff_client_for(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": session_key,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_load_state("networkidle")
    assert page.locator("main").count() >= 1
    page.goto(f"{live_server.url}/admin/pages/{page_to_edit.pk}/edit/")
    page.wait_for_load_state("networkidle")
    assert "/admin/pages/" in page.url
    page.goto("about:blank")  # no request in flight when the database resets
    context.close()
    assert violations == []
