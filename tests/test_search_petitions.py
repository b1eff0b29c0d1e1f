"""Petitions reach staff search as they are submitted: words, names, identifiers,
with personal data masked in what the index keeps."""

import io
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from freezegun import freeze_time

from petitions import actions
from petitions.models import Category, Petition, Unit
from search import indexing
from search.backends import get_backend
from search.backends.base import SearchRequest
from search.indexing import index_now

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "other",
    "name": "欧阳明",
    "phone": "13712345678",
    "id_number": "11010519491231002X",
    "subject": "执行款拖欠三年",
    "description": "法院判决后被执行人一直拖欠执行款，申请强制执行也没有结果。",
    "case_number": "（2024）京0105执1234号",
    "consent": "on",
}


@pytest.fixture
def petitions_index(db):
    get_backend().clear("petitions")
    yield get_backend()
    get_backend().clear("petitions")


def staff_search(query: str, **options) -> list[dict]:
    get_backend().refresh("petitions")
    result = get_backend().search(
        SearchRequest(kind="petitions", query=query, **options)
    )
    return [hit.source for hit in result.hits]


def submit(django_capture_on_commit_callbacks, **changes):
    with django_capture_on_commit_callbacks(execute=True):
        return actions.submit({**FIELDS, **changes}).petition


def test_a_submitted_petition_is_found_by_words_number_phone_and_name(
    demo_site, petitions_index, django_capture_on_commit_callbacks
):
    """Indexed on commit; each way a handler looks finds it, and only it."""
    petition = submit(django_capture_on_commit_callbacks)
    submit(
        django_capture_on_commit_callbacks,
        name="李四",
        phone="13900001111",
        id_number="",
        case_number="",
        subject="邻里纠纷",
        description="楼上邻居深夜噪音扰民，多次沟通无果。",
    )
    for query in (
        "执行款 拖欠",
        petition.tracking_no,
        "137 1234 5678",
        "欧阳明",
        "11010519491231002x",
        "(2024)京0105执1234号",
    ):
        assert [doc["tracking_no"] for doc in staff_search(query)] == [
            petition.tracking_no
        ], query


def test_the_index_keeps_personal_data_masked(
    demo_site, petitions_index, django_capture_on_commit_callbacks
):
    """What a result shows is masked; the full name and numbers are not stored."""
    submit(django_capture_on_commit_callbacks)
    (source,) = staff_search("执行款")
    stored = json.dumps(source, ensure_ascii=False)
    assert source["name_masked"] == "欧**"
    assert source["phone_masked"] == "137****5678"
    for secret in ("欧阳明", "13712345678", "11010519491231002X"):
        assert secret not in stored


def test_falling_overdue_is_picked_up_by_reconcile(
    demo_site, petitions_index, django_capture_on_commit_callbacks
):
    """Nobody touched it, yet the passing deadline changes what the index says."""
    with freeze_time("2026-11-23 10:00:00+08:00"):
        petition = submit(django_capture_on_commit_callbacks)
        assert staff_search("", filters={"overdue": ["true"]}) == []
    with freeze_time("2027-01-10 10:00:00+08:00"):
        call_command("search_index", "--reconcile", "--kind", "petitions")
        overdue = staff_search("", filters={"overdue": ["true"]})
    assert [doc["tracking_no"] for doc in overdue] == [petition.tracking_no]


def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "a@example.invalid", "x")


def test_an_internal_note_is_found_by_its_words(
    demo_site, petitions_index, django_capture_on_commit_callbacks, django_user_model
):
    """A note changes no field of the petition, yet staff find it by the note."""
    petition = submit(django_capture_on_commit_callbacks)
    assert staff_search("调解员回访") == []
    version = get_backend().versions("petitions")[str(petition.pk)]
    with django_capture_on_commit_callbacks(execute=True):
        actions.add_note(
            petition, "已约调解员回访当事人", actor=superuser(django_user_model)
        )
    [found] = staff_search("调解员回访")
    assert found["tracking_no"] == petition.tracking_no
    assert get_backend().versions("petitions")[str(petition.pk)] != version


