"""What is indexed: the elasticsearch.dsl Documents and the kinds both engines share.

A document is a plain dict (``id``, ``version`` and the fields below) made by a
builder in ``search.indexing``. Each text field is kept as written (source only, for
display and highlighting) and as its segmented words (``<field>_words``, whitespace
analyser: the words jieba found, identical on both engines), which rank. Four
fields gather what only narrows, so that a filter asks one field, not one per text:
``words`` (every text's words), ``exact`` (every text normalised, standard
analyser: one token per Chinese character, for "exact phrases"), ``grams`` (its
runs of four ideographs, for quick phrases) and ``facets`` (``name=value`` of
every keyword field, counted in one pass). Only built-in
analysers are used, so any Elasticsearch cluster takes these indices without
plugins.
"""

from dataclasses import dataclass

from django.conf import settings
from elasticsearch.dsl import Boolean, Date, Document, Keyword, Text

# Relative weight of a text field's matches: a match in a subject or title counts
# more than one in a long body.
WEIGHTS = {"A": 3.0, "B": 1.5, "C": 1.0}
INDEX_SETTINGS = {
    "number_of_shards": 1,
    # One replica on a cluster, none on a single node (whose health stays green).
    "auto_expand_replicas": "0-1",
}


def Shown():  # noqa: N802 - reads like the field types around it
    """Kept in the source for display only; never searched."""
    return Keyword(index=False, doc_values=False)


def Words():  # noqa: N802
    # Phrases are matched on the exact form, never on words: no positions needed,
    # which makes the index smaller and quicker to build. Copied into ``words``.
    return Text(
        analyzer="whitespace", norms=True, index_options="freqs", copy_to="words"
    )


def AllWords():  # noqa: N802
    # Every text's words in one field, for the counts: they filter, never rank.
    return Text(analyzer="whitespace", norms=False, index_options="docs")


def Exact():  # noqa: N802
    # Exact phrases filter, they do not rank: no lengths kept for scoring. Every
    # text in one field (its values far apart, so no phrase spans two), so that a
    # phrase is one query, not one per text field. Each pair of neighbouring
    # characters is indexed too (``index_phrases``, in the engine's core): a phrase
    # then checks the positions of rarer pairs instead of single common characters
    # (1,000,000 petitions, "财产处置" asked first: p50 80 -> 55 ms).
    return Text(analyzer="standard", norms=False, index_phrases=True, multi=True)


def Grams():  # noqa: N802
    # Every text's runs of four ideographs (``search.text.grams``), each once: an
    # exact phrase of four is one term, no positions read (a million petitions,
    # "财产处置" in 390,000 of them: counted in 20 -> 1 ms).
    return Text(analyzer="whitespace", norms=False, index_options="docs")


def Facets():  # noqa: N802
    # ``name=value`` of each keyword field: every facet counted in one pass over
    # one field instead of one pass per field (a million petitions, the six of the
    # staff search over 336,838 matches: 28.6 -> 12.3 ms).
    return Keyword(multi=True)


class PetitionDocument(Document):
    """A petition as staff find it: identifiers, its texts, where it sits, its state."""

    id = Keyword()
    version = Keyword(index=False)
    tracking_no = Keyword()
    case_no = Shown()
    case_key = Keyword()
    subject = Text(index=False)
    subject_words = Words()
    description = Text(index=False)
    description_words = Words()
    replies = Text(index=False, multi=True)
    replies_words = Words()
    notes = Text(index=False, multi=True)
    notes_words = Words()
    # The petitioner's name is searchable but never stored (see Kind.hidden).
    party = Text(index=False)
    party_words = Words()
    # Every ancestor's code (category) and tree path (unit): a filter on a parent
    # finds everything beneath it.
    category = Keyword(multi=True)
    category_name = Shown()
    unit = Keyword()
    unit_path = Keyword(multi=True)
    unit_name = Shown()
    status = Keyword()
    channel = Keyword()
    flags = Keyword(multi=True)
    received = Date()
    received_month = Keyword()
    due = Date()
    overdue = Boolean()
    name_masked = Shown()
    phone_masked = Shown()
    phone_hash = Keyword()
    id_hash = Keyword()
    url = Shown()
    words = AllWords()
    exact = Exact()
    grams = Grams()
    facets = Facets()


