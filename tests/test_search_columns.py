"""The database engine on SQLite with its entry columns (``search.backends.columns``).

A search outside any caller's transaction counts, filters and orders the matches
in the columns a process keeps in memory instead of reading their entry rows. The
contract suite runs here again that way (committed rows, so no test transaction
hides them), with reading the rows forbidden; then the columns are compared with
the rows on a generated register, and kept right across writes, a rebuild and an
emptied table.
"""

import random
import threading
from dataclasses import replace

import pytest
from django.core.management import call_command
from django.db import connection

from bench.search_corpus import LEAF_UNITS, petitions
from search.backends.base import SearchRequest, plan_request
from search.backends.columns import EMPTY
from search.backends.database import COLUMNS, DatabaseBackend, read_snapshot
from search.models import SearchEntry, SearchEpoch
from tests import test_search_contract
from tests.test_search_contract import *  # noqa: F403 (the contract, run again)

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the entry columns are SQLite's"
)

FACETS = ["status", "category", "unit", "channel", "overdue", "received_month"]


def forbid_reading_rows(monkeypatch):
    def read_rows(self, cursor, plan):
        raise AssertionError("the entry rows were read instead of the columns")

    monkeypatch.setattr(DatabaseBackend, "_rank_in_rows", read_rows)


@pytest.fixture
def engine(transactional_db, monkeypatch):
    """The contract's corpus, committed; every search answered from the columns."""
    backend = DatabaseBackend()
    test_search_contract.load_corpus(backend)
    forbid_reading_rows(monkeypatch)
    yield backend
    for kind in ("petitions", "pages"):
        backend.clear(kind)


def both_ways(backend, request):
    """(columns, rows) answers to one request, from the same snapshot."""
    plan = plan_request(request)
    with read_snapshot(), connection.cursor() as cursor:
        columns = backend._columns(cursor, plan)
        assert columns is not None
        in_columns = backend._rank_in_columns(cursor, plan, columns)
        in_rows = backend._rank_in_rows(cursor, plan)
    return in_columns, in_rows


@pytest.fixture
def register(transactional_db):
    backend = DatabaseBackend()
    backend.clear("petitions")
    backend.upsert("petitions", petitions(600, seed=11))
    yield backend
    backend.clear("petitions")


REQUESTS = [
    {"query": "执行款 拖欠"},
    {"query": "工资 -仲裁"},
    {"query": '"财产处置"'},
    {"query": "立案", "sort": "deadline"},
    {"query": "立案", "sort": "newest", "page": 3, "per_page": 7},
    {"query": "房屋 拍卖", "scope": [LEAF_UNITS[0][0], LEAF_UNITS[1][0]]},
    {"query": "", "filters": {"status": ["accepted", "assigned"]}},
    {"query": "", "filters": {"overdue": ["true"]}, "sort": "deadline"},
    {"query": "工资 执行", "match_any": True, "page": 2, "per_page": 50},
    {"query": "诉源治理", "filters": {"channel": ["web", "letter"]}},
    {"query": "不存在的词语"},
]


@pytest.mark.parametrize("options", REQUESTS, ids=lambda options: str(options))
def test_the_columns_answer_as_the_rows_do(register, options):
    """Total, facet counts and the page, in order, equal reading the entry rows
    (ties on score and date are ordered by key in both)."""
    request = SearchRequest(kind="petitions", facets=FACETS, **options)
    in_columns, in_rows = both_ways(register, request)
    assert in_columns == in_rows
    assert in_rows[0] > 0 or options["query"] == "不存在的词语"


def test_every_page_of_a_broad_query_in_the_same_order(register):
    """Many ties (a date sort of hundreds of matches): each page is the rows' page."""
    for page in range(1, 8):
        request = SearchRequest(
            kind="petitions", query="", sort="newest", page=page, per_page=100
        )
        in_columns, in_rows = both_ways(register, request)
        assert in_columns[2] == in_rows[2]


def test_writes_after_a_search_are_counted_by_the_next(register, monkeypatch):
    """A petition written after the columns loaded is found, counted and filtered."""
    forbid_reading_rows(monkeypatch)
    request = SearchRequest(kind="petitions", query="独一无二的标题", facets=["status"])
    assert register.search(request).total == 0
    document = dict(next(petitions(1, seed=99)), id="900001", status="closed")
    document["subject"] = "独一无二的标题"
    register.upsert("petitions", [document])
    result = register.search(request)
    assert [hit.id for hit in result.hits] == ["900001"]
    assert result.facets["status"] == [("closed", 1)]
    # Changed again: the old row is gone, the new one counts once.
    register.upsert("petitions", [dict(document, status="replied", version="2")])
    result = register.search(request)
    assert result.total == 1
    assert result.facets["status"] == [("replied", 1)]


