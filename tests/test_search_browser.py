"""A citizen on a phone searches the guides and gets suggestions while writing."""

import pytest

from search.backends import get_backend
from tests.conftest import follow

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDES = [
    {
        "id": "wages",
        "version": "1",
        "title": "劳动者被拖欠工资怎么办",
        "summary": "讨薪的途径与证据",
        "body": "用人单位拖欠工资的，劳动者可以申请劳动仲裁。",
        "section": "labour",
        "section_name": "劳动争议",
        "page_type": "guide",
        "language": "zh-hans",
        "url": "/guides/wages/",
    },
    {
        "id": "enforce",
        "version": "1",
        "title": "申请强制执行指南",
        "summary": "执行款如何领取",
        "body": "被执行人拖欠执行款的，可以申请强制执行。",
        "section": "enforcement",
        "section_name": "执行",
        "page_type": "guide",
        "language": "zh-hans",
        "url": "/guides/enforcement/",
    },
]


@pytest.fixture
def guides(db):
    backend = get_backend()
    backend.clear("pages")
    backend.upsert("pages", GUIDES)
    backend.refresh("pages")
    yield
    get_backend().clear("pages")


def test_search_page_on_a_phone(live_server, demo_site, guides, phone_page, screenshot):
    """Typing 拖欠 shows both guides with the word marked, no sideways scrolling."""
    page = phone_page
    page.goto(live_server.url + "/search/")
    page.get_by_label("要查找的词语").fill("拖欠")
    follow(page, page.get_by_role("button", name="搜索", exact=True).click)
    assert page.locator(".search-hit").count() == 2
    assert page.locator(".search-hit mark").first.inner_text() == "拖欠"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "search-zh")


def test_suggestions_appear_while_writing(
    live_server, demo_site, guides, phone_page, screenshot
):
    """A pause after writing about unpaid wages brings the wages guide, without a
    page load; the script breaks no Content-Security-Policy rule."""
    page = phone_page
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    page.goto(live_server.url + "/search/related-guides/")
    page.get_by_label("用几句话描述您遇到的问题").type("公司拖欠我三个月工资")
    link = page.locator("[data-guide-suggest-list] a").first
    link.wait_for(timeout=5000)
    assert link.inner_text() == "劳动者被拖欠工资怎么办"
    assert not [text for text in violations if "Content Security Policy" in text]
    screenshot(page, "suggestions-zh")


def test_the_petition_form_suggests_guides_while_the_citizen_writes(
    live_server, demo_site, guides, phone_page
):
    """On the real form: describing unpaid wages brings the wages guide beside it."""
    page = phone_page
    page.goto(live_server.url + "/petitions/new/other/")
    page.locator("textarea[name=description]").type("公司拖欠我三个月工资，一直不给")
    link = page.locator("[data-guide-suggest-list] a").first
    link.wait_for(timeout=5000)
    assert link.inner_text() == "劳动者被拖欠工资怎么办"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_enter_in_a_field_sends_the_request_not_the_guide_search(
    live_server, demo_site, guides, phone_page
):
    """The suggestions button is not the form's default: Enter submits the form
    (here: back with the list of what is missing, in the same tab)."""
    page = phone_page
    page.goto(live_server.url + "/petitions/new/other/")
    page.locator("input[name=subject]").fill("工资")
    follow(page, lambda: page.locator("input[name=subject]").press("Enter"))
    assert "/petitions/new/other/" in page.url
    assert len(page.context.pages) == 1
