"""Indexing: after commit as a task, catching up after an outage, rebuild and
reconcile, on the configured engine, fed by synthetic petitions."""

import io
import json
import logging
import threading

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from bench.search_corpus import petitions
from search import indexing
from search.backends import get_backend
from search.backends.base import SearchRequest, SearchUnavailable
from search.backends.database import TEXT
from search.documents import KINDS
from search.models import SearchEntry
from search.warmup import warm_in_background

DEAD_ENGINE = "http://127.0.0.1:9"
DB_QUEUE = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def store(db):
    """Synthetic petitions standing in for the register, registered as the source."""
    from search import sources  # noqa: F401 - the portal's own sources first

    documents = {document["id"]: document for document in petitions(40, seed=3)}
    saved = indexing.SOURCES.get("petitions")
    indexing.register_source(
        indexing.Source(
            kind="petitions",
            documents=lambda keys: [
                documents[key]
                for key in (documents if keys is None else keys)
                if key in documents
            ],
            versions=lambda keys: {
                key: doc["version"]
                for key, doc in documents.items()
                if keys is None or key in keys
            },
            count=lambda: len(documents),
        )
    )
    backend = get_backend()
    backend.clear("petitions")
    yield documents
    get_backend().clear("petitions")
    if saved is None:
        indexing.SOURCES.pop("petitions", None)
    else:
        indexing.SOURCES["petitions"] = saved


def total(query: str = "") -> int:
    backend = get_backend()
    backend.refresh("petitions")
    return backend.search(SearchRequest(kind="petitions", query=query)).total


def test_a_change_is_indexed_after_commit(store, django_capture_on_commit_callbacks):
    """schedule_index inside a transaction writes nothing until the commit."""
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            indexing.schedule_index("petitions", "7")
            assert total() == 0
    assert total() == 1


def test_a_removed_object_leaves_the_index(store, django_capture_on_commit_callbacks):
    """An object the source no longer offers is deleted by the same task."""
    indexing.index_now("petitions", ["7", "8"])
    del store["7"]
    with django_capture_on_commit_callbacks(execute=True):
        indexing.schedule_index("petitions", "7")
    assert get_backend().versions("petitions").keys() == {"8"}


def test_engine_down_saving_still_succeeds_and_reconcile_catches_up(
    store, django_capture_on_commit_callbacks
):
    """With the engine down the task is retried later; reconcile finds the change."""
    with override_settings(ELASTICSEARCH_URL=DEAD_ENGINE, TASKS=DB_QUEUE):
        with django_capture_on_commit_callbacks(execute=True):
            indexing.schedule_index("petitions", "5")
        queued = DBTaskResult.objects.filter(task_path__endswith="index_document")
        assert queued.count() == 1
        result = indexing.index_document.call("petitions", "5")
        assert result == "retrying"
        assert queued.count() == 2
        assert queued.order_by("-enqueued_at").first().run_after is not None
        with pytest.raises(SearchUnavailable):
            get_backend().search(SearchRequest(kind="petitions", query="执行"))
    assert total() == 0
    out = io.StringIO()
    call_command("search_index", "--reconcile", "--kind", "petitions", stdout=out)
    assert "40 added" in out.getvalue()
    assert total() == 40


def test_retries_stop_where_the_queue_cannot_defer(store):
    """The immediate queue cannot wait: the task reports the miss and returns."""
    with override_settings(ELASTICSEARCH_URL=DEAD_ENGINE):
        assert indexing.index_document.call("petitions", "5") == "missed"


def test_the_search_warm_up_of_a_new_web_process_survives_the_engine_down(caplog):
    """It meets the unreachable engine and says so in the log, nothing raised:
    the process serves all the same (a search then shows the clear message)."""
    with (
        override_settings(ELASTICSEARCH_URL=DEAD_ENGINE),
        caplog.at_level(logging.INFO, logger="search.warmup"),
    ):
        warm_in_background().join(timeout=30)
    assert "search warm-up skipped" in caplog.text


def test_reconcile_adds_updates_and_removes(store):
    """Versions are compared: new, changed and vanished petitions are fixed."""
    indexing.index_now("petitions", list(store))
    store["3"] = dict(store["3"], version="changed", subject="新的主题词")
    extra = dict(store["2"], id="999")
    store["999"] = extra
    del store["4"]
    out = io.StringIO()
    call_command("search_index", "--reconcile", "--kind", "petitions", stdout=out)
    assert "1 added, 1 updated, 1 removed, 38 unchanged" in out.getvalue()
    assert get_backend().versions("petitions") == {
        key: document["version"] for key, document in store.items()
    }
    assert total("新的主题词") == 1


def test_rebuild_is_never_empty_while_it_runs(store):
    """A search run at every step of a rebuild sees the whole corpus."""
    for number, document in enumerate(petitions(2500, seed=5), start=1000):
        store[str(number)] = dict(document, id=str(number))
    indexing.index_now("petitions", list(store))
    expected = len(store)
    assert total() == expected
    seen = []

    def search_meanwhile(done: int) -> None:
        seen.append(get_backend().search(SearchRequest(kind="petitions")).total)

    indexing.rebuild("petitions", progress=search_meanwhile)
    assert len(seen) >= 2
    assert set(seen) == {expected}
    assert total() == expected


