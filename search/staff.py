"""Staff search over the petitions in the reader's scope, in the Wagtail admin.

One box (words, "exact phrases", -exclusions, or a tracking, case, phone or ID
number), a facet sidebar, highlighted snippets, masked personal data, and saved
searches per user. The engine being down gives a clear message (503), never a 500.
Scope comes from ``search.scope.scope_for_user`` (``petitions.access``).

The box is sent by POST and answered with a redirect to the results, so that what
was typed stays out of access logs and browser history: the words (a name, a phone
or ID number, a complaint's details) travel in the results' URL, its facet and page
links, and saved searches only sealed (``sealed=``, AES-GCM under a key derived from
FIELD_ENCRYPTION_KEY). A link with words in clear (``q=``, typed by hand or from
before) is answered with a redirect to its sealed form.
"""

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView

from portal.admin_page import AdminPageMixin
from portal.security.crypto import DecryptionError, decrypt, encrypt
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.models import SavedSearch
from search.scope import scope_for_user
from search.views import ask_engine

PER_PAGE = 20
FACETS = ("status", "category", "unit", "channel", "received_month", "overdue")
# Facets listed by their value (newest month first), not by their count.
BY_VALUE = {"received_month"}
# The parameters a saved search keeps: everything but the page number. The words
# are `sealed`; `q` only in a link typed by hand or from before.
KEPT = ("q", "sealed", "sort", "from", "to", *FACETS)
FILTERS = ("sort", "from", "to", *FACETS)
SEAL_PURPOSE = b"staff-search-url"
SORT_LABELS = {
    "relevance": gettext_lazy("Best match"),
    "newest": gettext_lazy("Newest first"),
    "deadline": gettext_lazy("Deadline first"),
}


def may_search_petitions(user) -> bool:
    from petitions.staff import works_on_petitions

    return works_on_petitions(user)


def petition_url(pk) -> str:
    """The petition's page in the staff workspace."""
    try:
        return reverse("petitions_admin_detail", args=[pk])
    except NoReverseMatch:
        return ""


def _date(value: str, label: str, errors: list[str]) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        errors.append(
            _("“%(value)s” is not a date for “%(field)s”; use YYYY-MM-DD.")
            % {"value": value[:20], "field": label}
        )
        return None


def _page(value) -> int:
    try:
        return max(1, min(int(value), 500))
    except (TypeError, ValueError):
        return 1


def seal_words(words: str) -> str:
    return encrypt(words, purpose=SEAL_PURPOSE)


def search_words(params: QueryDict, errors: list[str]) -> str:
    """The words searched for: typed (`q`) or, from a link, unsealed (`sealed`)."""
    if "q" in params:
        return params.get("q", "")[:500]
    token = params.get("sealed", "")
    if not token:
        return ""
    try:
        return decrypt(token, purpose=SEAL_PURPOSE)[:500]
    except DecryptionError:
        errors.append(
            _("This search link can no longer be read. Please type the search again.")
        )
        return ""


def request_from(params: QueryDict, user, errors: list[str]) -> SearchRequest:
    """The staff search form's parameters as one SearchRequest in ``user``'s scope."""
    filters = {
        name: [value[:100] for value in params.getlist(name) if value][:20]
        for name in FACETS
    }
    date_from = _date(params.get("from", ""), _("Received from"), errors)
    date_to = _date(params.get("to", ""), _("Received until"), errors)
    return SearchRequest(
        kind="petitions",
        query=search_words(params, errors),
        scope=scope_for_user(user),
        filters={name: values for name, values in filters.items() if values},
        date_field="received",
        date_from=date_from,
        date_to=date_to,
        facets=list(FACETS),
        sort=params.get("sort", "relevance"),
        page=_page(params.get("page")),
        per_page=PER_PAGE,
    )


def kept_query_string(params: QueryDict) -> str:
    """The search parameters worth saving or linking to, page number left out;
    the words sealed, never in clear."""
    words = params.get("q", "")[:500]
    if "q" in params:
        pairs = [("sealed", seal_words(words))] if words else []
    else:
        pairs = [("sealed", token) for token in params.getlist("sealed")[:1] if token]
    pairs += [
        (name, value) for name in FILTERS for value in params.getlist(name) if value
    ]
    return urlencode(pairs)


def results_url(params: QueryDict) -> str:
    query_string = kept_query_string(params)
    return reverse("search_petitions_staff") + (
        f"?{query_string}" if query_string else ""
    )


class FacetLabels:
    """Readable names for the facet values the engine counts (codes and keys)."""

    def __init__(self):
        from petitions.models import Category, Channel, Unit
        from petitions.workflow import Status

        self.names = {
            "status": dict(Status.choices),
            "channel": dict(Channel.choices),
            "category": {c.code: c.display_name for c in Category.objects.all()},
            "unit": {u.code: u.display_name for u in Unit.objects.all()},
            "overdue": {"true": _("Overdue"), "false": _("Not overdue")},
        }

    def __call__(self, facet: str, value: str) -> str:
        return str(self.names.get(facet, {}).get(value, value))


