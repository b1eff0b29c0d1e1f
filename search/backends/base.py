"""The contract both engines keep, and the one place a request is understood.

A caller describes what it wants in a ``SearchRequest``; ``plan_request`` turns that
into a ``SearchPlan`` (parsed words, phrases, exclusions, exact lookups recognised in
the typed text, filters, date bounds in UTC) once, so the two engines only translate
the same plan into their own query language and cannot drift apart in what a query
means. Highlighting happens after the engine answered, in ``search.highlight``, over
the stored source text, so both engines show identical highlights.
"""

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone

from search.documents import KINDS, Kind
from search.highlight import highlight_source
from search.text import ParsedQuery, compact_normal, normalize, parse_query

SORTS = ("relevance", "newest", "deadline")
MAX_PER_PAGE = 100
# Engines refuse deep pages (Elasticsearch's result window); nobody reads page 500.
MAX_RESULT_WINDOW = 10_000
# Values shown per facet, most frequent first.
FACET_SIZE = 50


class SearchUnavailable(Exception):
    """The engine cannot answer now; callers show a polite message, never a 500."""


@dataclass
class SearchRequest:
    """What a caller asks for; every part is optional."""

    kind: str
    query: str = ""
    # Unit paths the reader may see (a petition matches when one of its units'
    # ancestors is listed). None: no scope (operators, public content); []: nothing.
    scope: list[str] | None = None
    filters: dict[str, list[str]] = field(default_factory=dict)
    date_field: str = ""
    date_from: date | datetime | None = None
    date_to: date | datetime | None = None  # inclusive when a date
    tracking_no: str = ""
    case_no: str = ""
    phone: str = ""
    facets: list[str] = field(default_factory=list)
    sort: str = "relevance"
    # Any word may match (suggestions from a long text) instead of every word.
    match_any: bool = False
    page: int = 1
    per_page: int = 20
    highlight: bool = True


@dataclass
class Hit:
    id: str
    score: float
    source: dict
    highlights: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    # Set when the query was understood as something else (e.g. an exact lookup).
    hint: str = ""


@dataclass
class SearchPlan:
    """A request understood: what both engines translate, field by field."""

    kind: Kind
    parsed: ParsedQuery
    # Exact-match keyword fields, e.g. {"tracking_no": ["20261123-00042-K"]}, plus
    # the caller's filters and the scope; every entry must match one of its values.
    terms: dict[str, list[str]]
    date_field: str
    date_gte: str
    date_lt: str
    facets: list[str]
    sort: str
    match_any: bool
    offset: int
    limit: int
    empty: bool = False  # a scope of no units: answer nothing without asking
    hint: str = ""

    @property
    def compact_phrases(self) -> list[str]:
        return [compact(phrase) for phrase in self.parsed.phrases if compact(phrase)]


def compact(text: str) -> str:
    """A phrase as the database engine compares it (``search.text.compact_normal``).

    Elasticsearch's standard analyser drops the same characters between the
    one-character tokens it makes of Chinese and matches runs of letters or digits
    as whole tokens, so both engines agree on phrases.
    """
    return compact_normal(normalize(text))


def utc_iso(value: datetime) -> str:
    """One spelling of an instant for both engines: UTC, seconds, no offset."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _bound(value: date | datetime | None, end: bool) -> str:
    if value is None:
        return ""
    if not isinstance(value, datetime):
        day = value + timedelta(days=1) if end else value
        value = timezone.make_aware(datetime.combine(day, time.min))
    return utc_iso(value)


def phone_key(value: str) -> str:
    """The keyed hash of a phone number, as intake stores it (``check_phone``)."""
    from petitions.validators import MOBILE_RE, check_phone, fold_width
    from portal.security.crypto import keyed_hash

    text = re.sub(r"[\s\-()]", "", fold_width(value or "")).removeprefix("+86")
    if not MOBILE_RE.match(text):
        try:
            text = check_phone(value)
        except ValidationError:
            pass
    return keyed_hash(text)


def id_number_key(value: str) -> str:
    """The keyed hash of a national ID number, as intake stores it."""
    from portal.security.crypto import keyed_hash
    from portal.security.personal_data import normalise_id_number

    return keyed_hash(normalise_id_number(value))


def case_key(value: str) -> str:
    """A court case number as compared: the form ``check_case_number`` keeps."""
    from petitions.validators import check_case_number

    try:
        return check_case_number(value)
    except ValidationError:
        return re.sub(r"\s", "", normalize(value or ""))


def recognise_lookup(text: str) -> dict[str, str]:
    """An identifier typed into the search box, as an exact lookup field and value.

    Staff paste tracking numbers, case numbers, phone and ID numbers into the same
    box as words; an identifier is looked up exactly rather than cut into words.
    """
    from petitions.identifiers import check_tracking_no
    from petitions.validators import MOBILE_RE, check_case_number, fold_width
    from portal.security.personal_data import ID_PATTERN, normalise_id_number

    text = (text or "").strip()
    if not text or len(text) > 40:
        return {}
    tracking_no = check_tracking_no(text)
    if tracking_no:
        return {"tracking_no": tracking_no}
    try:
        return {"case_key": check_case_number(text)}
    except ValidationError:
        pass
    digits = re.sub(r"[\s\-()]", "", fold_width(text)).removeprefix("+86")
    if MOBILE_RE.match(digits):
        return {"phone_hash": phone_key(digits)}
    if ID_PATTERN.match(normalise_id_number(digits)):
        return {"id_hash": id_number_key(digits)}
    return {}


def _has_alnum(text: str) -> bool:
    return any(char.isalnum() for char in text)


def facet_lists(
    counts: Mapping[str, int], names: list[str]
) -> dict[str, list[tuple[str, int]]]:
    """Counts per value of the ``name=value`` lines asked for, most frequent first
    then by value, as Elasticsearch's terms aggregation orders them."""
    facets = {name: [] for name in names}
    for line, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name, _, value = line.partition("=")
        if name in facets and len(facets[name]) < FACET_SIZE:
            facets[name].append((value, count))
    return facets


