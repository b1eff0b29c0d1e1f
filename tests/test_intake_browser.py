"""On a phone, a citizen submits a request with a photo, then follows it."""

import pytest
from django.core.cache import cache

from tests.conftest import follow
from tests.intake_files import jpeg_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def photo_file(tmp_path):
    path = tmp_path / "现场照片.jpg"
    path.write_bytes(jpeg_bytes(size=(800, 600)))
    return path


@pytest.mark.parametrize(
    "prefix,lang,status_word",
    [("", "zh-Hans", "已接收"), ("/en", "en", "Received")],
    ids=["chinese", "english"],
)
def test_phone_user_submits_with_a_photo_then_tracks_it(
    live_server,
    demo_site,
    phone_page,
    screenshot,
    settings,
    photo_file,
    prefix,
    lang,
    status_word,
):
    """Category → guidance → form with a photo → receipt → tracking shows status."""
    settings.PETITIONS_MIN_FILL_SECONDS = 0
    cache.clear()
    page = phone_page
    page.goto(f"{live_server.url}{prefix}/petitions/new/")
    assert page.locator("html").get_attribute("lang") == lang
    follow(page, page.locator("a[href$='/petitions/new/legal-consultation/']").click)
    assert page.locator(".guidance li").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.fill("[name=name]", "周九")
    page.fill("[name=phone]", "138 1234 5678")
    page.fill("[name=subject]", "劳动合同纠纷")
    page.fill("[name=description]", "公司未签劳动合同，要求支付双倍工资。")
    page.set_input_files("[name=attachments]", str(photo_file))
    page.check("[name=consent]")
    screenshot(page, f"form-{lang}")
    follow(page, page.locator("form.petition-form button.button--primary").click)
    tracking_no = page.locator("#tracking-no").inner_text()
    access_code = page.locator("#access-code").inner_text()
    assert len(access_code) >= 8 and tracking_no.count("-") == 2
    screenshot(page, f"receipt-{lang}")

    page.goto(f"{live_server.url}{prefix}/petitions/track/")
    page.fill("[name=tracking_no]", tracking_no.lower())
    page.fill("[name=access_code]", access_code)
    follow(page, page.locator("form.track-form button[type=submit]").click)
    assert tracking_no not in page.url and access_code not in page.url
    assert status_word in page.locator(".status").inner_text()
    assert page.locator(".timeline li").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, f"status-{lang}")
