"""What the database engine on SQLite keeps in memory of every committed index
entry: its kind, key, dates and facet lines as columns (Elasticsearch's doc values,
in the web process).

FTS5 finds and ranks the matches of a broad query quickly (a few milliseconds for
30,000 of 100,000 petitions, bm25 about a microsecond each), but reading each
match's entry row to keep one kind, order by date and count six facets cost several
times that, and counting the lines in Python as much again. With these columns a
search asks SQLite only for the matches' ids and scores; keeping one kind, the
filters on keyword fields, the facet counts and the order are array operations.

Why the columns cannot go stale: an entry row is never changed once written but for
its kind when a rebuild swaps generations (a changed document is a deleted row and a
new one), SQLite never gives a committed row's id to another (``AUTOINCREMENT``), and
only committed rows are read here (``DatabaseBackend`` uses the columns outside any
caller's transaction only). So the columns load the rows they have not seen, by id,
and a deleted row's columns are never asked for again: its id no longer matches.
Searches read the rows instead when a match is missing from the columns (a search
whose snapshot is older than their last load), and in two cases: while another
generation of the kind exists (a rebuild runs, or its retired rows are still being
dropped), since a row's kind is then not its generation's; and after the table was
emptied (as ``flush`` does, which may also start its ids over) until the next write
gives it a new epoch (``SearchEpoch``), whose new token makes every process load its
columns afresh.
"""

import threading
from dataclasses import dataclass, replace

import numpy as np
from django.db import connection

ABSENT = -1  # a padding cell: no facet line there
NO_DATE = -1  # '' sorts before every date, as in SQL
CHUNK = 20_000  # entry rows read at a time when loading
LAST = 10**15  # after every date: where a deadline sort puts entries without one


def date_number(value: str) -> int:
    """``2026-11-30T08:00:00`` as 20261130080000: the same order as the text."""
    if not value:
        return NO_DATE
    return int(value.replace("-", "").replace(":", "").replace("T", ""))


@dataclass(frozen=True)
class Columns:
    """One loaded state: row ``i`` describes the entry whose id is ``ids[i]``."""

    ids: np.ndarray  # int64, ascending
    kinds: np.ndarray  # int16 code of the kind (its generation suffix left out)
    newest: np.ndarray  # int64 date_number
    deadline: np.ndarray  # int64 date_number
    keys: list[str]
    lines: np.ndarray  # int32 (rows, width) codes of facet lines, ABSENT padding
    kind_codes: dict[str, int]
    line_codes: dict[str, int]
    line_names: list[str]
    token: str  # the entry table's epoch (``SearchEpoch``) these rows belong to
    sequence: int  # the highest id SQLite had handed out when this loaded
    reloaded_size: int  # rows at the last whole load (to bound what piles up)

    def rows(self, ids: np.ndarray) -> np.ndarray | None:
        """The rows of entries ``ids``, or None if one is not loaded: a search
        whose snapshot is older than the last load may match a row deleted
        before that load read the table (its caller then reads the rows)."""
        rows = np.searchsorted(self.ids, ids)
        loaded = rows < len(self.ids)
        if not loaded.all() or not (self.ids[rows] == ids).all():
            return None
        return rows

    def carrying(self, rows: np.ndarray, name: str, values: list[str]) -> np.ndarray:
        """Which of ``rows`` carry a facet line ``name=value`` of ``values``."""
        codes = [self.line_codes.get(f"{name}={value}") for value in values]
        wanted = [code for code in codes if code is not None]
        if not wanted:
            return np.zeros(len(rows), bool)
        return np.isin(self.lines[rows], wanted).any(axis=1)

    def counts(self, rows: np.ndarray) -> dict[str, int]:
        """How many of ``rows`` carry each facet line."""
        cells = self.lines[rows].ravel()
        tally = np.bincount(cells[cells != ABSENT], minlength=len(self.line_names))
        return {
            self.line_names[code]: int(tally[code]) for code in np.flatnonzero(tally)
        }

    def best(
        self, rows: np.ndarray, scores: np.ndarray, sort: str, offset: int, limit: int
    ) -> list[tuple[int, str, float]]:
        """(id, key, score) of the page of ``rows`` in the engine's order: by
        score, newest first, or deadline first (none last), then newest first,
        then by key, as the SQL ``ORDER BY`` of the rows would give them."""
        newest = -self.newest[rows]
        if sort == "relevance":
            order_by = [-scores, newest]
        elif sort == "deadline":
            deadline = self.deadline[rows]
            order_by = [np.where(deadline == NO_DATE, LAST, deadline), newest]
        else:
            order_by = [newest]
        wanted = offset + limit
        candidates = np.arange(len(rows))
        if len(rows) > wanted:
            # Only what can reach the page: the first key up to its wanted-th value.
            cut = np.partition(order_by[0], wanted - 1)[wanted - 1]
            candidates = np.flatnonzero(order_by[0] <= cut)
        # lexsort's last key sorts first.
        order = candidates[np.lexsort([c[candidates] for c in order_by[::-1]])]
        chosen = order[:wanted]
        if len(order) > wanted:
            # What ties with the last one chosen may come before it by key.
            ties = np.ones(len(order), bool)
            for column in order_by:
                ties &= column[order] == column[chosen[-1]]
            chosen = np.union1d(chosen, order[ties])
        ranked = sorted(
            chosen.tolist(),
            key=lambda i: (*(column[i] for column in order_by), self.keys[rows[i]]),
        )
        return [
            (int(self.ids[rows[i]]), self.keys[rows[i]], float(scores[i]))
            for i in ranked[offset:wanted]
        ]


