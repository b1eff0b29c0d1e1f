"""The public search page and the guide suggestions, on the configured engine."""

import pytest
from django.test import override_settings

from search.backends import get_backend

DEAD_ENGINE = "http://127.0.0.1:9"


def page(key, language, title, body, section="labour", page_type="guide", **more):
    return {
        "id": key,
        "version": "1",
        "title": title,
        "summary": more.pop("summary", ""),
        "body": body,
        "section": section,
        "section_name": {"labour": "劳动争议", "enforcement": "执行"}.get(section, ""),
        "page_type": page_type,
        "language": language,
        "url": f"/{key}/",
        "published": "2026-01-05T00:00:00+08:00",
        **more,
    }


PAGES = [
    page("wages", "zh-hans", "劳动者被拖欠工资怎么办", "可以申请劳动仲裁。"),
    page(
        "enforce",
        "zh-hans",
        "申请强制执行指南",
        "被执行人拖欠执行款的，可以申请强制执行。",
        section="enforcement",
    ),
    page(
        "case",
        "zh-hans",
        "<b>典型案例</b>：拖欠工资案",
        "公司拖欠工资，法院判决支付。",
        page_type="case",
    ),
    page("wages-en", "en", "Unpaid wages: what to do", "Apply for arbitration."),
]


@pytest.fixture
def indexed_pages(db):
    backend = get_backend()
    backend.clear("pages")
    backend.upsert("pages", PAGES)
    backend.refresh("pages")
    yield
    get_backend().clear("pages")


def test_search_page_marks_matches_in_the_readers_language(client, indexed_pages):
    """/search/ finds Chinese pages with <mark>; markup in a title stays text."""
    response = client.get("/search/", {"q": "拖欠"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>拖欠</mark>" in html
    assert "&lt;b&gt;典型案例&lt;/b&gt;" in html
    assert "Unpaid wages" not in html
    assert "/wages/" in html and "/enforce/" in html


def test_english_search_page_shows_english_pages(client, indexed_pages):
    """/en/search/ searches the English pages, in English."""
    response = client.get("/en/search/", {"q": "wages"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "/wages-en/" in html
    assert "<mark>wages</mark>" in html.lower()
    assert "劳动者" not in html


def test_section_filter_narrows_and_lists_sections(client, indexed_pages):
    """The section links carry counts; choosing one keeps only its pages."""
    html = client.get("/search/", {"q": "拖欠"}).content.decode()
    assert "劳动争议 (2)" in html and "执行 (1)" in html
    narrowed = client.get("/search/", {"q": "拖欠", "section": "enforcement"})
    html = narrowed.content.decode()
    assert "/enforce/" in html and "/wages/" not in html


@pytest.mark.parametrize("query", ['"拖欠', "-", "a" * 5000, "\x00\x1b", "title:(x"])
def test_odd_queries_never_fail(client, indexed_pages, query):
    """Whatever is typed, the page answers 200."""
    assert client.get("/search/", {"q": query}).status_code == 200


def test_engine_down_shows_a_polite_message(client, db):
    """With the engine unreachable the page says so, with 503 and no error page."""
    with override_settings(ELASTICSEARCH_URL=DEAD_ENGINE):
        response = client.get("/search/", {"q": "拖欠"})
    assert response.status_code == 503
    assert "暂时无法使用" in response.content.decode()


def test_suggestions_json_gives_the_best_guides(client, indexed_pages):
    """A draft about unpaid wages suggests the wages guide first, guides only."""
    response = client.post(
        "/search/suggest.json", {"text": "公司拖欠我三个月的工资，我想申请仲裁"}
    )
    assert response.status_code == 200
    guides = response.json()["guides"]
    assert [guide["url"] for guide in guides][:1] == ["/wages/"]
    assert len(guides) <= 3
    assert all(guide["url"] != "/case/" for guide in guides)


def test_suggestions_need_a_post_so_drafts_stay_out_of_urls(client, indexed_pages):
    """GET is refused: a citizen's text never travels in a URL."""
    assert client.get("/search/suggest.json", {"text": "工资"}).status_code == 405


def test_related_guides_page_works_without_javascript(client, indexed_pages):
    """The petition form's button posts the draft field and gets a page of links."""
    response = client.post(
        "/search/related-guides/",
        {"related_for": "description", "description": "被执行人拖欠执行款"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/enforce/"' in html
    assert "被执行人拖欠执行款</textarea>" in html


def test_suggestions_when_the_engine_is_down(client, db):
    """The JSON says unavailable; the page keeps the draft and explains."""
    with override_settings(ELASTICSEARCH_URL=DEAD_ENGINE):
        response = client.post("/search/suggest.json", {"text": "拖欠工资"})
        assert response.status_code == 503
        assert response.json() == {"guides": [], "available": False}
        page_response = client.post("/search/related-guides/", {"text": "拖欠工资"})
    assert page_response.status_code == 503
    assert "拖欠工资</textarea>" in page_response.content.decode()