def test_a_rebuild_swaps_generations_without_doubles(register, monkeypatch):
    """While a rebuild's rows exist the rows are read; after the swap the columns
    count the new generation once and nothing of the old one."""
    request = SearchRequest(kind="petitions", query="", facets=["status"])
    before = register.search(request).total
    seen = []

    def progress(written):
        # Mid-rebuild: two generations exist; the answer is still the old one.
        seen.append(register.search(request).total)

    register.rebuild("petitions", petitions(250, seed=5), progress=progress)
    assert seen and set(seen) == {before}
    forbid_reading_rows(monkeypatch)
    result = register.search(request)
    assert result.total == 250
    assert sum(count for _, count in result.facets["status"]) == 250


def test_an_emptied_table_starts_a_new_epoch(register, monkeypatch):
    """``flush`` empties the table and may start its ids over: nothing stale is
    found, and what is written next is read afresh into the columns."""
    request = SearchRequest(kind="petitions", query="", facets=["status"])
    assert register.search(request).total == 600
    token = SearchEpoch.objects.get().token
    call_command("flush", interactive=False, verbosity=0)
    assert not SearchEntry.objects.exists()
    assert register.search(request).total == 0
    register.upsert("petitions", petitions(30, seed=3))
    assert SearchEpoch.objects.get().token != token
    forbid_reading_rows(monkeypatch)
    result = register.search(request)
    assert result.total == 30
    assert sum(count for _, count in result.facets["status"]) == 30


def test_columns_load_once_per_process_and_then_only_what_is_new(register):
    """The second search reads no entry row again; a write adds just its own."""
    request = SearchRequest(kind="petitions", query="执行")
    register.search(request)
    columns = COLUMNS[connection.settings_dict["NAME"]]
    loaded = columns.state
    register.search(request)
    assert columns.state is loaded
    document = dict(next(petitions(1, seed=98)), id="900002")
    register.upsert("petitions", [document])
    register.search(request)
    assert len(columns.state.keys) == len(loaded.keys) + 1
    assert columns.state.keys[-1] == "900002"


def test_a_new_web_process_loads_the_columns_before_its_first_search(register):
    """The application's start warms search up in the background: the columns
    hold every entry before anyone searched, and the first search loads nothing."""
    from django.core.wsgi import get_wsgi_application

    from portal.startup import start_application

    COLUMNS.clear()
    start_application(get_wsgi_application)
    for thread in threading.enumerate():
        if thread.name == "search-warm-up":
            thread.join(timeout=30)
    columns = COLUMNS[connection.settings_dict["NAME"]]
    loaded = columns.state
    assert len(loaded.keys) == 600
    register.search(SearchRequest(kind="petitions", query="执行"))
    assert columns.state is loaded


def test_facet_counts_of_a_random_sample_of_filters(register):
    """Random combinations of filters and words: always as the rows say."""
    rng = random.Random(4)
    statuses = ["received", "accepted", "assigned", "in_progress", "replied", "closed"]
    for _ in range(15):
        request = SearchRequest(
            kind="petitions",
            query=rng.choice(["执行", "工资", "", "房屋 -拍卖", '"立案"']),
            filters={"status": rng.sample(statuses, rng.randint(1, 3))},
            scope=rng.choice([None, [unit for unit, *_ in rng.sample(LEAF_UNITS, 3)]]),
            facets=FACETS,
            sort=rng.choice(["relevance", "newest", "deadline"]),
        )
        in_columns, in_rows = both_ways(register, request)
        assert in_columns == in_rows


def test_ties_are_ordered_by_key_as_text_on_every_page(transactional_db):
    """Thirty petitions alike in words and dates tie on score and date: each page
    holds what the rows' order (key as text: 1, 10, 11, ... 2, 20) puts there."""
    backend = DatabaseBackend()
    backend.clear("petitions")
    alike = dict(next(petitions(1, seed=21)), subject="拖欠工资")
    backend.upsert(
        "petitions", [dict(alike, id=str(number)) for number in range(1, 31)]
    )
    for sort in ("relevance", "newest", "deadline"):
        seen = []
        for page in range(1, 6):
            request = SearchRequest(
                kind="petitions", query="工资", sort=sort, page=page, per_page=7
            )
            in_columns, in_rows = both_ways(backend, request)
            assert in_columns == in_rows
            seen += [key for _, key, _ in in_columns[2]]
        assert seen == sorted(str(number) for number in range(1, 31))
    backend.clear("petitions")


def test_a_match_the_columns_do_not_hold_is_read_from_the_rows(register, monkeypatch):
    """A search whose snapshot is older than the columns' last load can match a
    row deleted before that load: the rows answer then, never a wrong count."""
    request = SearchRequest(kind="petitions", query="执行", facets=["status"])
    expected = register.search(request)
    columns = COLUMNS[connection.settings_dict["NAME"]]
    # Columns that claim to be up to date but miss every row.
    columns.state = replace(
        EMPTY, token=columns.state.token, sequence=columns.state.sequence
    )
    read = []
    rows_way = DatabaseBackend._rank_in_rows

    def read_rows(self, cursor, plan):
        read.append(plan)
        return rows_way(self, cursor, plan)

    monkeypatch.setattr(DatabaseBackend, "_rank_in_rows", read_rows)
    found = register.search(request)
    assert read
    assert (found.total, found.facets) == (expected.total, expected.facets)
    assert [hit.id for hit in found.hits] == [hit.id for hit in expected.hits]
