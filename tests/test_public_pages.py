"""The public site answers in Chinese at / and in English at /en/."""

import re

import pytest

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_home_in_chinese_at_root(client, demo_site):
    """The home page is served in Chinese at / with the right lang attribute."""
    response = client.get("/")
    assert response.status_code == 200
    assert html_lang(response) == "zh-Hans"
    assert "法律服务门户" in response.content.decode()
    assert "跳到主要内容" in response.content.decode()


def test_home_in_english_at_en(client, demo_site):
    """The English home page is at /en/ and its interface is English."""
    response = client.get("/en/")
    assert response.status_code == 200
    assert html_lang(response) == "en"
    body = response.content.decode()
    assert "Public Legal Services Portal" in body
    assert "Skip to main content" in body


def test_language_switcher_links_to_the_translation(client, demo_site):
    """Each page links to the same page in the other language."""
    zh = client.get("/").content.decode()
    en = client.get("/en/").content.decode()
    assert 'href="/en/" lang="en"' in zh
    assert 'href="/" lang="zh-hans"' in en


def test_large_text_mode_is_remembered_without_javascript(client, demo_site):
    """Choosing large text sets a cookie and every later page carries the mode."""
    response = client.post("/display/", {"mode": "large", "next": "/en/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    assert 'class="display-large"' in client.get("/").content.decode()
    client.post("/display/", {"mode": "standard", "next": "/"})
    assert 'class="display-standard"' in client.get("/").content.decode()


def test_display_mode_refuses_foreign_redirects(client, demo_site):
    """The display switch never sends the reader to another site."""
    response = client.post(
        "/display/", {"mode": "large", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_unknown_page_is_a_helpful_404_in_the_readers_language(client, demo_site):
    """A missing page answers 404 with a way home, in Chinese or English."""
    zh = client.get("/no-such-page/")
    assert zh.status_code == 404
    assert "页面不存在" in zh.content.decode()
    en = client.get("/en/no-such-page/")
    assert en.status_code == 404
    assert "Page not found" in en.content.decode()


def test_static_stylesheet_is_served(client, demo_site):
    """Our own stylesheet is served by the portal itself, not a CDN."""
    body = client.get("/").content.decode()
    assert "/static/css/portal.css" in body
    # Scripts, stylesheets and images come from here; plain links may go elsewhere.
    assert not re.search(
        r'<(script|img)[^>]+src="(https?:)?//|<link[^>]+rel="stylesheet"[^>]+href="(https?:)?//',
        body,
    )
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200


def test_the_browser_tab_shows_the_portals_own_icon(client, demo_site):
    """Every page names its icon, so no browser asks for a missing /favicon.ico
    (a 404 and a warning in the log for each new visitor), and the icon is ours."""
    for path in ("/", "/en/", "/petitions/new/", "/account/sign-in/"):
        body = client.get(path).content.decode()
        (icon,) = re.findall(r'<link rel="icon" href="([^"]+)"', body)
        assert icon.startswith("/static/") and icon.endswith(".svg"), path
    response = client.get(icon)
    assert response.status_code == 200
    assert b"<svg" in b"".join(response.streaming_content)
    # A client that asks for /favicon.ico without reading the link finds it too.
    asked = client.get("/favicon.ico")
    assert asked.status_code == 302 and asked["Location"] == icon


@pytest.mark.parametrize(
    "path,lang", [("/en/petitions/new/", "en"), ("/petitions/new/", "zh-Hans")]
)
def test_server_error_page_in_the_readers_language_without_the_database(
    rf, django_assert_num_queries, path, lang
):
    """The 500 page takes <html lang> from the address and asks no database."""
    from portal.views import server_error

    with django_assert_num_queries(0):
        response = server_error(rf.get(path))
    assert response.status_code == 500
    assert html_lang(response) == lang and "12348" in response.content.decode()


def test_a_right_to_left_language_turns_the_layout_around(client, demo_site, settings):
    """With Arabic added to the languages, its pages say dir="rtl" (and the
    breadcrumb arrow is mirrored); Chinese pages stay left-to-right."""
    settings.LANGUAGES = [*settings.LANGUAGES, ("ar", "العربية")]
    rtl = client.get("/ar/guides/unpaid-wages/").content.decode()
    assert re.search(r'<html lang="ar" dir="rtl"', rtl)
    assert 'class="breadcrumbs"' in rtl
    ltr = client.get("/guides/unpaid-wages/").content.decode()
    assert re.search(r'<html lang="zh-Hans" dir="ltr"', ltr)
    css = client.get("/static/css/portal.css")
    text = css.getvalue().decode()
    assert re.search(
        r'\[dir="rtl"\] \.breadcrumbs li[^{]*::after \{ content: "‹"', text
    )


def test_home_page_leads_to_guides_topics_channels_petitions_and_hotlines(
    client, demo_site
):
    """Featured guides, topics, the channel directory, the petition form and the
    hotlines with their numbers, all taken from the content itself."""
    from django.urls import reverse

    from home.models import ChannelPhone, HomePage, ServiceChannelPage

    body = client.get("/").content.decode()
    home = HomePage.objects.get(locale__language_code="zh-hans")
    for link in home.featured_guides.all():
        assert f'href="{link.guide.url}">{link.guide.title}</a>' in body
    assert '<a href="/guides/?topic=wages">欠薪讨薪</a>' in body
    assert 'href="/channels/"' in body
    assert f'href="{reverse("petitions:choose_category")}"' in body
    for number in ("12348", "12368", "12333", "12315", "96110"):
        assert f'href="tel:{number}"' in body, number
    english = client.get("/en/").content.decode()
    assert 'href="tel:12348"' in english and "12348 Public Legal" in english
    assert 'href="tel:12333"' not in english  # no English page for that hotline

    hotline = ServiceChannelPage.objects.get(
        slug="12348", locale__language_code="zh-hans"
    )
    hotline.phones = [ChannelPhone(label="全天24小时", number="0570-12348000")]
    hotline.save_revision().publish()
    for path in ("/", "/guides/unpaid-wages/", "/guides/?topic=none", "/transparency/"):
        page = client.get(path).content.decode()
        assert 'href="tel:0570-12348000"' not in page
        assert 'href="tel:057012348000"' in page, path
