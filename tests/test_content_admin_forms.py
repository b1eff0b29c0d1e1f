"""Editors in the Wagtail admin (two factors): bad input is refused with a message
next to the field it concerns, and nothing is published half-made."""

import pytest
from django.urls import reverse
from wagtail.models import Revision
from wagtail.test.utils.form_data import querydict_from_html

from home.models import QuestionAnswerPage, ServiceChannelPage

pytestmark = pytest.mark.django_db


def edit_form(client, page):
    """The page's edit form as the admin shows it, ready to change and send."""
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    response = client.get(url)
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="page-edit-form")
    data["action-publish"] = "action-publish"
    return url, data


def field_errors(response, formset: str, index: int, field: str) -> list[str]:
    form = response.context["form"].formsets[formset].forms[index]
    return [str(error) for error in form.errors.get(field, [])]


def channel(slug="peace-street-director") -> ServiceChannelPage:
    return ServiceChannelPage.objects.get(slug=slug, locale__language_code="zh-hans")


def publish_refused(client, url, data, page) -> object:
    """POST the form; assert it was refused and nothing about the page changed."""
    revisions = Revision.objects.count()
    live_revision = page.live_revision_id
    response = client.post(url, data)
    assert response.status_code == 200, "a refused form is shown again, not redirected"
    page.refresh_from_db()
    assert page.live_revision_id == live_revision
    assert Revision.objects.count() == revisions
    return response


def test_opening_hours_ending_before_they_start_are_refused(otp_client, demo_site):
    """Closing at 08:00 after opening at 08:30 is refused on the closing time."""
    page = channel()
    url, data = edit_form(otp_client, page)
    data["title"] = "和平街道司法所所长直线（新）"
    data["hours-0-closes"] = "08:00"
    response = publish_refused(otp_client, url, data, page)
    message = "结束时间必须晚于开始时间。"  # the admin speaks the site's language
    assert field_errors(response, "hours", 0, "closes") == [message]
    assert message in response.content.decode()
    assert page.title == "和平街道司法所所长直线"

    data["hours-0-closes"] = "12:00"
    assert otp_client.post(url, data).status_code == 302
    page.refresh_from_db()
    assert page.title == "和平街道司法所所长直线（新）"


def test_a_phone_number_nobody_can_dial_is_refused(otp_client, demo_site):
    """A malformed number gets the message with an example, on the number field."""
    page = channel()
    url, data = edit_form(otp_client, page)
    data["phones-0-number"] = "0570 8661"
    response = publish_refused(otp_client, url, data, page)
    errors = field_errors(response, "phones", 0, "number")
    assert len(errors) == 1 and "电话号码" in errors[0] and "13812345678" in errors[0]
    assert ServiceChannelPage.objects.get(pk=page.pk).phone_list[0].number == (
        "0570-86523011"
    )


def test_a_direct_line_without_a_phone_number_is_refused(otp_client, demo_site):
    """Deleting a direct line's only number is refused, with the reason on its kind."""
    page = channel()
    url, data = edit_form(otp_client, page)
    data["phones-0-DELETE"] = "1"
    response = publish_refused(otp_client, url, data, page)
    errors = response.context["form"].errors["kind"]
    assert errors == ["服务热线或直线电话至少需要一个电话号码：请在“电话号码”中添加。"]
    assert page.phones.count() == 1


def test_an_online_desk_needs_no_phone_number(otp_client, demo_site):
    """Other kinds of channel may do without a number."""
    page = channel("online-desk")
    url, data = edit_form(otp_client, page)
    assert data["phones-TOTAL_FORMS"] == "0"
    data["title"] = "江南法律服务网在线咨询（新）"
    assert otp_client.post(url, data).status_code == 302


def test_two_answers_with_one_anchor_are_refused(otp_client, demo_site):
    """A second answer reusing an anchor is refused on its anchor field."""
    page = QuestionAnswerPage.objects.get(locale__language_code="zh-hans")
    url, data = edit_form(otp_client, page)
    data["questions-1-anchor"] = data["questions-0-anchor"].upper()
    response = publish_refused(otp_client, url, data, page)
    errors = field_errors(response, "questions", 1, "anchor")
    assert errors == ["本页已有其他问题使用这个锚点，请为每个回答设置不同的锚点。"]
    assert field_errors(response, "questions", 0, "anchor") == []

    # A deleted row's anchor is free again.
    data["questions-0-DELETE"] = "1"
    data["questions-1-anchor"] = data["questions-0-anchor"]
    assert otp_client.post(url, data).status_code == 302
