"""Public search over the content, and guide suggestions for the petition form.

Every view here answers even when the engine is down: the page says so politely
(status 503) and nothing a citizen typed is lost. Text a citizen is writing is sent
by POST, never in a URL, so it stays out of logs and browser history.
"""

import logging
from urllib.parse import urlencode

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from search.backends import get_backend
from search.backends.base import SearchRequest, SearchUnavailable
from search.text import words

logger = logging.getLogger("search.views")
PER_PAGE = 10
SUGGESTIONS = 3
MAX_SUGGEST_WORDS = 12
MAX_SUGGEST_CHARS = 2000


def content_language() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh-hans"


def _page_number(value) -> int:
    try:
        return max(1, min(int(value), 100))
    except (TypeError, ValueError):
        return 1


def suggestion_query(text: str) -> str:
    """The distinct words of a draft worth matching: two characters or more."""
    seen = []
    for word in words(text, MAX_SUGGEST_CHARS):
        if len(word) >= 2 and word not in seen:
            seen.append(word)
        if len(seen) == MAX_SUGGEST_WORDS:
            break
    return " ".join(seen)


def suggest_guides(text: str, language: str, limit: int = SUGGESTIONS) -> list[dict]:
    """The guides that best match ``text``; raises when the engine is down."""
    query = suggestion_query(text)
    if not query:
        return []
    result = get_backend().search(
        SearchRequest(
            kind="pages",
            query=query,
            match_any=True,
            filters={"language": [language], "page_type": ["guide"]},
            per_page=limit,
            highlight=False,
        )
    )
    return [
        {
            "title": hit.source.get("title", ""),
            "url": hit.source.get("url", ""),
            "summary": hit.source.get("summary", ""),
        }
        for hit in result.hits
    ]


def ask_engine(function, *args):
    """(answer, True), or (None, False) when the engine failed: pages built on it
    then say so politely instead of erring."""
    try:
        return function(*args), True
    except SearchUnavailable as error:
        logger.warning("search engine unavailable: %s", error)
    except Exception:  # any other engine failure: still a polite page, never a 500
        logger.exception("search failed")
    return None, False


@require_http_methods(["GET", "HEAD"])
def search_page(request):
    """Search guides, cases, Q&A, news and channels in the reader's language."""
    query = request.GET.get("q", "")[:200].strip()
    section = request.GET.get("section", "")[:60]
    context = {"query": query, "section": section, "result": None}
    status = 200
    if query:
        filters = {"language": [content_language()]}
        if section:
            filters["section"] = [section]
        context["result"], available = ask_engine(
            get_backend().search,
            SearchRequest(
                kind="pages",
                query=query,
                filters=filters,
                facets=["section"],
                page=_page_number(request.GET.get("page")),
                per_page=PER_PAGE,
            ),
        )
        if not available:
            context["unavailable"], status = True, 503
    if context["result"] is not None:
        context.update(_pagination(context["result"], request))
        context["sections"] = _section_links(context["result"], section)
        context["items"] = [_item(hit) for hit in context["result"].hits]
    return render(request, "search/search.html", context, status=status)


def _item(hit) -> dict:
    """What the results list shows of a hit: marked-up title and snippets.

    The highlights are escaped by ``search.highlight``; titles without a match are
    escaped here, so the template may mark both safe.
    """
    highlights = hit.highlights
    title = highlights.get("title", [""])[0] or escape(hit.source.get("title", ""))
    snippets = highlights.get("summary", []) + highlights.get("body", [])
    if not snippets and hit.source.get("summary"):
        snippets = [escape(hit.source["summary"])]
    return {
        "title_html": mark_safe(title),  # noqa: S308 - escaped above or in highlight
        "snippets": [mark_safe(snippet) for snippet in snippets[:2]],  # noqa: S308
        "url": hit.source.get("url", ""),
        "section_name": hit.source.get("section_name", ""),
    }


def _pagination(result, request) -> dict:
    page = _page_number(request.GET.get("page"))
    pages = max(1, -(-result.total // PER_PAGE))
    kept = {"q": request.GET.get("q", "")[:200].strip()}
    if request.GET.get("section"):
        kept["section"] = request.GET["section"][:60]
    return {
        "page": page,
        "pages": pages,
        "previous_page": page - 1 if page > 1 else None,
        "next_page": page + 1 if page < pages else None,
        "kept": urlencode(kept),
    }


def _section_links(result, current: str) -> list[dict]:
    """The section facet as links, named as the hits name their sections."""
    names = {
        hit.source.get("section"): hit.source.get("section_name") for hit in result.hits
    }
    return [
        {
            "value": value,
            "name": names.get(value) or value,
            "count": count,
            "current": value == current,
        }
        for value, count in result.facets.get("section", [])
    ]


def _draft_text(request) -> str:
    """The text to match: the field named by ``related_for`` or ``text``."""
    field = request.POST.get("related_for") or "text"
    return request.POST.get(field, "")[:MAX_SUGGEST_CHARS]


@require_POST
def suggest_json(request):
    """The three best guides for a draft, for the petition form's script."""
    guides, available = ask_engine(
        suggest_guides, _draft_text(request), content_language()
    )
    return JsonResponse(
        {"guides": guides or [], "available": available},
        status=200 if available else 503,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def related_guides(request):
    """The same suggestions as a page: works without JavaScript."""
    context = {"text": "", "guides": None}
    status = 200
    if request.method == "POST":
        context["text"] = _draft_text(request)
        context["guides"], available = ask_engine(
            suggest_guides, context["text"], content_language()
        )
        if not available:
            context["unavailable"], status = True, 503
    return render(request, "search/related_guides.html", context, status=status)
