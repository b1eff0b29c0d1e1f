"""Petitions reach staff search as they are submitted: words, names, identifiers,
with personal data masked in what the index keeps."""

import json

import pytest
from django.core.management import call_command
from freezegun import freeze_time

from petitions import actions
from search.backends import get_backend
from search.backends.base import SearchRequest

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
