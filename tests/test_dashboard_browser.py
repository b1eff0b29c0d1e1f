"""The figures dashboard and the transparency page pass an axe-core audit and fit
a phone."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_history(transactional_db, live_server):
    from wagtail.models import Locale, Page

    from home import demo as home_demo
    from petitions import demo, demo_history

    locale = Locale.objects.get_or_create(language_code="zh-hans")[0]
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=locale)
    home_demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    demo_history.seed_history(400)
    return live_server


def serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} "
        f"({[node['target'] for node in violation['nodes']][:3]})"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_transparency_page_is_accessible_on_a_phone(
    live_history, phone_page, screenshot
):
    """Both languages: no serious axe violations, no sideways scrolling."""
    problems = {}
    for path in ("/transparency/", "/en/transparency/"):
        phone_page.goto(live_history.url + path)
        assert phone_page.locator("table").count() == 2
        assert phone_page.evaluate(
            "document.documentElement.scrollWidth <= window.innerWidth"
        )
        found = serious(phone_page)
        if found:
            problems[path] = found
        screenshot(phone_page, path.strip("/").replace("/", "-"))
    phone_page.goto("about:blank")
    assert not problems, problems


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 900}, None])
def test_dashboard_is_accessible(
    live_history, browser, staff_client_for, django_user_model, screenshot, viewport
):
    """Panels, chart with its table and breakdowns: no serious axe violations."""
    user = django_user_model.objects.create_superuser("figures-admin", password="x")
    client = staff_client_for(user)
    context = browser.new_context(
        viewport=viewport or {"width": 390, "height": 844},
        is_mobile=viewport is None,
    )
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_history.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(f"{live_history.url}/admin/petitions/figures/?period=12m")
    page.wait_for_load_state("networkidle")
    assert page.locator("svg[role=img]").count() == 1
    assert page.locator(".figures-panel").count() >= 14
    found = serious(page)
    screenshot(page, "dashboard-phone" if viewport is None else "dashboard-wide")
    page.goto("about:blank")
    context.close()
    assert not found, found
