"""The database engine's index: an entry and a text per document, one row per
filterable value.

Words live in three columns by weight class (A: subject/title, B: description/
summary, C: the rest) so that both SQLite FTS5 (bm25 column weights) and PostgreSQL
(``setweight`` + ``ts_rank``) rank a title match above a body match. The full-text
structures themselves are created by the migration for the database in use: on
SQLite an external-content FTS5 table (and a trigram table for phrases) that the
engine writes with each batch of texts and a trigger empties of deleted ones, on
PostgreSQL a generated ``tsvector`` column with a GIN index.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchEntry(models.Model):
    """What filters, sorts and counts read: small rows, many to a page, so a broad
    query that touches thousands of them stays fast (texts live in SearchText)."""

    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=64)
    version = models.CharField(max_length=64, blank=True)
    # ISO instants in UTC ("" when unknown) for the two date sorts.
    newest = models.CharField(max_length=20, blank=True)
    deadline = models.CharField(max_length=20, blank=True)
    # The facetable values as "name=value" lines: one read per match counts them.
    facets = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "key"], name="search_entry_key")
        ]
        indexes = [
            models.Index(fields=["kind", "newest"], name="search_entry_newest"),
            models.Index(fields=["kind", "deadline"], name="search_entry_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"


class SearchText(models.Model):
    """The document itself and its words; read for matching and for the page of
    hits only."""

    entry = models.OneToOneField(
        SearchEntry, primary_key=True, on_delete=models.DO_NOTHING, related_name="text"
    )
    source = models.JSONField()
    words_a = models.TextField(blank=True)
    words_b = models.TextField(blank=True)
    words_c = models.TextField(blank=True)
    # Normalised text without spaces or punctuation, values separated by "|": what
    # an exact phrase is compared with.
    compact = models.TextField(blank=True)

    def __str__(self) -> str:
        return str(self.entry_id)


class SearchValue(models.Model):
    """One keyword, date or lookup value of an entry: filters and facets on both
    databases with plain SQL."""

    # Deleted explicitly before their entry, in one statement, by the engine.
    entry = models.ForeignKey(
        SearchEntry,
        on_delete=models.DO_NOTHING,
        related_name="values",
        db_index=False,  # search_value_entry below serves the same lookups
    )
    name = models.CharField(max_length=40)
    value = models.CharField(max_length=200)

    class Meta:
        indexes = [
            models.Index(fields=["name", "value", "entry"], name="search_value_lookup"),
            models.Index(fields=["entry", "name"], name="search_value_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class SearchBuild(models.Model):
    """A rebuild of one kind in progress on the database engine: while the row
    exists, every write also goes to the generation being built, so nothing saved
    meanwhile is missing after the swap."""

    kind = models.CharField(max_length=20, primary_key=True)
    started_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.kind


class SearchEpoch(models.Model):
    """One row whose token is new whenever the entry table has started over (emptied,
    as ``flush`` does, which may also reset its ids): the entry columns a process
    keeps in memory (``search.backends.columns``) are read again from scratch when
    it changes. Written with the first index write after it went missing."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token


class SavedSearch(models.Model):
    """A staff member's search, kept under a name to run again (weekly lists)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="saved_searches",
    )
    name = models.CharField(_("name"), max_length=80)
    # The search page's query string (q or sealed, filters, sort), without the page
    # number; words holding a phone or ID number only sealed (search.staff).
    query_string = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], name="search_saved_search_name"
            )
        ]

    def __str__(self) -> str:
        return self.name