def test_a_step_the_queue_missed_changes_the_version_reconcile_compares(
    demo_site, petitions_index, django_capture_on_commit_callbacks, django_user_model
):
    """Without its after-commit task, a note still shows up after reconcile."""
    petition = submit(django_capture_on_commit_callbacks)
    admin = superuser(django_user_model)
    actions.add_note(petition, "已约调解员回访当事人", actor=admin)
    assert staff_search("调解员回访") == []
    out = io.StringIO()
    call_command("search_index", "--reconcile", "--kind", "petitions", stdout=out)
    assert "1 updated" in out.getvalue()
    assert len(staff_search("调解员回访")) == 1


def test_what_a_lost_job_missed_is_found_after_the_next_catch_up(
    demo_site, petitions_index, django_capture_on_commit_callbacks, django_user_model
):
    """A submission and a note whose indexing jobs never ran (a killed worker, a
    queue that was down) are found after the scheduler's 30 s catch-up, with no
    reconcile run by anyone."""
    with django_capture_on_commit_callbacks(execute=False):
        petition = actions.submit(FIELDS).petition
    assert staff_search("执行款") == []
    assert indexing.catch_up_recent.call() == {
        "petitions": {"added": 1, "updated": 0, "removed": 0, "unchanged": 0}
    }
    [found] = staff_search("执行款")
    assert found["tracking_no"] == petition.tracking_no

    actions.add_note(
        petition, "已约调解员回访当事人", actor=superuser(django_user_model)
    )
    assert staff_search("调解员回访") == []
    indexing.catch_up_recent.call()
    assert len(staff_search("调解员回访")) == 1
    assert settings.PERIODIC_TASKS["search.indexing.catch_up_recent"] <= 30


def test_the_catch_up_looks_at_recent_changes_only_and_waits_out_an_outage(
    demo_site, petitions_index, django_capture_on_commit_callbacks
):
    """What changed before the window is the hourly reconcile's (the catch-up stays
    cheap); with the engine down the catch-up skips quietly and tries again."""
    with freeze_time("2026-11-23 10:00:00+08:00"):
        with django_capture_on_commit_callbacks(execute=False):
            old = actions.submit(FIELDS).petition
    with freeze_time("2026-11-23 10:11:00+08:00"):
        with django_capture_on_commit_callbacks(execute=False):
            new = actions.submit({**FIELDS, "subject": "执行款拖欠两年"}).petition
        with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
            assert indexing.catch_up_recent.call() == {}
        indexing.catch_up_recent.call()
    found = {doc["tracking_no"] for doc in staff_search("执行款")}
    assert found == {new.tracking_no}
    call_command("search_index", "--reconcile", "--kind", "petitions")
    found = {doc["tracking_no"] for doc in staff_search("执行款")}
    assert found == {new.tracking_no, old.tracking_no}


def head_finds(code: str, numbers) -> set[str]:
    """The tracking numbers among ``numbers`` a head of unit ``code`` finds."""
    unit = Unit.objects.get(code=code)
    found = staff_search("", scope=[unit.path], per_page=100)
    return {doc["tracking_no"] for doc in found} & set(numbers)


@pytest.fixture
def court_and_station(demo_site, petitions_index, django_capture_on_commit_callbacks):
    """One petition at the city court, one at the justice station."""
    court = submit(django_capture_on_commit_callbacks, category="enforcement")
    station = submit(django_capture_on_commit_callbacks, category="legal-consultation")
    Petition.objects.filter(pk=station.pk).update(
        unit=Unit.objects.get(code="jn-justice-east")
    )
    index_now("petitions", [str(station.pk)])
    assert court.unit.code == "jn-city"
    return court.tracking_no, station.tracking_no


