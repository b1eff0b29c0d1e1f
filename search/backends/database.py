"""The embedded engine: the portal's own database, SQLite FTS5 or PostgreSQL tsvector.

It indexes the same segmented words as Elasticsearch (``search.text.segment``) and
answers the same ``SearchPlan``: every word required (in any text field), exact
phrases compared with the compacted normalised text, excluded words removed,
filters, facets and date ranges through ``SearchValue`` rows, which read the same on
both databases.
"""

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, time
from itertools import islice

from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from search.documents import (
    KINDS,
    WEIGHTS,
    Kind,
    keyword_values,
    stored_source,
    text_values,
)
from search.models import SearchEntry, SearchText, SearchValue
from search.text import compact_normal, index_forms

from .base import (
    Hit,
    SearchBackend,
    SearchPlan,
    SearchResult,
    SearchUnavailable,
    utc_iso,
)

BATCH = 1000
FACET_SIZE = 50
ENTRY = SearchEntry._meta.db_table
VALUE = SearchValue._meta.db_table
TEXT = SearchText._meta.db_table


def _iso(value) -> str:
    """A date from a document (datetime, date or ISO string) as engines compare it."""
    if isinstance(value, str):
        value = parse_datetime(value) or parse_date(value)
    if not value:
        return ""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time.min)
    return utc_iso(value)


@dataclass
class Row:
    """The rows that index one document."""

    entry: SearchEntry
    text: SearchText
    values: list[tuple[str, str]]


