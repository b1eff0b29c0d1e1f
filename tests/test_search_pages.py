"""Content pages reach the public search: publish, unpublish, rebuild."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import Page

from home.models import HomePage
from search.backends import get_backend
from search.backends.base import SearchRequest


@pytest.fixture
def pages_index(db):
    get_backend().clear("pages")
    yield get_backend()
    get_backend().clear("pages")


def live_page_count() -> int:
    return Page.objects.live().public().filter(depth__gt=1).count()


def found(backend, query: str, language: str = "zh-hans") -> list[str]:
    backend.refresh("pages")
    request = SearchRequest(kind="pages", query=query, filters={"language": [language]})
    return [hit.source["url"] for hit in backend.search(request).hits]


def test_rebuild_indexes_the_live_pages_in_both_languages(demo_site, pages_index):
    """The demo home pages are found by their introductions, each in its language."""
    out = io.StringIO()
    call_command(
        "search_index", "--rebuild", "--kind", "pages", stdout=out, stderr=io.StringIO()
    )
    assert f"pages: {live_page_count()} documents" in out.getvalue()
    assert found(pages_index, "诉求 回音") == ["/"]
    assert found(pages_index, "reply", language="en") == ["/en/"]


def test_publishing_and_unpublishing_update_the_index(
    demo_site, pages_index, django_capture_on_commit_callbacks
):
    """Publish: found after the commit. Unpublish: gone after the commit."""
    english = HomePage.objects.get(locale__language_code="en")
    english.intro = "Mediation of neighbourhood disputes, free of charge."
    with django_capture_on_commit_callbacks(execute=True):
        english.save_revision().publish()
    assert found(pages_index, "neighbourhood mediation", language="en") == ["/en/"]
    with django_capture_on_commit_callbacks(execute=True):
        english.unpublish()
    assert found(pages_index, "neighbourhood", language="en") == []


def test_reconcile_finds_pages_published_while_the_engine_was_away(
    demo_site, pages_index
):
    """Pages published without indexing are added by --reconcile."""
    out = io.StringIO()
    call_command("search_index", "--reconcile", "--kind", "pages", stdout=out)
    assert f"{live_page_count()} added, 0 updated, 0 removed" in out.getvalue()
    assert found(pages_index, "诉求") == ["/"]


def test_the_scheduled_reconcile_covers_every_kind(demo_site, pages_index):
    """The hourly task reconciles pages (and petitions, when they have a source)."""
    from search.indexing import reconcile_all

    result = reconcile_all.call()
    assert result["pages"]["added"] == live_page_count() > 2
