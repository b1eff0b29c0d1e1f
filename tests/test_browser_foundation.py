"""A reader on a phone can read the home page, switch language and enlarge the text."""

import pytest

from tests.conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_reader_switches_language_and_text_size(
    live_server, demo_site, phone_page, screenshot
):
    """Chinese home → large text → English, with no sideways scrolling on a phone."""
    page = phone_page
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert page.locator("h1").inner_text() == "法律服务门户"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "home-zh")

    normal_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    follow(page, page.get_by_role("button", name="大字号、高对比度").click)
    assert "display-large" in page.locator("html").get_attribute("class")
    large_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large_size > normal_size * 1.3
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "home-zh-large")

    follow(page, page.get_by_role("link", name="English").click)
    assert page.url == live_server.url + "/en/"
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Public Legal Services Portal"
    assert "display-large" in page.locator("html").get_attribute("class")
    screenshot(page, "home-en-large")


def test_skip_link_moves_focus_to_the_content(live_server, demo_site, phone_page):
    """Keyboard users reach the main content with the first Tab and Enter."""
    page = phone_page
    page.goto(live_server.url + "/en/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