def test_moving_a_unit_moves_its_petitions_scope(
    court_and_station, django_capture_on_commit_callbacks
):
    """The city court moves under the justice bureau: the bureau's head finds its
    petitions, the high court's head no longer does, the station keeps its own."""
    court, station = court_and_station
    assert head_finds("jn-high", court_and_station) == {court}
    assert head_finds("jn-justice", court_and_station) == {station}
    with django_capture_on_commit_callbacks(execute=True):
        # Sorted by code, the court lands before the station and shifts its path.
        Unit.objects.get(code="jn-city").move(
            Unit.objects.get(code="jn-justice"), pos="sorted-child"
        )
    assert head_finds("jn-high", court_and_station) == set()
    assert head_finds("jn-justice", court_and_station) == {court, station}
    assert head_finds("jn-justice-east", court_and_station) == {station}
    assert head_finds("jn-east", court_and_station) == set()


def test_a_move_the_queue_missed_is_caught_by_reconcile(court_and_station):
    """Unit paths are part of the version: reconcile rewrites the moved ones."""
    court, station = court_and_station
    Unit.objects.get(code="jn-city").move(
        Unit.objects.get(code="jn-justice"), pos="sorted-child"
    )
    assert head_finds("jn-justice", court_and_station) == {station}
    out = io.StringIO()
    call_command("search_index", "--reconcile", "--kind", "petitions", stdout=out)
    assert "2 updated" in out.getvalue()
    assert head_finds("jn-justice", court_and_station) == {court, station}


def test_renaming_a_category_reaches_its_petitions(
    court_and_station, django_capture_on_commit_callbacks
):
    """A new name for a category is what the results show at once."""
    category = Category.objects.get(code="enforcement")
    category.name = "执行事务"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    court, _station = court_and_station
    [found] = [doc for doc in staff_search("") if doc["tracking_no"] == court]
    assert found["category_name"] == "执行事务"


def test_reading_every_petition_asks_the_database_the_same_few_times_for_any_number(
    demo_site, django_capture_on_commit_callbacks
):
    """A rebuild reads every petition: the tree above each category and unit is
    asked once per node, not once per petition, so 8 petitions cost what 4 do."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from search.sources import petition_documents

    def queries_to_read_all() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as asked:
            documents = list(petition_documents())
        return len(documents), len(asked)

    for _ in range(4):
        submit(django_capture_on_commit_callbacks)
    read, asked_for_four = queries_to_read_all()
    assert read == 4
    for _ in range(4):
        submit(django_capture_on_commit_callbacks)
    assert queries_to_read_all() == (8, asked_for_four)


@pytest.mark.skipif(
    "sqlite" not in settings.DATABASES["default"]["ENGINE"],
    reason="an open read holds an old snapshot on SQLite only",
)
@pytest.mark.django_db(transaction=True)
def test_reading_every_petition_leaves_no_statement_open_between_petitions(
    demo_site, django_capture_on_commit_callbacks
):
    """A rebuild writes between the petitions it reads. On SQLite a read still open
    at that moment keeps its old snapshot, and the rebuild's next write was refused
    ("database is locked") once the worker or the scheduler had written; SQLite
    refuses VACUUM for the same open read, so VACUUM between two petitions shows it.
    Read in pages, every petition still comes once, in order."""
    from django.db import connection

    from search.sources import READ_PAGE, petition_documents

    first = submit(django_capture_on_commit_callbacks)
    fields = {
        field.attname: getattr(first, field.attname)
        for field in Petition._meta.concrete_fields
        if not field.primary_key
    }
    Petition.objects.bulk_create(
        Petition(**{**fields, "tracking_no": f"20260101-{number:05d}-T"})
        for number in range(READ_PAGE + 1)
    )
    documents = petition_documents()
    read = [next(documents)["id"]]
    with connection.cursor() as cursor:
        cursor.execute("VACUUM")  # "SQL statements in progress" if a read is open
    read += [document["id"] for document in documents]
    expected = Petition.objects.order_by("pk").values_list("pk", flat=True)
    assert read == [str(pk) for pk in expected]
    assert len(read) == READ_PAGE + 2
