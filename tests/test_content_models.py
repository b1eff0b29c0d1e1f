"""Content pages: where each type may live, what editors are told when input is bad,
and what the demo gives a newcomer."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override
from wagtail.models import Locale, Page, Revision, Site, Workflow

from home.models import (
    CaseStudyPage,
    ChannelDirectoryPage,
    ChannelPhone,
    ContactPerson,
    HomePage,
    LegalGuideIndexPage,
    LegalGuidePage,
    NewsPage,
    Office,
    OpeningHours,
    QuestionAnswerPage,
    ServiceChannelPage,
    SiteNotice,
    Topic,
)
from home.validators import validate_phone

pytestmark = pytest.mark.django_db


def messages(error: ValidationError, field: str) -> list[str]:
    return [str(message) for message in error.message_dict[field]]


@pytest.mark.parametrize(
    "number",
    [
        "12348",
        "96110",
        "0570-86612348",
        "057086612348",
        "13812345678",
        "+86 13812345678",
        "400-123-4567",
        "0570-8661234-801",
    ],
)
def test_phone_numbers_the_public_can_dial_are_accepted(number):
    """Service numbers, landlines, mobiles and 400 numbers all pass."""
    validate_phone(number)


@pytest.mark.parametrize("number", ["123", "call us", "0570 8661", "1381234567x"])
def test_bad_phone_numbers_get_a_message_with_an_example(number):
    """A malformed number is refused with an example of a good one, in Chinese too."""
    with pytest.raises(ValidationError) as caught:
        validate_phone(number)
    assert "12348" in caught.value.messages[0]
    with override("zh-hans"), pytest.raises(ValidationError) as caught:
        validate_phone(number)
    assert "电话" in caught.value.messages[0]


def test_opening_hours_must_end_after_they_start():
    """Closing before opening is an error on the closing-time field."""
    hours = OpeningHours(
        first_day=1,
        last_day=5,
        opens=datetime.time(17, 0),
        closes=datetime.time(9, 0),
    )
    with pytest.raises(ValidationError) as caught:
        hours.clean()
    assert "closes" in caught.value.message_dict
    hours.closes = datetime.time(17, 0)
    with pytest.raises(ValidationError):
        hours.clean()
    hours.closes = datetime.time(17, 30)
    hours.clean()


def test_day_ranges_run_forwards():
    """A range from Friday back to Monday is refused on the last-day field."""
    hours = OpeningHours(
        first_day=5, last_day=1, opens=datetime.time(9), closes=datetime.time(17)
    )
    with pytest.raises(ValidationError) as caught:
        hours.clean()
    assert "last_day" in caught.value.message_dict


def test_channel_kinds_require_their_own_details():
    """An online desk needs its address, an office its office, and someone answers."""
    channel = ServiceChannelPage(
        title="网上服务",
        slug="x",
        kind="online",
        summary="s",
        handles="<p>h</p>",
        promise="p",
    )
    with pytest.raises(ValidationError) as caught:
        channel.clean()
    assert set(caught.value.message_dict) >= {"online_url", "team"}
    channel.kind = "office"
    with pytest.raises(ValidationError) as caught:
        channel.clean()
    assert "office" in caught.value.message_dict


def test_site_notice_must_end_after_it_starts(demo_site):
    """A notice whose end precedes its start is refused on the end field."""
    now = timezone.now()
    notice = SiteNotice(
        site=Site.objects.get(is_default_site=True),
        message="系统维护",
        starts_at=now,
        ends_at=now - datetime.timedelta(hours=1),
    )
    with pytest.raises(ValidationError) as caught:
        notice.full_clean()
    assert "ends_at" in caught.value.message_dict


def test_page_types_live_only_where_they_belong():
    """Guides go under the guide section, channels under the directory, sections
    under a home page, nothing under a guide."""
    assert LegalGuidePage.allowed_parent_page_models() == [LegalGuideIndexPage]
    assert ServiceChannelPage.allowed_parent_page_models() == [ChannelDirectoryPage]
    assert ChannelDirectoryPage.allowed_parent_page_models() == [HomePage]
    assert QuestionAnswerPage.allowed_parent_page_models() == [HomePage]
    assert LegalGuidePage.allowed_subpage_models() == []
    assert CaseStudyPage.allowed_subpage_models() == []
    assert set(HomePage.allowed_subpage_models()) >= {
        LegalGuideIndexPage,
        ChannelDirectoryPage,
        QuestionAnswerPage,
    }


def test_demo_has_the_promised_content_in_two_languages(demo_site):
    """8+ guides, 4 cases, 12 Q&A, 6+ channel kinds, 3 news; half in English."""
    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    guides = LegalGuidePage.objects.live()
    assert guides.filter(locale=zh).count() >= 8
    assert len({t.slug for g in guides.filter(locale=zh) for t in g.topics.all()}) >= 8
    assert CaseStudyPage.objects.live().filter(locale=zh).count() >= 4
    assert NewsPage.objects.live().filter(locale=zh).count() >= 3
    channels = ServiceChannelPage.objects.live().filter(locale=zh)
    assert set(channels.values_list("kind", flat=True)) == {
        "hotline",
        "direct",
        "online",
        "wechat",
        "office",
        "mobile",
    }
    questions = QuestionAnswerPage.objects.get(locale=zh).questions.all()
    assert questions.count() >= 12
    for model in (LegalGuidePage, CaseStudyPage, ServiceChannelPage, NewsPage):
        in_chinese = model.objects.live().filter(locale=zh).count()
        in_english = model.objects.live().filter(locale=en).count()
        assert in_english * 2 >= in_chinese, model.__name__
    english_questions = QuestionAnswerPage.objects.get(locale=en).questions.count()
    assert english_questions * 2 >= questions.count()


def test_demo_contacts_and_offices_have_english_versions(demo_site):
    """English channel pages name their people and places in English."""
    en = Locale.objects.get(language_code="en")
    for contact in ContactPerson.objects.filter(locale__language_code="zh-hans"):
        english = contact.get_translation(en)
        assert english.role and english.role != contact.role, contact.name
        assert english.office.locale_id == en.pk
    english_centre = Office.objects.get(
        locale=en, name="Jiangnan Public Legal Service Centre"
    )
    assert english_centre.region.name == "Jiangnan City (all districts)"


def test_seed_demo_twice_creates_nothing_new():
    """Running seed_demo again leaves pages, snippets and revisions as they were."""
    call_command("seed_demo", stdout=io.StringIO())
    counts = (
        Page.objects.count(),
        Topic.objects.count(),
        Revision.objects.count(),
        Workflow.objects.count(),
    )
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert (
        Page.objects.count(),
        Topic.objects.count(),
        Revision.objects.count(),
        Workflow.objects.count(),
    ) == counts
    assert "Created" not in out.getvalue()


def test_every_phone_in_the_demo_is_valid(demo_site):
    """The demo itself passes the validation editors face."""
    for phone in ChannelPhone.objects.all():
        validate_phone(phone.number)
    for hours in OpeningHours.objects.all():
        hours.clean()


def test_site_notice_shows_only_in_its_window_and_language(client, demo_site):
    """A notice appears between start and end, in English on English pages."""
    site = Site.objects.get(is_default_site=True)
    now = timezone.now()
    notice = SiteNotice.for_site(site)
    notice.message = "春节期间窗口暂停服务"
    notice.message_en = "The walk-in desk is closed over Spring Festival"
    notice.starts_at = now - datetime.timedelta(hours=1)
    notice.ends_at = now + datetime.timedelta(hours=1)
    notice.save()
    assert "春节期间窗口暂停服务" in client.get("/").content.decode()
    assert "walk-in desk is closed" in client.get("/en/guides/").content.decode()
    notice.ends_at = now - datetime.timedelta(minutes=1)
    notice.starts_at = now - datetime.timedelta(hours=2)
    notice.save()
    assert "春节期间窗口暂停服务" not in client.get("/").content.decode()


@pytest.mark.parametrize(
    "model",
    [
        HomePage,
        LegalGuideIndexPage,
        LegalGuidePage,
        CaseStudyPage,
        QuestionAnswerPage,
        NewsPage,
        ChannelDirectoryPage,
        ServiceChannelPage,
    ],
)
def test_every_page_type_has_a_working_editor_form(model):
    """The admin edit form for each page type builds, with its panels and inlines."""
    form_class = model.get_edit_handler().get_form_class()
    assert "title" in form_class.base_fields


def test_menu_and_footer_come_from_site_settings_in_each_language(client, demo_site):
    """The navigation setting drives the menu and footer; readers get their language."""
    zh = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert '<a href="/guides/">普法指南</a>' in zh
    assert '<a href="/en/guides/">Legal guides</a>' in en
    assert 'href="https://www.12348.gov.cn/"' in zh
    assert "places, people and local numbers are fictional" in en
    from home.models import NavigationSettings

    navigation = NavigationSettings.for_site(Site.objects.get(is_default_site=True))
    navigation.footer_text = "新的页脚"
    navigation.save()
    assert "新的页脚" in client.get("/").content.decode()


def test_english_page_pointing_at_chinese_facts_shows_them_in_english(
    client, demo_site
):
    """A translated copy still pointing at the Chinese region, office and contact
    shows their English versions: on the page, in lists and in its JSON-LD."""
    import json
    import re

    from home.models import Region

    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get(language_code="en")
    chinese_region = Region.objects.get(locale=zh, slug="jiangnan")
    channel = ServiceChannelPage.objects.get(locale=en, slug="service-centre")
    channel.region = chinese_region
    channel.office = channel.get_translation(zh).office
    channel.contact = ContactPerson.objects.get(locale=zh, name="陈静")
    channel.save_revision().publish()
    for model, slug in (
        (LegalGuidePage, "unpaid-wages"),
        (CaseStudyPage, "game-top-up-refund"),
    ):
        page = model.objects.get(locale=en, slug=slug)
        page.region = chinese_region
        page.save_revision().publish()

    body = client.get("/en/channels/service-centre/").content.decode()
    assert "Jiangnan City (all districts)" in body and "江南市" not in body
    assert "Jiangnan Public Legal Service Centre" in body
    assert "Chen Jing" in body and "陈静" not in body
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', body).group(1)
    )
    assert data["areaServed"] == "Jiangnan City (all districts)"
    assert data["availableChannel"]["serviceLocation"]["name"] == (
        "Jiangnan Public Legal Service Centre"
    )
    for path in (
        "/en/channels/",
        "/en/guides/unpaid-wages/",
        "/en/cases/game-top-up-refund/",
    ):
        body = client.get(path).content.decode()
        assert "Jiangnan City (all districts)" in body, path
        assert "江南市（全市）" not in body, path
