"""What search engines and link previews see: sitemap, robots.txt, canonical and
hreflang links, Open Graph and JSON-LD; and what a reader sees for a removed page."""

import json
import re
from urllib.parse import urlsplit

import pytest

from home.models import LegalGuidePage, QuestionAnswerPage

pytestmark = pytest.mark.django_db


def html_lang(body: str) -> str:
    return re.search(r'<html lang="([^"]+)"', body).group(1)


def head_alternates(body: str) -> set[tuple[str, str]]:
    return set(
        re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', body)
    )


def json_ld(body: str) -> dict:
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    return json.loads(block.group(1))


def sitemap_entries(client) -> list[dict]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    entries = []
    for url in re.findall(r"<url>(.*?)</url>", response.content.decode(), re.S):
        entries.append(
            {
                "loc": re.search(r"<loc>(.*?)</loc>", url).group(1),
                "alternates": set(
                    re.findall(r'hreflang="([^"]+)" href="([^"]+)"', url)
                ),
            }
        )
    return entries


def test_sitemap_lists_both_languages_and_every_url_answers(client, demo_site):
    """30+ URLs in both languages; each is 200 with the right lang and hreflang."""
    entries = sitemap_entries(client)
    assert len(entries) >= 30
    paths = [urlsplit(entry["loc"]).path for entry in entries]
    assert any(path.startswith("/en/") for path in paths)
    assert sum(not path.startswith("/en/") for path in paths) >= 20
    for entry, path in zip(entries, paths, strict=True):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert html_lang(body) == ("en" if path.startswith("/en/") else "zh-Hans"), path
        alternates = head_alternates(body)
        assert (html_lang(body), entry["loc"]) in alternates, path
        assert entry["alternates"] <= alternates, path
        assert f'<link rel="canonical" href="{entry["loc"]}">' in body, path


def test_translated_pages_point_at_each_other(client, demo_site):
    """A guide in two languages names both versions and a default in its head."""
    body = client.get("/guides/unpaid-wages/").content.decode()
    alternates = dict(head_alternates(body))
    assert alternates["zh-Hans"].endswith("/guides/unpaid-wages/")
    assert alternates["en"].endswith("/en/guides/unpaid-wages/")
    assert alternates["x-default"] == alternates["zh-Hans"]


def test_open_graph_describes_the_page(client, demo_site):
    """Link previews get the title, summary, URL and locale."""
    body = client.get("/en/guides/telecom-fraud/").content.decode()
    assert '<meta property="og:title" content="Spotting telecom and online fraud">' in (
        body
    )
    assert '<meta property="og:type" content="article">' in body
    assert '<meta property="og:locale" content="en_US">' in body
    assert 'property="og:description" content="Police, prosecutors' in body


def test_guides_cases_and_news_are_articles(client, demo_site):
    """Guides, cases and news carry schema.org Article data in their language."""
    guide = json_ld(client.get("/guides/inheritance/").content.decode())
    assert guide["@type"] == "Article"
    assert guide["headline"] == "遗产怎么继承，遗嘱怎么立才有效"
    assert guide["inLanguage"] == "zh-hans"
    case = json_ld(client.get("/en/cases/game-top-up-refund/").content.decode())
    assert case["@type"] == "Article" and case["inLanguage"] == "en"
    news = json_ld(client.get("/news/consumer-day-2026/").content.decode())
    assert news["@type"] == "NewsArticle" and news["datePublished"] == "2026-03-15"


def test_questions_page_is_an_faq(client, demo_site):
    """The Q&A page is a schema.org FAQPage with every question and its answer."""
    data = json_ld(client.get("/questions/").content.decode())
    assert data["@type"] == "FAQPage"
    assert len(data["mainEntity"]) >= 12
    first = data["mainEntity"][0]
    assert first["@type"] == "Question" and first["acceptedAnswer"]["text"]
    assert "<p>" not in first["acceptedAnswer"]["text"]


def test_channels_are_government_services(client, demo_site):
    """A channel page says who provides it, its phone and its opening hours."""
    data = json_ld(client.get("/channels/service-centre/").content.decode())
    assert data["@type"] == "GovernmentService"
    channel = data["availableChannel"]
    assert channel["servicePhone"]["telephone"] == "0570-86612348"
    hours = channel["servicePhone"]["hoursAvailable"]
    assert {"opens": "09:00", "closes": "12:00"}.items() <= hours[0].items()
    assert "https://schema.org/Monday" in hours[0]["dayOfWeek"]
    assert channel["serviceLocation"]["address"].startswith("江南市东城区人民路100号")


def test_json_ld_cannot_break_out_of_its_script(client, demo_site):
    """A title with </script> in it is escaped inside the JSON-LD block."""
    guide = LegalGuidePage.objects.get(slug="divorce", locale__language_code="zh-hans")
    guide.title = "离婚</script><script>alert(1)</script>"
    guide.save_revision().publish()
    body = client.get("/guides/divorce/").content.decode()
    assert "<script>alert(1)" not in body
    assert json_ld(body)["headline"] == guide.title


