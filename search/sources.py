"""The portal's sources of documents: one builder per indexed model.

Importing this module registers them with ``search.indexing``. Content pages are
read through Wagtail's own ``search_fields`` declarations, so a new page type is
searchable without a change here; its ``search_page_type`` (or model name) is what
the public filters and the petition form's suggestions ask for.
"""

import hashlib

from django.utils.html import strip_tags
from wagtail.models import Page
from wagtail.search import index

from search.indexing import Source, register_source

# Page models whose kind the portal asks for by a short name.
PAGE_TYPES = {
    "legalguidepage": "guide",
    "casestudypage": "case",
    "questionanswerpage": "qa",
    "newspage": "news",
    "servicechannelpage": "channel",
}
SUMMARY_FIELDS = ("summary", "intro", "search_description")


def _searchable_text(page) -> list[str]:
    """The text of every SearchField of ``page`` except title and summary."""
    texts = []
    for field in page.get_search_fields():
        name = getattr(field, "field_name", "")
        if not isinstance(field, index.SearchField) or name in ("title",):
            continue
        if name in SUMMARY_FIELDS:
            continue
        value = field.get_value(page)
        if not value:
            continue
        # Wagtail hands StreamField and RichText content over as a list of texts.
        values = value if isinstance(value, (list, tuple)) else [value]
        texts.extend(strip_tags(str(text)) for text in values)
    return [text for text in texts if text.strip()]


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def page_type(page) -> str:
    model = page.specific_class or type(page)
    return getattr(
        model, "search_page_type", PAGE_TYPES.get(model._meta.model_name, "page")
    )


def page_document(page) -> dict:
    """A live, public page as the pages index stores it."""
    parent = page.get_parent()
    section = parent.slug if parent is not None and parent.depth > 2 else ""
    summary = next(
        (getattr(page, name) for name in SUMMARY_FIELDS if getattr(page, name, "")),
        "",
    )
    topics = getattr(page, "topics", None)
    return {
        "id": str(page.pk),
        "version": str(page.live_revision_id or ""),
        "title": page.title,
        "summary": strip_tags(str(summary)),
        "body": "\n".join(_searchable_text(page)),
        "topics": [str(getattr(topic, "slug", topic)) for topic in topics.all()]
        if topics is not None and hasattr(topics, "all")
        else [],
        "section": section,
        "section_name": parent.title if section else "",
        "page_type": page_type(page),
        "language": page.locale.language_code,
        "url": page.get_url() or "",
        "published": _iso(page.first_published_at),
        "updated": _iso(page.last_published_at),
    }


# Petitions read at a time by a rebuild or a reconcile.
READ_PAGE = 500


def _ids(keys) -> list[int]:
    return [int(key) for key in keys if str(key).isdigit()]


def _live_pages(keys=None):
    """Pages the public may find (those of ``keys`` only, when given)."""
    pages = Page.objects.live().public().filter(depth__gt=1)
    return pages if keys is None else pages.filter(pk__in=_ids(keys))


def in_pages(queryset, size: int):
    """The rows of ``queryset`` in primary-key order, read ``size`` at a time, each
    page whole before the first of its rows is handed out.

    No statement stays open while the caller works with a row. On SQLite an open
    read keeps the snapshot it began with, and a rebuild writing between two reads
    was refused ("database is locked") as soon as another process (the worker,
    the scheduler) had written meanwhile."""
    queryset = queryset.order_by("pk")
    last = None
    while True:
        page = list((queryset if last is None else queryset.filter(pk__gt=last))[:size])
        yield from page
        if len(page) < size:
            return
        last = page[-1].pk


def page_documents(keys=None):
    pages = _live_pages(keys).select_related("locale")
    for page in in_pages(pages.specific(), 200):
        yield page_document(page)


register_source(
    Source(
        kind="pages",
        documents=page_documents,
        versions=lambda keys=None: {
            str(pk): str(revision or "")
            for pk, revision in _live_pages(keys).values_list("pk", "live_revision_id")
        },
        count=lambda: _live_pages().count(),
    )
)


# --- Petitions: what staff search ------------------------------------------------


