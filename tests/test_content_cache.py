"""Performance: every page type within 20 queries uncached; anonymous readers get
cached pages without touching the database, until something is published."""

import pytest
from django.core.cache import caches

from home.cache import CACHE_HEADER
from home.models import LegalGuidePage

pytestmark = pytest.mark.django_db

PAGES_BY_TYPE = {
    "home": "/",
    "home (English)": "/en/",
    "guide section": "/guides/",
    "guide section, filtered": "/guides/?topic=wages&audience=workers",
    "guide": "/guides/unpaid-wages/",
    "guide (English, links to Chinese pages)": "/en/guides/unpaid-wages/",
    "case section": "/cases/",
    "case": "/cases/printed-will/",
    "case (English)": "/en/cases/game-top-up-refund/",
    "questions": "/questions/",
    "news section": "/news/",
    "news": "/news/consumer-day-2026/",
    "channel directory": "/channels/",
    "channel directory, filtered": "/channels/?kind=hotline&region=jiangnan",
    "channel": "/channels/peace-street-director/",
    "channel (English, office shared)": "/en/channels/service-centre/",
}


@pytest.fixture
def warm_site(client, demo_site):
    """The demo site after one request, so process-wide caches (content types)
    are as they are in a running server; both Django caches start empty, so the
    counts include Wagtail's site lookup (default cache) and our page cache."""
    client.get("/")
    for alias in ("default", "pages"):
        caches[alias].clear()
    return demo_site


@pytest.mark.parametrize("label", list(PAGES_BY_TYPE))
def test_each_page_type_needs_at_most_20_queries_uncached(
    label, client, warm_site, django_assert_max_num_queries
):
    """Rendering any page type from scratch stays within 20 database queries."""
    with django_assert_max_num_queries(20):
        response = client.get(PAGES_BY_TYPE[label])
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "miss"


def test_cached_pages_are_served_without_database_queries(
    client, warm_site, django_assert_num_queries
):
    """The second anonymous read of a page never touches the database."""
    for path in PAGES_BY_TYPE.values():
        client.get(path)
    for path in PAGES_BY_TYPE.values():
        with django_assert_num_queries(0):
            response = client.get(path)
        assert response.status_code == 200
        assert response[CACHE_HEADER] == "hit"


def test_cache_key_follows_the_display_cookie_and_language(client, warm_site):
    """Large-text readers never get the standard page from the cache, nor the
    Chinese page the English one."""
    assert 'class="display-standard"' in client.get("/guides/").content.decode()
    client.cookies["display"] = "large"
    response = client.get("/guides/")
    assert response[CACHE_HEADER] == "miss"
    assert 'class="display-large"' in response.content.decode()
    assert client.get("/guides/")[CACHE_HEADER] == "hit"
    english = client.get("/en/guides/")
    assert english[CACHE_HEADER] == "miss" and 'lang="en"' in english.content.decode()


def test_publishing_invalidates_cached_pages(client, warm_site):
    """After a publish, readers see the new text on the page and in lists."""
    client.get("/guides/")
    client.get("/guides/unpaid-wages/")
    guide = LegalGuidePage.objects.get(
        slug="unpaid-wages", locale__language_code="zh-hans"
    )
    guide.title = "工资被拖欠，这样讨回来"
    guide.save_revision().publish()
    for path in ("/guides/", "/guides/unpaid-wages/"):
        response = client.get(path)
        assert response[CACHE_HEADER] == "miss"
        assert "工资被拖欠，这样讨回来" in response.content.decode()


def test_unpublishing_invalidates_cached_pages(client, warm_site):
    """An unpublished page stops being served from the cache at once."""
    assert client.get("/news/consumer-day-2026/").status_code == 200
    page = warm_site.get_descendants().get(slug="consumer-day-2026")
    page.specific.unpublish()
    assert client.get("/news/consumer-day-2026/").status_code == 404


def test_signed_in_staff_always_get_a_fresh_page(client, warm_site, admin_user):
    """Anyone with a session bypasses the cache in both directions."""
    client.force_login(admin_user)
    first = client.get("/guides/")
    second = client.get("/guides/")
    assert CACHE_HEADER not in first and CACHE_HEADER not in second


def test_cached_pages_carry_no_cookies_or_tokens(client, warm_site):
    """What is stored for everyone holds nothing personal: no cookie, no CSRF token."""
    response = client.get("/channels/")
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()


def test_cached_pages_expire_when_the_site_notice_starts(client, warm_site):
    """A page cached before a scheduled notice is not kept past the notice's start."""
    import datetime

    from django.utils import timezone
    from freezegun import freeze_time
    from wagtail.models import Site

    from home.models import SiteNotice

    notice = SiteNotice.for_site(Site.objects.get(is_default_site=True))
    start = timezone.now() + datetime.timedelta(seconds=120)
    notice.message = "今晚系统维护"
    notice.starts_at = start
    notice.ends_at = start + datetime.timedelta(hours=2)
    notice.save()
    assert "今晚系统维护" not in client.get("/").content.decode()
    assert client.get("/")[CACHE_HEADER] == "hit"
    with freeze_time(start + datetime.timedelta(seconds=5)):
        response = client.get("/")
    assert response[CACHE_HEADER] == "miss"
    assert "今晚系统维护" in response.content.decode()


def test_sitemap_is_cached_and_follows_publishing(
    client, warm_site, django_assert_num_queries
):
    """The sitemap is served from the cache and lists a new page after a publish."""
    client.get("/sitemap.xml")
    with django_assert_num_queries(0):
        assert client.get("/sitemap.xml")[CACHE_HEADER] == "hit"
    guide = LegalGuidePage.objects.get(slug="divorce", locale__language_code="zh-hans")
    guide.unpublish()
    body = client.get("/sitemap.xml").content.decode()
    assert "/guides/divorce/" not in body


def test_a_shared_fact_changes_everywhere_at_once(client, warm_site):
    """Editing an office's phone shows on its channel page at once, cache or not."""
    from home.models import Office

    assert "0570-86612348" in client.get("/channels/service-centre/").content.decode()
    office = Office.objects.get(name="江南市公共法律服务中心")
    office.phone = "0570-86610000"
    office.save()
    body = client.get("/channels/service-centre/").content.decode()
    assert "0570-86610000" in body


def test_a_new_redirect_clears_the_page_cache(client, warm_site):
    """Redirects, images and documents change what pages lead to: the cache
    forgets every page when one is saved."""
    from wagtail.contrib.redirects.models import Redirect

    client.get("/guides/")
    assert client.get("/guides/")[CACHE_HEADER] == "hit"
    guide = LegalGuidePage.objects.get(
        slug="unpaid-wages", locale__language_code="zh-hans"
    )
    Redirect.objects.create(old_path="/wages", redirect_page=guide)
    assert client.get("/guides/")[CACHE_HEADER] == "miss"
    assert client.get("/wages")["Location"].endswith("/guides/unpaid-wages/")