def test_robots_txt_allows_the_site_and_names_the_sitemap(client, demo_site):
    """robots.txt keeps crawlers out of the staff side, the API, sign-in and the
    register, and points at the sitemap."""
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    disallowed = set(re.findall(r"^Disallow: (\S+)$", response.content.decode(), re.M))
    assert disallowed >= {
        "/admin/",
        "/staff/",
        "/api/",
        "/account/",
        "/en/account/",
        "/petitions/",
        "/en/petitions/",
    }
    text = response.content.decode()
    assert re.search(r"^Sitemap: https?://\S+/sitemap.xml$", text, re.M)


def test_removed_page_is_a_helpful_404_in_the_readers_language(client, demo_site):
    """An unpublished or deleted guide answers 404 with a way home, never 500."""
    zh = LegalGuidePage.objects.get(
        slug="unpaid-wages", locale__language_code="zh-hans"
    )
    en = LegalGuidePage.objects.get(slug="unpaid-wages", locale__language_code="en")
    zh.unpublish()
    en.delete()
    response = client.get("/guides/unpaid-wages/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    response = client.get("/en/guides/unpaid-wages/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and 'href="/en/"' in body
    assert html_lang(body) == "en"


def test_language_switcher_goes_to_the_translation_or_says_it_is_missing(
    client, demo_site
):
    """A translated guide links to its twin; an untranslated one says so."""
    body = client.get("/en/guides/unpaid-wages/").content.decode()
    assert 'href="/guides/unpaid-wages/" lang="zh-hans"' in body
    body = client.get("/guides/divorce/").content.decode()
    assert 'href="/en/" lang="en"' in body
    assert "English" in body and "language-switcher__note" in body


def test_every_question_has_its_own_anchor_grouped_by_topic(client, demo_site):
    """Each answer has an id to link to (prefixed, so an anchor such as "main"
    cannot clash with the page's own ids), and topics head the groups."""
    page = QuestionAnswerPage.objects.get(locale__language_code="zh-hans")
    body = client.get("/questions/").content.decode()
    ids = re.findall(r'\bid="([^"]+)"', body)
    assert len(ids) == len(set(ids)), "every id on the page is unique"
    faq = json_ld(body)["mainEntity"]
    for question, entry in zip(page.questions.all(), faq, strict=True):
        assert f'id="q-{question.anchor}"' in body
        assert body.count(f'href="#q-{question.anchor}"') == 2  # contents, own link
        assert entry["url"].endswith(f"/questions/#q-{question.anchor}")
    assert re.search(r'<h2 id="topic-\d+">欠薪讨薪</h2>', body)
    english = client.get("/en/questions/").content.decode()
    assert re.search(r'<h2 id="topic-\d+">Unpaid wages</h2>', english)


def test_an_anchor_named_main_leaves_the_skip_link_alone(client, demo_site):
    """An editor's anchor "main" becomes q-main; the skip link still reaches <main>."""
    page = QuestionAnswerPage.objects.get(locale__language_code="zh-hans")
    question = page.questions.first()
    question.anchor = "main"
    question.save()
    page.save_revision().publish()
    body = client.get("/questions/").content.decode()
    assert body.count('id="main"') == 1
    assert '<main id="main"' in body and 'id="q-main"' in body


def test_directory_filters_by_kind_region_and_topic(client, demo_site):
    """Plain GET filters narrow the directory and keep the choice selected."""
    body = client.get("/channels/?kind=hotline").content.decode()
    assert "12348公共法律服务热线" in body and "96110反诈预警劝阻专线" in body
    assert "江南法律服务网在线咨询" not in body
    assert '<option value="hotline" selected>' in body
    body = client.get("/channels/?region=dongcheng").content.decode()
    assert "和平街道司法所所长直线" in body and "12315消费者投诉举报热线" not in body
    body = client.get("/channels/?topic=fraud&kind=hotline").content.decode()
    assert "96110反诈预警劝阻专线" in body and "12333劳动保障咨询热线" not in body


def test_guide_section_filters_by_audience_and_paginates(
    client, demo_site, monkeypatch
):
    """Guides filter by who they are for, and long lists split into pages."""
    body = client.get("/guides/?audience=elderly").content.decode()
    assert "遗产怎么继承" in body and "被拖欠工资怎么办" not in body
    from home.models import LegalGuideIndexPage

    monkeypatch.setattr(LegalGuideIndexPage, "per_page", 3)
    first = client.get("/guides/").content.decode()
    assert "第 1 页，共 3 页" in first and 'rel="next"' in first
    last = client.get("/guides/?page=3").content.decode()
    assert "第 3 页，共 3 页" in last and 'rel="prev"' in last
    assert client.get("/guides/?page=99").status_code == 200


def test_pages_describe_their_breadcrumb_trail(client, demo_site):
    """Below the home page, a BreadcrumbList names each step with its address."""
    body = client.get("/en/channels/mobile-point/").content.decode()
    blocks = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', body, re.S
    )
    trail = json.loads(blocks[1])
    assert trail["@type"] == "BreadcrumbList"
    names = [item["name"] for item in trail["itemListElement"]]
    assert names == [
        "Public Legal Services Portal",
        "Service channels",
        "Mobile Legal Service Point (village markets)",
    ]
    assert trail["itemListElement"][1]["item"].endswith("/en/channels/")
