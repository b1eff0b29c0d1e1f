"""The embedded engine: the portal's own database, SQLite FTS5 or PostgreSQL tsvector.

It indexes the same segmented words as Elasticsearch (``search.text.segment``) and
answers the same ``SearchPlan``: every word required (in any text field), exact
phrases compared with the compacted normalised text, excluded words removed,
filters, facets and date ranges through ``SearchValue`` rows and the entry rows'
facet lines, which read the same on both databases. On SQLite a search outside any
caller's transaction takes the kind, keyword filters, facets and order from the
entry columns the process keeps in memory (``search.backends.columns``) instead.

A rebuild loads a new generation of rows beside the live one and swaps them in one
transaction; each search reads one snapshot (``read_snapshot``), so a reader never
sees an empty, half-built or mixed index.
"""

import json
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time
from itertools import chain, islice

import numpy as np
from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_date, parse_datetime

from search.documents import (
    KINDS,
    WEIGHTS,
    Kind,
    facet_line,
    keyword_values,
    stored_source,
    text_values,
)
from search.models import (
    SearchBuild,
    SearchEntry,
    SearchEpoch,
    SearchText,
    SearchValue,
)
from search.text import compact_normal, index_forms

from .base import (
    Hit,
    SearchBackend,
    SearchPlan,
    SearchResult,
    SearchUnavailable,
    facet_lists,
    utc_iso,
)
from .columns import Columns, EntryColumns

BATCH = 1000
CHUNK = 5000
ENTRY = SearchEntry._meta.db_table
VALUE = SearchValue._meta.db_table
TEXT = SearchText._meta.db_table
EPOCH = SearchEpoch._meta.db_table
# The entry columns of each SQLite database this process searched, by its name.
COLUMNS: dict[str, EntryColumns] = {}


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
    """The rows that index one document, as field values: written once per
    generation (the live rows and, during a rebuild, the next ones)."""

    entry: dict
    text: dict
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
    dates = {
        name: _iso(document.get(name))
        for name in {kind.newest_field, kind.deadline_field, *kind.date_fields}
    }
    entry = dict(
        key=str(document["id"]),
        version=str(document.get("version", "")),
        newest=dates[kind.newest_field],
        deadline=dates[kind.deadline_field],
        facets="\n".join(
            facet_line(name, value)
            for name, value in values
            if name in kind.keyword_fields
        ),
    )
    text = dict(
        source=stored_source(kind, document),
        words_a=" ".join(columns["A"]),
        words_b=" ".join(columns["B"]),
        words_c=" ".join(columns["C"]),
        compact="|".join(compacts),
    )
    values += [(name, dates[name]) for name in kind.date_fields if dates[name]]
    return Row(entry, text, values)


def next_generation(kind: str) -> str:
    """The name a rebuild writes its new rows under until the swap."""
    return f"{kind}~next"


def retired_generation(kind: str) -> str:
    """The name a rebuild gives the rows it replaced, until they are dropped."""
    return f"{kind}~old"


def _batches(items: Iterable, size: int):
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _marks(count: int) -> str:
    """Placeholders for ``count`` parameters: a row's values or an IN list."""
    return ", ".join(["%s"] * count)


def _insert(cursor, table: str, rows: list[dict]) -> None:
    """Rows (column: value, the same columns in each), one statement run for all."""
    if rows:
        names = ", ".join(_q(column) for column in rows[0])
        cursor.executemany(
            f"INSERT INTO {table} ({names}) VALUES ({_marks(len(rows[0]))})",
            [list(row.values()) for row in rows],
        )


def _write_full_text(cursor, entry_ids: list[int]) -> None:
    """SQLite: the FTS5 rows (words, phrase trigrams) of text rows just written, in
    one statement per table (search/migrations/0010). PostgreSQL generates its
    tsvector column itself."""
    if connection.vendor != "sqlite" or not entry_ids:
        return
    among = f"FROM {TEXT} WHERE entry_id IN ({_marks(len(entry_ids))})"
    cursor.execute(
        "INSERT INTO search_fts(rowid, words_a, words_b, words_c) "
        f"SELECT entry_id, words_a, words_b, words_c {among}",
        entry_ids,
    )
    cursor.execute(
        f"INSERT INTO search_phrase(rowid, compact) SELECT entry_id, compact {among}",
        entry_ids,
    )