EMPTY = Columns(
    ids=np.zeros(0, np.int64),
    kinds=np.zeros(0, np.int16),
    newest=np.zeros(0, np.int64),
    deadline=np.zeros(0, np.int64),
    keys=[],
    lines=np.full((0, 1), ABSENT, np.int32),
    kind_codes={},
    line_codes={},
    line_names=[],
    token="",
    sequence=0,
    reloaded_size=0,
)


class EntryColumns:
    """The columns of one database's entries, shared by a process's threads."""

    def __init__(self, table: str, epochs: str):
        self.table = table
        self.epochs = epochs
        self.state = EMPTY
        self.lock = threading.Lock()

    def current(self, cursor) -> Columns | None:
        """Columns holding every entry this connection's snapshot can see (with
        perhaps some it cannot: newer, or deleted since), or None when the table
        started over and nothing was written since (read the rows then)."""
        cursor.execute(
            "SELECT (SELECT seq FROM sqlite_sequence WHERE name = %s), "
            f"(SELECT token FROM {self.epochs} ORDER BY id LIMIT 1)",
            [self.table],
        )
        sequence, token = cursor.fetchone()
        if token is None:
            return None
        sequence = sequence or 0
        state = self.state
        if token == state.token and sequence <= state.sequence:
            return state
        with self.lock:
            state = self.state
            piled_up = len(state.keys) > 2 * state.reloaded_size + 10_000
            if token != state.token or piled_up:
                state = replace(EMPTY, token=token)
            if sequence > state.sequence:
                state = self._load(cursor, state, sequence)
            self.state = state
            return state

    def _load(self, cursor, state: Columns, sequence: int) -> Columns:
        """``state`` with the rows it has not seen, up to id ``sequence``, read a
        chunk at a time (so that a whole load's rows never live at once)."""
        cursor.execute(
            f"SELECT id, kind, {connection.ops.quote_name('key')}, newest, deadline, "
            f"facets FROM {self.table} WHERE id > %s AND id <= %s ORDER BY id",
            [state.sequence, sequence],
        )
        kinds, lines = Codes(state.kind_codes), Codes(state.line_codes)
        parts = [(state.ids, state.kinds, state.newest, state.deadline, state.lines)]
        keys = list(state.keys)
        while chunk := cursor.fetchmany(CHUNK):
            ids, kind, key, newest, deadline, facets = zip(*chunk, strict=True)
            keys += key
            parts.append(
                (
                    np.array(ids, np.int64),
                    np.array([kinds[name.split("~")[0]] for name in kind], np.int16),
                    np.array([date_number(value) for value in newest], np.int64),
                    np.array([date_number(value) for value in deadline], np.int64),
                    line_matrix(facets, lines),
                )
            )
        width = max(part[4].shape[1] for part in parts)
        return Columns(
            ids=np.concatenate([part[0] for part in parts]),
            kinds=np.concatenate([part[1] for part in parts]),
            newest=np.concatenate([part[2] for part in parts]),
            deadline=np.concatenate([part[3] for part in parts]),
            keys=keys,
            lines=np.concatenate([widened(part[4], width) for part in parts]),
            kind_codes=dict(kinds),
            line_codes=dict(lines),
            line_names=list(lines),
            token=state.token,
            sequence=sequence,
            reloaded_size=state.reloaded_size if state.keys else len(keys),
        )


class Codes(dict):
    """Names numbered in order of first sight: ``codes[name]`` gives a new name
    the next number (listing the dict lists the names by number)."""

    def __missing__(self, name: str) -> int:
        code = self[name] = len(self)
        return code


def line_matrix(facets: tuple[str, ...], codes: Codes) -> np.ndarray:
    """One row per entry of the codes of its facet lines, ABSENT after them."""
    counts = np.array([text.count("\n") + 1 if text else 0 for text in facets])
    flat = "\n".join(text for text in facets if text).split("\n")
    matrix = np.full((len(facets), max(counts.max(initial=0), 1)), ABSENT, np.int32)
    rows = np.repeat(np.arange(len(facets)), counts)
    starts = np.repeat(np.cumsum(counts) - counts, counts)
    matrix[rows, np.arange(len(rows)) - starts] = list(map(codes.__getitem__, flat))
    return matrix


def widened(matrix: np.ndarray, width: int) -> np.ndarray:
    """``matrix`` with ABSENT columns added up to ``width``."""
    missing = width - matrix.shape[1]
    if not missing:
        return matrix
    return np.pad(matrix, ((0, 0), (0, missing)), constant_values=ABSENT)
