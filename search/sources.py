"""The portal's sources of documents: one builder per indexed model.

Importing this module registers them with ``search.indexing``. Content pages are
read through Wagtail's own ``search_fields`` declarations, so a new page type is
searchable without a change here; its ``search_page_type`` (or model name) is what
the public filters and the petition form's suggestions ask for.
"""

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


def _live_pages():
    return Page.objects.live().public().filter(depth__gt=1)


def page_documents(keys=None):
    pages = _live_pages().select_related("locale")
    if keys is not None:
        pages = pages.filter(pk__in=[int(key) for key in keys if str(key).isdigit()])
    for page in pages.specific().iterator(chunk_size=200):
        yield page_document(page)


register_source(
    Source(
        kind="pages",
        documents=page_documents,
        versions=lambda: {
            str(pk): str(revision or "")
            for pk, revision in _live_pages().values_list("pk", "live_revision_id")
        },
        count=lambda: _live_pages().count(),
    )
)