def _ranked(plan: SearchPlan) -> bool:
    """Whether matches are ordered by score: only words rank, and a date sort
    ranks by no score, as on Elasticsearch."""
    return bool(plan.parsed.words) and plan.sort == "relevance"


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
    #
    # The live rows of a kind carry its name; a rebuild writes a whole new
    # generation under ``<kind>~next`` (readers never look there), then swaps the
    # names in one short transaction, so a reader sees the old index or the new
    # one, never a mix, and never an empty one. While a ``SearchBuild`` row says a
    # rebuild runs, every write goes to both generations.

    @staticmethod
    def _delete_entries(ids: list[int]) -> None:
        for model in (SearchValue, SearchText):
            model.objects.filter(entry__in=ids)._raw_delete(model.objects.db)
        SearchEntry.objects.filter(pk__in=ids)._raw_delete(SearchEntry.objects.db)

    def _delete_keys(self, name: str, keys: list[str]) -> None:
        entries = SearchEntry.objects.filter(kind=name, key__in=keys)
        self._delete_entries(list(entries.values_list("pk", flat=True)))

    def _drop(self, name: str) -> None:
        """Remove a generation batch by batch (each batch its own transaction)."""
        entries = SearchEntry.objects.filter(kind=name).values_list("pk", flat=True)
        while ids := list(entries[:BATCH]):
            with transaction.atomic():
                self._delete_entries(ids)

    def _write_batch(self, names: list[str], built: list[Row]) -> int:
        """Write one batch's rows as plain INSERTs, one statement per table run for
        every row: building a model instance per row cost the ORM more than the
        database's own work (FTS5 and trigram rows included) on a rebuild."""
        keys = [row.entry["key"] for row in built]
        source = SearchText._meta.get_field("source")
        texts = [
            {
                **row.text,
                "source": source.get_db_prep_save(row.text["source"], connection),
            }
            for row in built
        ]
        with transaction.atomic(), connection.cursor() as cursor:
            # The entry table starts a new epoch when it was emptied (columns).
            cursor.execute(
                f"INSERT INTO {EPOCH} (token) SELECT %s "
                f"WHERE NOT EXISTS (SELECT 1 FROM {EPOCH})",
                [uuid.uuid4().hex],
            )
            for name in names:
                self._delete_keys(name, keys)
                _insert(cursor, ENTRY, [{"kind": name, **row.entry} for row in built])
                ids = self._entry_ids(cursor, name, keys)
                _insert(
                    cursor,
                    TEXT,
                    [
                        {"entry_id": ids[key], **text}
                        for key, text in zip(keys, texts, strict=True)
                    ],
                )
                _write_full_text(cursor, list(ids.values()))
                _insert(
                    cursor,
                    VALUE,
                    [
                        {"entry_id": ids[key], "name": field, "value": value}
                        for key, row in zip(keys, built, strict=True)
                        for field, value in row.values
                    ],
                )
        return len(built)

    @staticmethod
    def _entry_ids(cursor, name: str, keys: list[str]) -> dict[str, int]:
        cursor.execute(
            f"SELECT {_q('key')}, id FROM {ENTRY} "
            f"WHERE kind = %s AND {_q('key')} IN ({_marks(len(keys))})",
            [name, *keys],
        )
        return dict(cursor.fetchall())

    @staticmethod
    def _targets(kind: str) -> list[str]:
        """Where a write goes: the live rows, and the next ones during a rebuild."""
        if SearchBuild.objects.filter(kind=kind).exists():
            return [kind, next_generation(kind)]
        return [kind]

    def upsert(self, kind: str, documents: Iterable[dict]) -> int:
        spec = KINDS[kind]
        try:
            targets = self._targets(kind)
            return sum(
                self._write_batch(targets, [rows_for(spec, doc) for doc in batch])
                for batch in _batches(documents, BATCH)
            )
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error

    def delete(self, kind: str, ids: Iterable[str]) -> None:
        names = [kind, next_generation(kind)]
        for batch in _batches((str(key) for key in ids), BATCH):
            with transaction.atomic():
                for name in names:
                    self._delete_keys(name, batch)

    def versions(self, kind: str, keys: Iterable[str] | None = None) -> dict[str, str]:
        entries = SearchEntry.objects.filter(kind=kind)
        if keys is None:
            return dict(entries.values_list("key", "version"))
        found = {}
        for batch in _batches(keys, BATCH):
            found |= dict(entries.filter(key__in=batch).values_list("key", "version"))
        return found

    def rebuild(
        self,
        kind: str,
        documents: Iterable[dict],
        progress: Callable[[int], None] | None = None,
    ) -> int:
        """Write a new generation beside the live one, then swap them in one
        transaction and drop the old one: readers see one whole index throughout."""
        spec = KINDS[kind]
        upcoming, retired = next_generation(kind), retired_generation(kind)
        # What a rebuild that died half-way left behind.
        self._drop(upcoming)
        self._drop(retired)
        SearchBuild.objects.update_or_create(kind=kind)
        written = 0
        try:
            for batch in _batches(documents, BATCH):
                built = [rows_for(spec, document) for document in batch]
                written += self._write_batch([upcoming], built)
                if progress:
                    progress(written)
            with transaction.atomic():
                SearchEntry.objects.filter(kind=kind).update(kind=retired)
                SearchEntry.objects.filter(kind=upcoming).update(kind=kind)
                SearchBuild.objects.filter(kind=kind).delete()
        except BaseException:
            SearchBuild.objects.filter(kind=kind).delete()
            self._drop(upcoming)
            raise
        self._drop(retired)
        return written

    def clear(self, kind: str) -> None:
        SearchBuild.objects.filter(kind=kind).delete()
        for name in (kind, next_generation(kind), retired_generation(kind)):
            self._drop(name)

    # Searching ----------------------------------------------------------------

    @staticmethod
    def _sources(cursor, ids: list[int]) -> dict[int, dict]:
        """The stored documents of one page of hits, read after ranking."""
        if not ids:
            return {}
        cursor.execute(
            f"SELECT entry_id, source FROM {TEXT} "
            f"WHERE entry_id IN ({_marks(len(ids))})",
            ids,
        )
        return {pk: _json(source) for pk, source in cursor.fetchall()}

    def _text_sql(
        self, plan: SearchPlan, joined: bool = True
    ) -> tuple[str, str, str, list, list[str], list]:
        """(FROM clause, the entry id in it, score expression, its params, WHERE
        parts, their params). Not ``joined``: on SQLite, no entry row is read for
        a match of the full-text tables (the entry columns stand in for it)."""
        words = plan.parsed.words
        excluded = plan.parsed.excluded
        where, params = [], []
        a, b, c = (WEIGHTS[weight] for weight in "ABC")
        ranked = _ranked(plan)
        phrases = plan.compact_phrases
        if connection.vendor == "sqlite":
            score, score_params = "0.0", []
            # The trigram index answers phrases of three characters or more, as
            # runs of consecutive trigrams; shorter ones are compared row by row.
            indexed = [p for p in phrases if len(p) >= 3]
            scanned = [f"%{p}%" for p in phrases if len(p) < 3]
            phrases_match = " AND ".join(_fts5_string(p) for p in indexed)
            table = "search_fts" if words else "search_phrase" if indexed else ""
            ident = f"{table}.rowid" if table else "e.id"
            source = table or f"{ENTRY} e"
            if table and joined:
                # CROSS JOIN makes SQLite start from the full-text matches.
                source = f"{table} CROSS JOIN {ENTRY} e ON e.id = {ident}"
            unwanted = " OR ".join(_fts5_string(word) for word in excluded)
            if words:
                where.append("search_fts MATCH %s")
                joiner = " OR " if plan.match_any else " AND "
                wanted = joiner.join(_fts5_string(word) for word in words)
                # FTS5 leaves out the excluded words' rows itself (a fifth faster
                # than a NOT IN over a second match; bm25 is the same).
                params.append(f"({wanted}) NOT ({unwanted})" if excluded else wanted)
            if ranked:
                score = f"-bm25(search_fts, {a}, {b}, {c})"
            if indexed:
                if words:
                    where.append(
                        f"{ident} IN (SELECT rowid FROM search_phrase "
                        "WHERE search_phrase MATCH %s)"
                    )
                else:
                    where.append("search_phrase MATCH %s")
                params.append(phrases_match)
            for phrase in scanned:
                where.append(
                    f"{ident} IN (SELECT entry_id FROM {TEXT} WHERE compact LIKE %s)"
                )
                params.append(phrase)
            if excluded and not words:
                where.append(
                    f"{ident} NOT IN (SELECT rowid FROM search_fts WHERE search_fts "
                    "MATCH %s)"
                )
                params.append(unwanted)
            return source, ident, score, score_params, where, params
        if connection.vendor != "postgresql":
            raise SearchUnavailable(f"no full text on {connection.vendor}")
        source = f"{ENTRY} e JOIN {TEXT} t ON t.entry_id = e.id"
        ident = "e.id"
        score, score_params = "0.0", []
        if words:
            joiner = " || " if plan.match_any else " && "
            query = joiner.join(["phraseto_tsquery('simple', %s)"] * len(words))
            where.append(f"t.search_vector @@ ({query})")
            params.extend(words)
        if ranked:
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
            params.append(f"%{phrase}%")
        return source, ident, score, score_params, where, params

    def _where(
        self, plan: SearchPlan, ident: str = "e.id", columns: bool = False
    ) -> tuple[list[str], list]:
        """WHERE parts for the kind, the terms and the date range. With the entry
        columns, the kind and the keyword fields' terms are theirs to check (and
        the kind is only asked of an entry row read anyway)."""
        where, params = [], []
        if ident == "e.id":
            where, params = ["e.kind = %s"], [plan.kind.name]
        for name, values in plan.terms.items():
            if columns and name in plan.kind.keyword_fields:
                continue
            where.append(
                f"EXISTS (SELECT 1 FROM {VALUE} v WHERE v.entry_id = {ident} "
                f"AND v.name = %s AND v.value IN ({_marks(len(values))}))"
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
                f"EXISTS (SELECT 1 FROM {VALUE} v WHERE v.entry_id = {ident} "
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

    @staticmethod
    def _count(cursor, plan: SearchPlan, matching: str, params: list):
        """(total, facets) of the matches, read in any order."""
        if plan.facets:
            cursor.execute(f"SELECT e.facets {matching}", params)
            total, facets, _ = tally(cursor, plan.facets)
            return total, facets
        cursor.execute(f"SELECT COUNT(*) {matching}", params)
        return cursor.fetchone()[0], {}

    def execute(self, plan: SearchPlan) -> SearchResult:
        try:
            with read_snapshot(), connection.cursor() as cursor:
                columns = self._columns(cursor, plan)
                ranked = columns and self._rank_in_columns(cursor, plan, columns)
                total, facets, rows = ranked or self._rank_in_rows(cursor, plan)
                sources = self._sources(cursor, [row[0] for row in rows])
        except DatabaseError as error:
            raise SearchUnavailable(str(error)) from error
        hits = [
            Hit(id=key, score=float(score or 0.0), source=sources.get(pk, {}))
            for pk, key, score in rows
        ]
        return SearchResult(total=total, hits=hits, facets=facets)

    @staticmethod
    def _columns(cursor, plan: SearchPlan) -> Columns | None:
        """The entry columns, where they may stand in for the entry rows: SQLite,
        a snapshot of committed rows only, and one generation of the kind."""
        if (
            connection.vendor != "sqlite"
            or connection.in_atomic_block
            or not connection.get_autocommit()
        ):
            return None
        kind = plan.kind.name
        cursor.execute(
            f"SELECT 1 FROM {ENTRY} WHERE kind IN (%s, %s) LIMIT 1",
            [next_generation(kind), retired_generation(kind)],
        )
        if cursor.fetchone():
            return None
        database = connection.settings_dict["NAME"]
        if database not in COLUMNS:
            COLUMNS[database] = EntryColumns(ENTRY, EPOCH)
        return COLUMNS[database].current(cursor)

    def _rank_in_columns(self, cursor, plan: SearchPlan, columns: Columns):
        """(total, facets, page rows): SQLite gives the matches' ids and scores,
        the columns keep the kind and the keyword terms, count and order."""
        source, ident, score, score_params, where, params = self._text_sql(
            plan, joined=False
        )
        more, more_params = self._where(plan, ident, columns=True)
        ranked = _ranked(plan)
        cursor.execute(
            f"SELECT {ident}{f', {score}' if ranked else ''} FROM {source} "
            f"WHERE {' AND '.join(where + more)}",
            score_params + params + more_params,
        )
        found = cursor.fetchall()
        if ranked:
            ids = np.fromiter((row[0] for row in found), np.int64, len(found))
            scores = np.fromiter((row[1] for row in found), np.float64, len(found))
        else:
            ids = np.fromiter(chain.from_iterable(found), np.int64, len(found))
            scores = np.zeros(len(found))
        rows = columns.rows(ids)
        if rows is None:
            return None
        keep = columns.kinds[rows] == columns.kind_codes.get(plan.kind.name, -1)
        for name, values in plan.terms.items():
            if name in plan.kind.keyword_fields:
                keep &= columns.carrying(rows, name, values)
        rows, scores = rows[keep], scores[keep]
        facets = {}
        if plan.facets:
            facets = facet_lists(columns.counts(rows), plan.facets)
        page = columns.best(rows, scores, plan.sort, plan.offset, plan.limit)
        return len(rows), facets, page

    def _rank_in_rows(self, cursor, plan: SearchPlan):
        """(total, facets, page rows) read from the entry rows of the matches."""
        source, _, score, score_params, text_where, text_params = self._text_sql(plan)
        where, params = self._where(plan)
        where_sql = " AND ".join(text_where + where)
        params = text_params + params
        matches = (
            f"SELECT e.id, e.key, {score} AS score, e.facets FROM {source} "
            f"WHERE {where_sql} ORDER BY {self._order(plan)}"
        )
        if plan.facets and plan.sort == "relevance":
            # Ranking every match costs more than finding it: one ranked pass
            # gives the total, the facets and the page.
            cursor.execute(matches, score_params + params)
            total, facets, rows = tally(
                cursor, plan.facets, plan.offset, plan.offset + plan.limit
            )
        else:
            # Counted in any order, and only the best few matches kept for the
            # page, not every match sorted with its facet lines.
            total, facets = self._count(
                cursor, plan, f"FROM {source} WHERE {where_sql}", params
            )
            cursor.execute(
                matches + " LIMIT %s OFFSET %s",
                score_params + params + [plan.limit, plan.offset],
            )
            rows = cursor.fetchall()
        return total, facets, [row[:3] for row in rows]


@contextmanager
def read_snapshot():
    """One search's statements (count or facets, the page, its sources) read one
    state of the index, so a rebuild swapping generations meanwhile can make
    neither the total disagree with the page nor a hit lose its text.

    PostgreSQL: a read-only REPEATABLE READ transaction. SQLite: a deferred
    transaction, which in WAL mode reads one snapshot without taking the write
    lock (Django's own transactions here are IMMEDIATE, which would). Inside a
    caller's transaction, that transaction decides."""
    if connection.in_atomic_block or not connection.get_autocommit():
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        return
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # it only read
        except DatabaseError:  # SQLite already ended it after an error
            pass


def tally(cursor, names: list[str], first: int = 0, last: int = 0):
    """(total, facets, rows first to last) from a cursor over matches whose last
    column holds their facet lines, read a chunk at a time so that a broad query
    never holds all its rows at once."""
    counts, page, total = Counter(), [], 0
    while chunk := cursor.fetchmany(CHUNK):
        if total < last:
            page += chunk[max(first - total, 0) : last - total]
        total += len(chunk)
        # The lines of a whole chunk split in one call: several times faster
        # than line by line in Python.
        counts.update("\n".join(row[-1] for row in chunk).split("\n"))
    return total, facet_lists(counts, names), page


def _json(value):
    """JSON columns come back decoded on PostgreSQL and as text on SQLite."""
    if isinstance(value, str):
        return json.loads(value)
    return value