def rows_for(kind: Kind, document: dict) -> Row:
    """The entry, text and (name, value) pairs that index ``document``."""
    columns = {"A": [], "B": [], "C": []}
    compacts = []
    for name, weight in kind.text_fields.items():
        for value in text_values(document.get(name)):
            words, normal = index_forms(value)
            columns[weight].append(words)
            compacts.append(compact_normal(normal))
    values = [
        (name, value[:200])
        for name in kind.keyword_fields + kind.lookups
        for value in keyword_values(document.get(name))
    ]
    entry = SearchEntry(
        kind=kind.name,
        key=str(document["id"]),
        version=str(document.get("version", "")),
        newest=_iso(document.get(kind.newest_field)),
        deadline=_iso(document.get(kind.deadline_field)),
        facets="\n".join(
            f"{name}={value}" for name, value in values if name in kind.keyword_fields
        ),
    )
    text = SearchText(
        source=stored_source(kind, document),
        words_a=" ".join(columns["A"]),
        words_b=" ".join(columns["B"]),
        words_c=" ".join(columns["C"]),
        compact="|".join(compacts),
    )
    values += [
        (name, _iso(document.get(name)))
        for name in kind.date_fields
        if _iso(document.get(name))
    ]
    return Row(entry, text, values)


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _fts5_string(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class DatabaseBackend(SearchBackend):
    """Full text in the portal's own database (SQLite FTS5 or PostgreSQL tsvector)."""

    name = "database"

    @property
    def location(self) -> str:
        return connection.vendor

    def ping(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {ENTRY} LIMIT 1")

    # Writing ------------------------------------------------------------------

    def _delete_keys(self, kind: str, keys: list[str]) -> None:
        entries = SearchEntry.objects.filter(kind=kind, key__in=keys)
        ids = list(entries.values_list("pk", flat=True))
        for model in (SearchValue, SearchText):
            model.objects.filter(entry__in=ids)._raw_delete(model.objects.db)
        SearchEntry.objects.filter(pk__in=ids)._raw_delete(SearchEntry.objects.db)

    def _write_batch(self, kind: Kind, documents: list[dict]) -> int:
        built = [rows_for(kind, document) for document in documents]
        with transaction.atomic():
            self._delete_keys(kind.name, [row.entry.key for row in built])
            SearchEntry.objects.bulk_create([row.entry for row in built])
            for row in built:
                row.text.entry = row.entry
            SearchText.objects.bulk_create([row.text for row in built])
            SearchValue.objects.bulk_create(
                SearchValue(entry=row.entry, name=name, value=value)
                for row in built
                for name, value in row.values
            )
        return len(built)

    def upsert(self, kind: str, documents: Iterable[dict]) -> int:
        spec = KINDS[kind]
        try:
            return sum(
                self._write_batch(spec, batch) for batch in _batches(documents, BATCH)
            )
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error

    def delete(self, kind: str, ids: Iterable[str]) -> None:
        for batch in _batches((str(key) for key in ids), BATCH):
            with transaction.atomic():
                self._delete_keys(kind, batch)

    def versions(self, kind: str) -> dict[str, str]:
        return dict(SearchEntry.objects.filter(kind=kind).values_list("key", "version"))

    def rebuild(
        self,
        kind: str,
        documents: Iterable[dict],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Rewrite every document batch by batch, then drop the ones that are gone:
        each batch replaces its rows in one transaction, so readers always see a
        whole index."""
        spec = KINDS[kind]
        seen: set[str] = set()
        written = 0
        for batch in _batches(documents, BATCH):
            written += self._write_batch(spec, batch)
            seen.update(str(document["id"]) for document in batch)
            if progress:
                progress(written)
        gone = [key for key in self.versions(kind) if key not in seen]
        self.delete(kind, gone)
        return written

    def clear(self, kind: str) -> None:
        self.delete(kind, list(self.versions(kind)))

    # Searching ----------------------------------------------------------------

    @staticmethod
    def _sources(cursor, ids: list[int]) -> dict[int, dict]:
        """The stored documents of one page of hits, read after ranking."""
        if not ids:
            return {}
        marks = ", ".join(["%s"] * len(ids))
        cursor.execute(
            f"SELECT entry_id, source FROM {TEXT} WHERE entry_id IN ({marks})", ids
        )
        return {pk: _json(source) for pk, source in cursor.fetchall()}

    def _text_sql(self, plan: SearchPlan) -> tuple[str, str, list, str, list]:
        """(FROM clause, score expression, its params, WHERE parts, their params)."""
        words = plan.parsed.words
        excluded = plan.parsed.excluded
        where, params = [], []
        a, b, c = (WEIGHTS[weight] for weight in "ABC")
        phrases = [f"%{phrase}%" for phrase in plan.compact_phrases]
        if connection.vendor == "sqlite":
            source = f"{ENTRY} e"
            score, score_params = "0.0", []
            # CROSS JOIN makes SQLite start from the full-text matches.
            if words:
                source = f"search_fts CROSS JOIN {ENTRY} e ON e.id = search_fts.rowid"
                where.append("search_fts MATCH %s")
                joiner = " OR " if plan.match_any else " AND "
                params.append(joiner.join(_fts5_string(word) for word in words))
                score = f"-bm25(search_fts, {a}, {b}, {c})"
            # The trigram index answers phrases of three characters or more;
            # shorter ones are compared row by row.
            indexed = [f"%{p}%" for p in plan.compact_phrases if len(p) >= 3]
            scanned = [f"%{p}%" for p in plan.compact_phrases if len(p) < 3]
            if not words and indexed:
                source = (
                    f"search_phrase CROSS JOIN {ENTRY} e ON e.id = search_phrase.rowid"
                )
                where.append("search_phrase.compact LIKE %s")
                params.append(indexed.pop(0))
            for phrase in indexed:
                where.append(
                    "e.id IN (SELECT rowid FROM search_phrase WHERE compact LIKE %s)"
                )
                params.append(phrase)
            for phrase in scanned:
                where.append(
                    f"e.id IN (SELECT entry_id FROM {TEXT} WHERE compact LIKE %s)"
                )
                params.append(phrase)
            if excluded:
                where.append(
                    "e.id NOT IN (SELECT rowid FROM search_fts WHERE search_fts "
                    "MATCH %s)"
                )
                params.append(" OR ".join(_fts5_string(word) for word in excluded))
            return source, score, score_params, where, params
        if connection.vendor != "postgresql":
            raise SearchUnavailable(f"no full text on {connection.vendor}")
        source = f"{ENTRY} e JOIN {TEXT} t ON t.entry_id = e.id"
        score, score_params = "0.0", []
        if words:
            joiner = " || " if plan.match_any else " && "
            query = joiner.join(["phraseto_tsquery('simple', %s)"] * len(words))
            where.append(f"t.search_vector @@ ({query})")
            params.extend(words)
            # ts_rank's weights are listed D, C, B, A.
            score = f"ts_rank('{{0.1, {c / a:.3f}, {b / a:.3f}, 1.0}}', "
            score += f"t.search_vector, ({query}))"
            score_params = list(words)
        if excluded:
            query = " || ".join(["phraseto_tsquery('simple', %s)"] * len(excluded))
            where.append(f"NOT (t.search_vector @@ ({query}))")
            params.extend(excluded)
        for phrase in phrases:
            where.append("t.compact LIKE %s")
            params.append(phrase)
        return source, score, score_params, where, params

    def _where(self, plan: SearchPlan) -> tuple[list[str], list]:
        where, params = ["e.kind = %s"], [plan.kind.name]
        for name, values in plan.terms.items():
            marks = ", ".join(["%s"] * len(values))
            where.append(
                f"EXISTS (SELECT 1 FROM {VALUE} v WHERE v.entry_id = e.id "
                f"AND v.name = %s AND v.value IN ({marks}))"
            )
            params += [name, *values]
        if plan.date_field and (plan.date_gte or plan.date_lt):
            bounds = ["v.name = %s"]
            params.append(plan.date_field)
            if plan.date_gte:
                bounds.append("v.value >= %s")
                params.append(plan.date_gte)
            if plan.date_lt:
                bounds.append("v.value < %s")
                params.append(plan.date_lt)
            where.append(
                f"EXISTS (SELECT 1 FROM {VALUE} v WHERE v.entry_id = e.id "
                f"AND {' AND '.join(bounds)})"
            )
        return where, params

    @staticmethod
    def _order(plan: SearchPlan) -> str:
        tiebreak = "e.newest DESC, e.key ASC"
        if plan.sort == "newest":
            return tiebreak
        if plan.sort == "deadline":
            return (
                "CASE WHEN e.deadline = '' THEN 1 ELSE 0 END, e.deadline ASC, "
                + tiebreak
            )
        return "score DESC, " + tiebreak

    def execute(self, plan: SearchPlan) -> SearchResult:
        source, score, score_params, text_where, text_params = self._text_sql(plan)
        where, params = self._where(plan)
        where_sql = " AND ".join(text_where + where)
        params = text_params + params
        page_sql = (
            f"SELECT e.id, e.key, {score} AS score FROM {source} "
            f"WHERE {where_sql} ORDER BY {self._order(plan)} LIMIT %s OFFSET %s"
        )
        try:
            with connection.cursor() as cursor:
                if plan.facets:
                    # One pass over the matches gives the total and the facets.
                    cursor.execute(
                        f"SELECT e.facets FROM {source} WHERE {where_sql}", params
                    )
                    rows = cursor.fetchall()
                    total, facets = len(rows), count_facets(rows, plan.facets)
                else:
                    cursor.execute(
                        f"SELECT COUNT(*) FROM {source} WHERE {where_sql}", params
                    )
                    total, facets = cursor.fetchone()[0], {}
                cursor.execute(
                    page_sql, score_params + params + [plan.limit, plan.offset]
                )
                rows = cursor.fetchall()
                sources = self._sources(cursor, [row[0] for row in rows])
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error
        hits = [
            Hit(id=key, score=float(score or 0.0), source=sources.get(pk, {}))
            for pk, key, score in rows
        ]
        return SearchResult(total=total, hits=hits, facets=facets)


def count_facets(rows, names: list[str]) -> dict[str, list[tuple[str, int]]]:
    """Counts per value, most frequent first then by value, as Elasticsearch's
    terms aggregation orders them."""
    wanted = set(names)
    counts = Counter(
        line
        for (lines,) in rows
        for line in lines.split("\n")
        if line.partition("=")[0] in wanted
    )
    facets = {name: [] for name in names}
    for line, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        name, _, value = line.partition("=")
        if len(facets[name]) < FACET_SIZE:
            facets[name].append((value, count))
    return facets


def _json(value):
    """JSON columns come back decoded on PostgreSQL and as text on SQLite."""
    if isinstance(value, str):
        return json.loads(value)
    return value
