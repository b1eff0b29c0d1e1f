"""In a real browser at phone size: the reader's journey from home to the right
channel, and an axe-core audit of the main page types in both languages and in
large-text mode. JavaScript is off for the journey: pages must work without it."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUDITED = {
    "zh-hans": {
        "home": "/",
        "guide": "/guides/unpaid-wages/",
        "case": "/cases/migrant-workers-wages/",
        "directory": "/channels/",
        "channel": "/channels/service-centre/",
    },
    "en": {
        "home": "/en/",
        "guide": "/en/guides/unpaid-wages/",
        "case": "/en/cases/migrant-workers-wages/",
        "directory": "/en/channels/",
        "channel": "/en/channels/service-centre/",
    },
}


@pytest.fixture
def live_demo(transactional_db, live_server):
    from wagtail.models import Locale, Page

    from home import demo as home_demo

    # A transactional test before this one may have flushed what Wagtail's
    # migrations made: the default locale and the tree root.
    locale = Locale.objects.get_or_create(language_code="zh-hans")[0]
    if Page.get_first_root_node() is None:
        Page.add_root(title="Root", slug="root", locale=locale)
    home_demo.seed(io.StringIO())
    return live_server


@pytest.fixture
def no_script_phone(browser):
    """A phone-sized tab with JavaScript turned off."""
    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        java_script_enabled=False,
    )
    page = context.new_page()
    yield page
    context.close()


def test_phone_journey_home_guide_channel_directory(
    live_demo, no_script_phone, screenshot
):
    """Home → a guide → its related channel → the directory filtered by kind."""
    page = no_script_phone
    page.goto(live_demo.url + "/")
    assert page.locator("h1").inner_text() == "法律服务门户"
    screenshot(page, "1-home")

    follow(page, page.get_by_role("link", name="被拖欠工资怎么办").first.click)
    assert page.locator("h1").inner_text() == "被拖欠工资怎么办"
    assert page.locator(".statute").first.is_visible()
    screenshot(page, "2-guide")

    help_section = page.locator("section.related--channels")
    follow(page, help_section.get_by_role("link", name="12333劳动保障咨询热线").click)
    assert page.locator("h1").inner_text() == "12333劳动保障咨询热线"
    assert page.get_by_role("link", name="12333").first.get_attribute("href") == (
        "tel:12333"
    )
    screenshot(page, "3-channel")

    follow(page, page.get_by_role("link", name="办事渠道").last.click)
    page.get_by_label("渠道类型").select_option("hotline")
    follow(page, page.get_by_role("button", name="查看结果").click)
    assert "kind=hotline" in page.url
    badges = page.locator(".card .badge").all_inner_texts()
    assert badges and set(badges) == {"服务热线"}
    screenshot(page, "4-directory-hotlines")

    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing may scroll sideways on a phone"


@pytest.mark.parametrize("display", ["standard", "large"])
@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_axe_finds_no_serious_problems(
    live_demo, phone_page, screenshot, language, display
):
    """No serious or critical axe-core violations on the main page types."""
    if display == "large":
        phone_page.context.add_cookies(
            [{"name": "display", "value": "large", "url": live_demo.url}]
        )
    axe = Axe()
    problems = {}
    for label, path in AUDITED[language].items():
        phone_page.goto(live_demo.url + path)
        expected = "display-large" if display == "large" else "display-standard"
        assert expected in phone_page.locator("html").get_attribute("class")
        results = axe.run(phone_page)
        serious = [
            f"{violation['id']}: {violation['help']} "
            f"({[node['target'] for node in violation['nodes']][:3]})"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[label] = serious
        if serious or label == "channel":
            screenshot(phone_page, f"{language}-{display}-{label}")
    assert not problems, problems


def test_guides_and_cases_print_as_handouts(live_demo, phone_page, screenshot):
    """Printed, a guide or a case keeps its text and loses header, menu, trail and
    footer; on screen they are there."""
    page = phone_page
    for path in ("/guides/unpaid-wages/", "/cases/migrant-workers-wages/"):
        page.emulate_media(media="screen")
        page.goto(live_demo.url + path)
        assert page.locator(".site-header").is_visible()
        page.emulate_media(media="print")
        assert page.locator("h1").is_visible()
        assert page.locator(".prose").first.is_visible()
        for selector in (".site-header", ".main-menu", ".breadcrumbs", ".site-footer"):
            assert page.locator(selector).first.is_hidden(), (path, selector)
        screenshot(page, "print-" + path.split("/")[1])