def test_a_rebuilt_index_takes_writes_as_safely_as_any_other(store):
    """A rebuild loads without refreshes or an fsync per bulk request; the index it
    swaps in keeps every acknowledged write on disk and shows it within a second,
    as the defaults do."""
    backend = get_backend()
    if backend.name != "elasticsearch":
        pytest.skip("settings of an Elasticsearch index")
    indexing.rebuild("petitions")
    answer = backend.client.indices.get_settings(
        index=KINDS["petitions"].alias, flat_settings=True
    )
    ((name, body),) = answer.items()
    assert "index.translog.durability" not in body["settings"], name
    assert "index.refresh_interval" not in body["settings"], name
    assert total() == len(store)


def test_a_search_finds_the_index_another_process_rebuilt_meanwhile(store):
    """A search names the index it last found behind the alias; when another
    process's rebuild swapped and dropped that index meanwhile, the next search
    finds the new one, not an error and not nothing."""
    backend = get_backend()
    if backend.name != "elasticsearch":
        pytest.skip("versions behind an Elasticsearch alias")
    from search.backends.elasticsearch import ElasticsearchBackend

    indexing.index_now("petitions", list(store))
    request = SearchRequest(kind="petitions", query="二次重建")
    assert total("二次重建") == 0
    for key, document in store.items():
        store[key] = dict(document, notes=["二次重建"])
    elsewhere = ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    elsewhere.rebuild("petitions", list(store.values()))
    result = backend.search(request)
    assert result.total == len(store)
    assert len(result.hits) == min(len(store), 20)


def engine_settings():
    """The engines a rebuild can be watched on here: the database engine (on a
    database whose readers run beside a writer), and Elasticsearch when configured."""
    engines = [pytest.param("", id="database")]
    if settings.ELASTICSEARCH_URL:
        engines.append(pytest.param(settings.ELASTICSEARCH_URL, id="elasticsearch"))
    return engines


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("engine_url", engine_settings())
def test_searches_in_another_thread_see_a_whole_index_throughout_a_rebuild(
    store, engine_url
):
    """A reader on its own connection searches in a loop while `search_index
    --rebuild` runs twice (loading, swapping, dropping the old index): every
    answer counts the whole corpus, with a full page and whole facets, and a word
    that only the second rebuild brings is found in no petition or in all."""
    with override_settings(ELASTICSEARCH_URL=engine_url):
        backend = get_backend()
        backend.clear("petitions")
        for number, document in enumerate(petitions(2500, seed=5), start=1000):
            store[str(number)] = dict(document, id=str(number))
        indexing.index_now("petitions", list(store))
        backend.refresh("petitions")
        expected = {query: total(query) for query in ("", "执行", "二次重建")}
        assert expected[""] == len(store) and 0 < expected["执行"] < len(store)
        answers, errors, rebuilding = [], [], threading.Event()

        def read():
            try:
                while rebuilding.is_set():
                    for query in expected:
                        request = SearchRequest(
                            kind="petitions", query=query, facets=["status"]
                        )
                        result = backend.search(request)
                        counted = sum(n for _value, n in result.facets["status"])
                        answers.append((query, result.total, len(result.hits), counted))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(error)
            finally:
                connections.close_all()

        rebuilding.set()
        reader = threading.Thread(target=read)
        reader.start()
        try:
            for run in range(2):
                if run:  # the database changed: only a rebuild brings the word
                    for key, document in store.items():
                        store[key] = dict(document, notes=["二次重建"])
                call_command(
                    "search_index",
                    "--rebuild",
                    "--kind",
                    "petitions",
                    stdout=io.StringIO(),
                    stderr=io.StringIO(),
                )
        finally:
            rebuilding.clear()
            reader.join()
        assert errors == []
        assert len(answers) >= 10
        for query, found, page, counted in answers:
            if query == "二次重建":
                assert found in (0, len(store)) and counted == found
                assert page == min(found, 20)
            else:
                assert (found, page, counted) == (expected[query], 20, found)
        assert total() == total("二次重建") == len(store)
        if engine_url:
            assert len(backend._write_targets(KINDS["petitions"])) == 1
        else:
            assert set(SearchEntry.objects.values_list("kind", flat=True)) == {
                "petitions"
            }
        backend.clear("petitions")


def change_after_a_thousand(store):
    """A rebuild's progress callback: petition 1 is changed and indexed as the
    rebuild passes its first thousand petitions."""

    def change_meanwhile(done: int) -> None:
        if done == 1000:
            store["1"] = dict(store["1"], subject="重建期间修改的主题", version="new")
            indexing.index_now("petitions", ["1"])

    return change_meanwhile