def mask_name(name: str) -> str:
    """'张三丰' -> '张**': the family name only."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def petition_version(
    updated_at, overdue: bool, last_event, unit_path: str, category_path: str
) -> str:
    """Changes whenever the petition's document would: its row changes, it falls
    overdue with time, a step is recorded (internal notes, feedback, follow-ups and
    links leave the row alone but add text), or its unit or category moves in the
    tree (the document holds every ancestor's path for scope).

    The tail is hashed to keep the version short; only equality matters."""
    tail = f"{last_event or 0}|{unit_path or ''}|{category_path or ''}"
    digest = hashlib.blake2b(tail.encode(), digest_size=8).hexdigest()
    return f"{updated_at.isoformat()}|{int(overdue)}|{digest}"


def _deadline(petition):
    return petition.due_at or petition.accept_by or petition.expected_by


def _is_overdue(due, status, today) -> bool:
    from petitions.workflow import OPEN

    return bool(due and due < today and status in OPEN)


class Ancestry:
    """Every ancestor of a category or unit, asked of the database once per tree
    node for a run of documents: a rebuild reads every petition, and they share a
    few dozen nodes."""

    def __init__(self):
        self._known = {}

    def _remember(self, node, answer):
        key = (type(node), node.pk, node.path)
        if key not in self._known:
            self._known[key] = answer()
        return self._known[key]

    def category_codes(self, category) -> list[str]:
        return self._remember(
            category,
            lambda: [node.code for node in category.get_ancestors()] + [category.code],
        )

    def unit_path(self, unit) -> list[str]:
        from search.scope import document_unit_path

        if unit is None:
            return []
        return self._remember(unit, lambda: document_unit_path(unit))


def petition_document(petition, today=None, ancestry: Ancestry | None = None) -> dict:
    """A petition as staff search it: texts, where it sits, state, masked contact."""
    from django.utils import timezone

    from portal.security.personal_data import mask_phone
    from search.backends.base import case_key

    today = today or timezone.localdate()
    ancestry = ancestry or Ancestry()
    category, unit = petition.category, petition.unit
    marks = {"joint": petition.is_joint, "anonymous": petition.anonymous}
    flags = [name for name, on in marks.items() if on]
    received = timezone.localtime(petition.received_at)
    due = _deadline(petition)
    overdue = _is_overdue(due, petition.status, today)
    events = list(petition.events.all())
    version = petition_version(
        petition.updated_at,
        overdue,
        max((event.pk for event in events), default=0),
        unit.path if unit else "",
        category.path,
    )
    return {
        "id": str(petition.pk),
        "version": version,
        "tracking_no": petition.tracking_no,
        "case_no": petition.case_number,
        "case_key": case_key(petition.case_number) if petition.case_number else "",
        "subject": petition.subject,
        "party": "" if petition.anonymous else petition.name,
        "description": petition.description,
        "replies": [reply.body for reply in petition.replies.all()],
        "notes": [event.note for event in events if event.note],
        "category": ancestry.category_codes(category),
        "category_name": category.name,
        "unit": unit.code if unit else "",
        "unit_path": ancestry.unit_path(unit),
        "unit_name": unit.name if unit else "",
        "status": petition.status,
        "channel": petition.channel,
        "flags": flags,
        "received": received.isoformat(),
        "received_month": received.strftime("%Y-%m"),
        "due": due.isoformat() if due else None,
        "overdue": overdue,
        "name_masked": "" if petition.anonymous else mask_name(petition.name),
        "phone_masked": mask_phone(petition.phone) if petition.phone else "",
        "phone_hash": petition.phone_hash,
        "id_hash": petition.id_number_hash,
        "url": "",
    }


def petition_documents(keys=None):
    from petitions.models import Petition

    petitions = Petition.objects.select_related("category", "unit").prefetch_related(
        "replies", "events"
    )
    if keys is not None:
        petitions = petitions.filter(pk__in=_ids(keys))
    ancestry = Ancestry()
    for petition in in_pages(petitions, READ_PAGE):
        yield petition_document(petition, ancestry=ancestry)


def petition_versions(keys=None) -> dict[str, str]:
    from django.db.models import Max
    from django.utils import timezone

    from petitions.models import Petition

    today = timezone.localdate()
    petitions = Petition.objects.all()
    if keys is not None:
        petitions = petitions.filter(pk__in=_ids(keys))
    rows = (
        petitions.order_by()
        .annotate(last_event=Max("events__id"))
        .values_list(
            "pk",
            "updated_at",
            "status",
            "due_at",
            "accept_by",
            "expected_by",
            "last_event",
            "unit__path",
            "category__path",
        )
    )
    return {
        str(pk): petition_version(
            updated_at,
            _is_overdue(due or accept or expected, status, today),
            last_event,
            unit_path,
            category_path,
        )
        for (
            pk,
            updated_at,
            status,
            due,
            accept,
            expected,
            last_event,
            unit_path,
            category_path,
        ) in rows.iterator()
    }


def petitions_changed_since(since) -> set[str]:
    """Petitions whose row changed or that had a step recorded since ``since``."""
    from petitions.models import Event, Petition

    changed = set(Petition.objects.filter(updated_at__gte=since).values_list("pk"))
    changed |= set(Event.objects.filter(created_at__gte=since).values_list("petition"))
    return {str(pk) for (pk,) in changed}


def _petition_count() -> int:
    from petitions.models import Petition

    return Petition.objects.count()


register_source(
    Source(
        kind="petitions",
        documents=petition_documents,
        versions=petition_versions,
        count=_petition_count,
        changed_since=petitions_changed_since,
    )
)