class PageDocument(Document):
    """A published content page (guide, case, Q&A, news, channel) in one language."""

    id = Keyword()
    version = Keyword(index=False)
    title = Text(index=False)
    title_words = Words()
    summary = Text(index=False)
    summary_words = Words()
    body = Text(index=False)
    body_words = Words()
    topics = Keyword(multi=True)
    section = Keyword()
    section_name = Shown()
    page_type = Keyword()
    language = Keyword()
    url = Shown()
    published = Date()
    updated = Date()
    words = AllWords()
    exact = Exact()
    grams = Grams()
    facets = Facets()


@dataclass(frozen=True)
class Kind:
    """One corpus: its Document, which fields are searched, filtered and sorted."""

    name: str
    document: type[Document]
    # Text field -> weight class (see WEIGHTS); order is the highlight order.
    text_fields: dict[str, str]
    keyword_fields: tuple[str, ...]
    lookups: tuple[str, ...]
    date_fields: tuple[str, ...]
    # The keyword field a unit scope filters on ("" when the kind has no scope).
    scope_field: str
    newest_field: str
    deadline_field: str
    # Text fields that are searched but never kept in the stored source: a reader
    # sees them masked in another field, if at all.
    hidden: tuple[str, ...] = ()

    @property
    def alias(self) -> str:
        """The name readers and writers use; it points at one versioned index."""
        return f"{settings.SEARCH_INDEX_PREFIX}-{self.name}"

    def index_body(self) -> dict:
        mappings = self.document._doc_type.mapping.to_dict()
        mappings["dynamic"] = "strict"
        # The derived fields are rebuilt from the database; the source keeps only
        # what a reader sees.
        derived = ["*_words", "exact", "grams", "facets", *self.hidden]
        mappings["_source"] = {"excludes": derived}
        return {"settings": INDEX_SETTINGS, "mappings": mappings}


PETITIONS = Kind(
    name="petitions",
    document=PetitionDocument,
    text_fields={
        "subject": "A",
        "party": "A",
        "description": "B",
        "replies": "C",
        "notes": "C",
    },
    keyword_fields=(
        "status",
        "category",
        "unit",
        "unit_path",
        "channel",
        "flags",
        "overdue",
        "received_month",
    ),
    lookups=("tracking_no", "case_key", "phone_hash", "id_hash"),
    date_fields=("received", "due"),
    scope_field="unit_path",
    newest_field="received",
    deadline_field="due",
    hidden=("party",),
)

PAGES = Kind(
    name="pages",
    document=PageDocument,
    text_fields={"title": "A", "summary": "B", "body": "C"},
    keyword_fields=("section", "topics", "language", "page_type"),
    lookups=(),
    date_fields=("published", "updated"),
    scope_field="",  # public content: no unit scope
    newest_field="published",
    deadline_field="updated",
)

KINDS = {kind.name: kind for kind in (PETITIONS, PAGES)}


def stored_source(kind: Kind, document: dict) -> dict:
    """What an engine keeps of ``document`` to show: all but the hidden fields."""
    return {name: value for name, value in document.items() if name not in kind.hidden}


def text_values(value) -> list[str]:
    """A text field's value as a list of strings (replies and notes are lists)."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(item) for item in value if item]
    return [str(value)] if value else []


def keyword_values(value) -> list[str]:
    """A keyword field's value as strings, booleans spelt as Elasticsearch does."""
    if value is None:
        return []
    items = value if isinstance(value, list | tuple) else [value]
    result = []
    for item in items:
        if isinstance(item, bool):
            result.append("true" if item else "false")
        elif item is not None and item != "":
            result.append(str(item))
    return result


def facet_line(name: str, value: str) -> str:
    """One value of a keyword field as the facets count it (and
    ``search.backends.base.facet_lists`` reads it back)."""
    return f"{name}={value}"


def facet_lines(kind: Kind, document: dict) -> list[str]:
    """A line for each value of the document's keyword fields."""
    return [
        facet_line(name, value)
        for name in kind.keyword_fields
        for value in keyword_values(document.get(name))
    ]
