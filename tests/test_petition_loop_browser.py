"""In a browser, the whole loop: reception registers, a handler works it through the
workspace, the petitioner reads the reply on a phone and rates it."""

import pytest
from django.conf import settings
from django.core.cache import cache

from petitions.models import Category, Petition
from petitions.workflow import Role
from tests.conftest import follow
from tests.loop_fixtures import member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_page(browser, live_server, client):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context, context.new_page()


def act(page, action, fill=None, select=None):
    form = page.locator(f"form[data-action={action}]")
    for name, value in (fill or {}).items():
        form.locator(f"[name={name}]").fill(value)
    for name, value in (select or {}).items():
        form.locator(f"[name={name}]").select_option(value)
    follow(page, form.locator("button[type=submit]").click)


def test_the_whole_loop_in_a_browser(
    live_server, demo_site, browser, phone_page, staff_client_for, django_user_model
):
    unit = Category.objects.get(code="litigation-service").routing_unit()
    reception = member(django_user_model, "loop-rec", unit, Role.RECEPTION)
    handler = member(django_user_model, "loop-han", unit, Role.HANDLER)

    context, page = staff_page(browser, live_server, staff_client_for(reception))
    page.goto(f"{live_server.url}/admin/petitions/register/")
    page.select_option("[name=channel]", "phone")
    page.select_option("[name=category]", "litigation-service")
    page.fill("[name=name]", "孙八")
    page.fill("[name=phone]", "13512345678")
    page.fill("[name=subject]", "电话咨询立案进度")
    page.fill("textarea[name=description]", "来电询问去年提交的起诉状是否已经立案。")
    page.check("[name=consent]")
    follow(page, page.locator("form:has([name=channel]) button[type=submit]").click)
    tracking_no = page.locator("#tracking-no").inner_text()
    access_code = page.locator("#access-code").inner_text()
    page.goto("about:blank")
    context.close()
    petition = Petition.objects.get(tracking_no=tracking_no)

    context, page = staff_page(browser, live_server, staff_client_for(handler))
    page.goto(f"{live_server.url}/admin/petitions/work/mine/")
    page.goto(f"{live_server.url}/admin/petitions/work/unit/")
    follow(page, page.locator(f"a:has-text('{tracking_no}')").click)
    act(page, "accept")
    act(page, "assign", select={"handler": str(handler.pk)})
    act(page, "start")
    act(page, "request_materials", fill={"text": "请补充起诉状副本。"})
    act(page, "receive_materials")
    act(page, "reply", fill={"text": "您的起诉状已于今年三月立案。"})
    act(page, "close", select={"outcome": "resolved"})
    petition.refresh_from_db()
    assert petition.status == "closed"
    assert page.locator("form[data-action]").count() == 1  # only the note is left
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/admin/petitions/work/all/")
    assert tracking_no in page.locator(".petition-table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.goto("about:blank")
    context.close()

    cache.clear()
    phone = phone_page
    phone.goto(f"{live_server.url}/petitions/track/")
    phone.fill("[name=tracking_no]", tracking_no)
    phone.fill("[name=access_code]", access_code)
    follow(phone, phone.locator("form.track-form button[type=submit]").click)
    assert "三月立案" in phone.locator(".reply").inner_text()
    assert "起诉状副本" in phone.locator(".timeline").inner_text()
    phone.check("#rating-satisfied")
    follow(phone, phone.locator("form.rating-form button[type=submit]").click)
    assert petition.ratings.get().verdict == "satisfied"
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