def test_a_change_made_during_a_rebuild_is_kept(store):
    """A petition saved while the rebuild runs is found in the rebuilt index."""
    for number, document in enumerate(petitions(2500, seed=5), start=1000):
        store[str(number)] = dict(document, id=str(number))
    indexing.rebuild("petitions", progress=change_after_a_thousand(store))
    assert total("重建期间修改的主题") == 1
    assert get_backend().versions("petitions")["1"] == "new"


def full_text_mismatches() -> list[str]:
    """SQLite: what the FTS5 tables hold that the text rows do not, or lack."""
    problems = []
    with connection.cursor() as cursor:
        try:  # rank 1: the words index is compared with its content table too
            cursor.execute(
                "INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)"
            )
            cursor.execute(
                "INSERT INTO search_phrase(search_phrase) VALUES ('integrity-check')"
            )
        except DatabaseError as error:
            problems.append(f"integrity-check: {error}")
        cursor.execute(
            f"SELECT count(*) FROM {TEXT} t LEFT JOIN search_phrase p "
            "ON p.rowid = t.entry_id WHERE p.compact IS NOT t.compact"
        )
        problems += ["a text without its phrase row"] * cursor.fetchone()[0]
        cursor.execute(
            f"SELECT count(*) FROM search_phrase WHERE rowid NOT IN "
            f"(SELECT entry_id FROM {TEXT})"
        )
        problems += ["a phrase row without its text"] * cursor.fetchone()[0]
    return problems


def test_the_full_text_rows_follow_every_write_rebuild_and_removal(store):
    """SQLite: the engine writes a batch's FTS5 rows itself (a trigger only removes
    them); through writes, a change during a rebuild, two rebuilds (the second
    dropping the first's rows) and removals, the FTS5 tables hold exactly the
    texts, and a changed petition is no longer found by its old words."""
    if connection.vendor != "sqlite" or settings.ELASTICSEARCH_URL:
        pytest.skip("the FTS5 tables of the database engine on SQLite")
    for number, document in enumerate(petitions(1500, seed=9), start=1000):
        store[str(number)] = dict(document, id=str(number))
    store["1"] = dict(store["1"], subject="最初写下的独特主题")
    indexing.index_now("petitions", list(store))
    assert total('"最初写下的独特主题"') == 1
    indexing.rebuild("petitions", progress=change_after_a_thousand(store))
    indexing.rebuild("petitions")
    removed = list(store)[-30:]
    for key in removed:
        del store[key]
    get_backend().delete("petitions", removed)
    store["2"] = dict(store["2"], subject="再次修改的主题", version="again")
    indexing.index_now("petitions", ["2"])

    assert full_text_mismatches() == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_phrase")
        assert cursor.fetchone()[0] == len(store)
    assert total("再次修改的主题") == 1
    assert total('"最初写下的独特主题"') == total("最初写下的独特主题") == 0
    assert total("重建期间修改的主题") == 1
    assert total() == len(store)


def test_rebuild_command_shows_progress_and_counts(store):
    """--rebuild draws a bar on stderr and reports the documents written."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "search_index", "--rebuild", "--kind", "petitions", stdout=out, stderr=err
    )
    assert "petitions: 40 documents" in out.getvalue()
    assert "40/40" in err.getvalue()
    assert total() == 40


def test_search_petitions_prints_one_json_object(store):
    """The operators' command prints total and hits with tracking numbers."""
    indexing.index_now("petitions", list(store))
    get_backend().refresh("petitions")
    out = io.StringIO()
    call_command("search_petitions", "执行", "--json", stdout=out)
    answer = json.loads(out.getvalue())
    assert answer["total"] == total("执行") > 0
    first = answer["hits"][0]
    assert set(first) == {"tracking_no", "score", "highlights"}
    assert any("<mark>" in snippet for snippet in first["highlights"])


def test_search_petitions_for_a_user_without_units_finds_nothing(
    store, django_user_model
):
    """A user given on the command line brings their (empty) scope."""
    indexing.index_now("petitions", list(store))
    django_user_model.objects.create_user("handler-without-units")
    out = io.StringIO()
    call_command(
        "search_petitions",
        "执行",
        "--json",
        "--user",
        "handler-without-units",
        stdout=out,
    )
    assert json.loads(out.getvalue()) == {"total": 0, "hits": []}


def test_rq_workers_run_the_scheduler_that_releases_retries(monkeypatch):
    """Retries wait in RQ's scheduled registry: run_worker starts rqworker with its
    scheduler (and the portal's worker class), and rqworker knows those options."""
    from django.core.management import load_command_class

    from portal.management.commands import run_worker

    started = []
    monkeypatch.setattr(
        run_worker, "call_command", lambda *args, **options: started.append(options)
    )
    rq = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    with override_settings(TASKS=rq):
        call_command("run_worker", stdout=io.StringIO())
    [options] = started
    assert options["with_scheduler"] is True
    assert options["job_class"] == "django_tasks_rq.Job"
    assert options["worker_class"] == "portal.worker.PortalWorker"
    parser = load_command_class("django_rq", "rqworker").create_parser("", "rqworker")
    assert {"with_scheduler", "worker_class"} <= {a.dest for a in parser._actions}