def plan_request(request: SearchRequest) -> SearchPlan:
    """Understand a request once, forgivingly: nothing a person types raises."""
    from petitions.identifiers import normalize_tracking_no

    kind = KINDS[request.kind]
    terms: dict[str, list[str]] = {}
    for name, values in request.filters.items():
        if name in kind.keyword_fields and values:
            terms[name] = [str(value) for value in values]
    scoped = request.scope is not None and bool(kind.scope_field)
    if scoped:
        terms[kind.scope_field] = list(request.scope)
    lookups = {
        "tracking_no": normalize_tracking_no(request.tracking_no),
        "case_key": request.case_no and case_key(request.case_no),
        "phone_hash": request.phone and phone_key(request.phone),
    }
    hint = ""
    recognised = recognise_lookup(request.query) if kind.lookups else {}
    if recognised:
        lookups.update(recognised)
        hint = "lookup"
    parsed = parse_query("" if recognised else request.query)
    # A "word" of only punctuation or underscores means nothing to any engine.
    parsed.words = [word for word in parsed.words if _has_alnum(word)]
    parsed.excluded = [word for word in parsed.excluded if _has_alnum(word)]
    for name, value in lookups.items():
        if value and name in kind.lookups:
            terms[name] = [value]
    sort = request.sort if request.sort in SORTS else "relevance"
    if sort == "relevance" and not parsed.words:
        # Only words rank (exact phrases narrow): without any, all rank alike.
        sort = "newest"
    per_page = max(1, min(int(request.per_page or 20), MAX_PER_PAGE))
    offset = max(0, (max(1, int(request.page or 1)) - 1) * per_page)
    date_field = request.date_field if request.date_field in kind.date_fields else ""
    return SearchPlan(
        kind=kind,
        parsed=parsed,
        terms=terms,
        date_field=date_field,
        date_gte=_bound(request.date_from, end=False) if date_field else "",
        date_lt=_bound(request.date_to, end=True) if date_field else "",
        facets=[name for name in request.facets if name in kind.keyword_fields],
        sort=sort,
        match_any=request.match_any,
        offset=min(offset, MAX_RESULT_WINDOW - per_page),
        limit=per_page,
        empty=scoped and not request.scope,
        hint=hint,
    )


class SearchBackend:
    """What every engine does. Documents are plain dicts made by ``search.documents``
    builders: ``id`` and ``version`` plus the fields their kind declares."""

    name: str = ""

    @property
    def location(self) -> str:
        return ""

    def ping(self) -> None:
        """Raise if the engine cannot answer queries now."""
        raise NotImplementedError

    def upsert(self, kind: str, documents: Iterable[dict]) -> int:
        """Index or replace documents by id; return how many were written."""
        raise NotImplementedError

    def delete(self, kind: str, ids: Iterable[str]) -> None:
        """Remove documents by id; ids that are not indexed are ignored."""
        raise NotImplementedError

    def versions(self, kind: str, keys: Iterable[str] | None = None) -> dict[str, str]:
        """Every indexed id with its version (or those of ``keys`` that are
        indexed), for reconciling with the database."""
        raise NotImplementedError

    def rebuild(
        self,
        kind: str,
        documents: Iterable[dict],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Replace the whole index of ``kind`` without a moment where it is empty."""
        raise NotImplementedError

    def refresh(self, kind: str) -> None:
        """Make what was written visible to searches now (tests, commands)."""

    def clear(self, kind: str) -> None:
        """Drop everything of ``kind`` (tests, benchmarks)."""
        raise NotImplementedError

    def execute(self, plan: SearchPlan) -> SearchResult:
        """Run a planned search; the engine's only query-language work."""
        raise NotImplementedError

    def search(self, request: SearchRequest) -> SearchResult:
        """Plan, execute, highlight: the same steps for every engine."""
        plan = plan_request(request)
        if plan.empty:
            return SearchResult(total=0, hits=[], facets={}, hint=plan.hint)
        result = self.execute(plan)
        result.hint = plan.hint
        if request.highlight:
            for hit in result.hits:
                hit.highlights = highlight_source(hit.source, plan.kind, plan.parsed)
        return result