FACET_TITLES = {
    "status": gettext_lazy("Status"),
    "category": gettext_lazy("Category"),
    "unit": gettext_lazy("Unit"),
    "channel": gettext_lazy("Channel"),
    "received_month": gettext_lazy("Month received"),
    "overdue": gettext_lazy("Deadline"),
}


def facet_groups(result, params: QueryDict) -> list[dict]:
    """The sidebar: per facet, each value with its count and a link that toggles it."""
    label = FacetLabels()
    groups = []
    for facet in FACETS:
        chosen = params.getlist(facet)
        options = []
        counted = result.facets.get(facet, [])
        if facet in BY_VALUE:
            counted = sorted(counted, reverse=True)
        for value, count in counted:
            toggled = params.copy()
            toggled.pop("page", None)
            values = [v for v in chosen if v != value]
            if value not in chosen:
                values.append(value)
            toggled.setlist(facet, values)
            options.append(
                {
                    "label": label(facet, value),
                    "count": count,
                    "chosen": value in chosen,
                    "query_string": kept_query_string(toggled),
                }
            )
        if options:
            groups.append({"title": FACET_TITLES[facet], "options": options})
    return groups


def hit_item(hit) -> dict:
    """One result: escaped highlights (search.highlight escapes), masked contact."""
    source = hit.source
    highlights = hit.highlights
    subject = highlights.get("subject", [""])[0] or escape(source.get("subject", ""))
    snippets = []
    for field in ("description", "replies", "notes"):
        snippets += [(field, snippet) for snippet in highlights.get(field, [])]
    return {
        "url": petition_url(hit.id),
        "tracking_no": source.get("tracking_no", ""),
        "subject_html": mark_safe(subject),  # noqa: S308 - escaped above or by highlight
        "snippets": [
            {"internal": field == "notes", "html": mark_safe(html)}  # noqa: S308
            for field, html in snippets[:3]
        ],
        "status": source.get("status", ""),
        "category_name": source.get("category_name", ""),
        "unit_name": source.get("unit_name", ""),
        "received": (source.get("received") or "")[:10],
        "due": source.get("due") or "",
        "overdue": source.get("overdue") in (True, "true"),
        "name_masked": source.get("name_masked", ""),
        "phone_masked": source.get("phone_masked", ""),
    }


class StaffOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not may_search_petitions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PetitionSearchView(StaffOnlyMixin, AdminPageMixin, TemplateView):
    page_title = gettext_lazy("Search petitions")
    header_icon = "search"
    template_name = "search/admin/petition_search.html"

    def post(self, request, *args, **kwargs):
        """The search box: answered by the results' URL, the words sealed if need be."""
        response = HttpResponseRedirect(results_url(request.POST))
        response.status_code = 303
        return response

    def get(self, request, *args, **kwargs):
        params = request.GET
        if params.get("q"):
            # A hand-made or old link with words in clear: keep them out of the
            # history from now on.
            return redirect(results_url(params))
        errors: list[str] = []
        search_request = request_from(params, request.user, errors)
        searched = any(params.get(name) for name in KEPT)
        result, available = (None, True)
        if searched:
            result, available = ask_engine(get_backend().search, search_request)
        context = self.get_context_data(
            query=search_request.query,
            params=params,
            errors=errors,
            unavailable=not available,
            result=result,
            sort=search_request.sort,
            sorts=SORT_LABELS.items(),
            kept=kept_query_string(params),
            saved=SavedSearch.objects.filter(user=request.user),
        )
        if result is not None:
            from petitions.workflow import Status

            statuses = dict(Status.choices)
            context["items"] = [hit_item(hit) for hit in result.hits]
            for item in context["items"]:
                item["status_label"] = statuses.get(item["status"], item["status"])
            context["facets"] = facet_groups(result, params)
            pages = max(1, -(-result.total // PER_PAGE))
            page = min(search_request.page, pages)
            context.update(
                page=page,
                pages=pages,
                previous_page=page - 1 if page > 1 else None,
                next_page=page + 1 if page < pages else None,
            )
        return self.render_to_response(context, status=200 if available else 503)


@require_POST
def save_search(request):
    """Keep the current search under a name; the same name replaces the old one."""
    if not may_search_petitions(request.user):
        raise PermissionDenied
    name = request.POST.get("name", "").strip()[:80]
    query_string = kept_query_string(QueryDict(request.POST.get("query_string", "")))
    back = results_url(QueryDict(query_string))
    if not name or not query_string:
        messages.error(request, _("Give the search a name, and search for something."))
        return redirect(back)
    try:
        SavedSearch.objects.update_or_create(
            user=request.user, name=name, defaults={"query_string": query_string}
        )
    except IntegrityError:  # two saves of one name at once: the other one won
        pass
    messages.success(request, _("Saved as “%(name)s”.") % {"name": name})
    return redirect(back)


@require_POST
def delete_saved_search(request, pk: int):
    """Forget one of the user's own saved searches (another's is not found)."""
    saved = get_object_or_404(SavedSearch, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Removed “%(name)s”.") % {"name": saved.name})
    return redirect("search_petitions_staff")
