"""The public JSON API: submit, look up, rate; uniform refusals; limits."""

import datetime

import pytest
from django.core.cache import cache
from freezegun import freeze_time

from petitions import actions
from petitions import api as _api  # noqa: F401 - schemas built before a clock freezes
from petitions.identifiers import check_character
from petitions.models import Petition, Reply
from petitions.workflow import Status
from portal.security.models import AuditEntry
from tests.intake_files import photo, upload

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "category": "legal-consultation",
    "name": "王小明",
    "phone": "13812345678",
    "id_number": "11010519491231002X",
    "subject": "工资拖欠",
    "description": "公司拖欠我三个月工资，怎么办？",
    "consent": True,
}


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


def post(client, path, data, **extra):
    return client.post(path, data, content_type="application/json", **extra)


def submit(client, **changes):
    return post(client, "/api/v1/petitions", {**PAYLOAD, **changes})


def test_submit_then_lookup_shows_the_status(demo_site, client):
    """Submit answers 201 with number and code; lookup with both shows the status."""
    response = submit(client)
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"tracking_no", "access_code", "status", "expected_by"}
    assert body["status"] == "received" and len(body["access_code"]) >= 8
    found = post(
        client,
        "/api/v1/petitions/lookup",
        {"tracking_no": body["tracking_no"], "access_code": body["access_code"]},
    )
    assert found.status_code == 200
    view = found.json()
    assert view["status"] == "received"
    assert view["expected_by"] == body["expected_by"]
    assert [entry["action"] for entry in view["timeline"]] == ["submit"]


def test_wrong_code_number_or_check_character_get_the_same_404(demo_site, client):
    """A wrong code, an unknown number, a wrong check character: one 404 body."""
    body = submit(client).json()
    number, code = body["tracking_no"], body["access_code"]
    payload = number[:-1]
    wrong_check = next(c for c in "0123456789ABCDEFGH" if c != number[-1])
    unknown = payload[:-6] + "99999-" + check_character(payload[:8] + "99999")
    attempts = [
        {"tracking_no": number, "access_code": "WRONGCODE2"},
        {"tracking_no": unknown, "access_code": code},
        {"tracking_no": payload + wrong_check, "access_code": code},
        {"tracking_no": "nonsense", "access_code": code},
    ]
    responses = [post(client, "/api/v1/petitions/lookup", a) for a in attempts]
    assert {r.status_code for r in responses} == {404}
    assert len({r.content for r in responses}) == 1


@freeze_time("2026-11-23 10:00:10+08:00")  # the whole run in one minute
def test_fifteen_quick_lookups_from_one_address_hit_the_limit(demo_site, client):
    """The eleventh lookup within a minute answers 429 with Retry-After, audited."""
    attempt = {"tracking_no": "20261123-00001-6", "access_code": "AAAAAAAAAA"}
    codes = [
        post(client, "/api/v1/petitions/lookup", attempt).status_code for _ in range(15)
    ]
    assert codes[:10] == [404] * 10
    assert codes[10:] == [429] * 5
    last = post(client, "/api/v1/petitions/lookup", attempt)
    assert "wait" in last.json()["detail"].lower() or "请" in last.json()["detail"]
    assert last["Retry-After"] == "50"  # the rest of the minute
    assert (
        AuditEntry.objects.filter(
            action="petition.lookup_rate_limited", success=False
        ).count()
        >= 5
    )


def test_twenty_submissions_a_day_per_address(demo_site, client):
    """Four bursts of five, ten minutes apart, fill the day: the 21st is refused
    until the next day, with a Retry-After."""
    with freeze_time("2026-11-23 02:00:00+00:00") as clock:
        for _burst in range(4):
            assert [submit(client).status_code for _ in range(5)] == [201] * 5
            clock.tick(datetime.timedelta(minutes=10, seconds=1))
        refused = submit(client)
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 20 * 3600
        clock.tick(datetime.timedelta(hours=22))
        assert submit(client).status_code == 201


@pytest.mark.usefixtures("one_limit_window")
def test_submissions_are_limited_per_address(demo_site, client):
    """A sixth submission within ten minutes answers 429; another address may go on."""
    codes = [submit(client).status_code for _ in range(6)]
    assert codes == [201] * 5 + [429]
    other = post(client, "/api/v1/petitions", PAYLOAD, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b"null",
        b'"text"',
        b'{"category": {"a": 1}}',
        b'{"category": "other", "subject": ["x"], "description": 5}',
        b'{"co_signers": "many", "consent": "yes"}',
        b'{"subject": "\\ud800", "category": "other"}',
        b'{"subject": "a\\u0000b"}',
        b"\xff\xfe",
    ],
)
def test_malformed_payloads_answer_422_never_500(demo_site, client, body):
    """Broken JSON, wrong types, NUL and lone surrogates: 422 with messages."""
    response = client.post("/api/v1/petitions", body, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["errors"]


def test_field_errors_come_in_the_requests_language(demo_site, client):
    """The same refusal reads in English or Chinese, field by field."""
    bad = {**PAYLOAD, "phone": "12345", "case_number": "2023-1"}
    english = post(client, "/api/v1/petitions", bad, HTTP_ACCEPT_LANGUAGE="en")
    chinese = post(client, "/api/v1/petitions", bad, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert english.status_code == chinese.status_code == 422
    assert set(english.json()["errors"]) == {"phone", "case_number"}
    assert "mobile number" in english.json()["errors"]["phone"][0]
    assert "手机" in chinese.json()["errors"]["phone"][0]


def test_anonymous_only_where_the_category_allows_it(demo_site, client):
    """Integrity reports may be anonymous and keep nothing identifying."""
    refused = submit(client, anonymous=True, name="")
    assert refused.status_code == 422 and "anonymous" in refused.json()["errors"]
    accepted = submit(client, category="integrity", anonymous=True)
    assert accepted.status_code == 201
    petition = Petition.objects.get(tracking_no=accepted.json()["tracking_no"])
    assert petition.anonymous
    assert (petition.name, petition.phone, petition.id_number) == ("", "", "")


def test_multipart_submission_with_a_photo(demo_site, client):
    """A multipart body carries attachments; a disguised one is refused by name."""
    fields = {**PAYLOAD, "consent": "on"}
    response = client.post(
        "/api/v1/petitions", {**fields, "attachments": [photo("scene.jpg")]}
    )
    assert response.status_code == 201
    petition = Petition.objects.get(tracking_no=response.json()["tracking_no"])
    assert [a.original_name for a in petition.attachments.all()] == ["scene.jpg"]
    fake = upload("evil.pdf", b"#!/bin/sh\nrm -rf /\n")
    refused = client.post(
        "/api/v1/petitions",
        {**fields, "attachments": [fake]},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert refused.status_code == 422
    assert "evil.pdf" in refused.json()["errors"]["attachments"][0]


def test_lookup_shows_replies_and_rating_once_closed(demo_site, client):
    """Replies appear in the lookup; a closed petition can be rated once."""
    body = submit(client).json()
    petition = Petition.objects.get(tracking_no=body["tracking_no"])
    Reply.objects.create(
        petition=petition, body="已答复", created_at=petition.received_at
    )
    credentials = {
        "tracking_no": body["tracking_no"],
        "access_code": body["access_code"],
    }
    early = post(
        client, "/api/v1/petitions/rating", {**credentials, "rating": "satisfied"}
    )
    assert early.status_code == 409
    actions.write_event(petition, "close", None, "handler", "replied", Status.CLOSED)
    Petition.objects.filter(pk=petition.pk).update(status=Status.CLOSED)
    view = post(client, "/api/v1/petitions/lookup", credentials).json()
    assert view["replies"][0]["body"] == "已答复" and view["can_rate"]
    rated = post(
        client, "/api/v1/petitions/rating", {**credentials, "rating": "basically"}
    )
    assert rated.status_code == 201
    again = post(
        client, "/api/v1/petitions/rating", {**credentials, "rating": "satisfied"}
    )
    assert again.status_code == 409
    assert petition.ratings.get().verdict == "basically"


def test_categories_come_in_the_asked_language(demo_site, client):
    """GET /categories lists open categories with guidance, per language."""
    english = client.get("/api/v1/categories", HTTP_ACCEPT_LANGUAGE="en").json()
    chinese = client.get("/api/v1/categories?lang=zh-hans").json()
    by_code = {c["code"]: c for c in english}
    assert by_code["integrity"]["anonymous_allowed"]
    assert by_code["asset-disposal"]["litigation_matter"]
    assert by_code["asset-disposal"]["parent"] == "enforcement"
    assert by_code["enforcement"]["name"] == "Enforcement"
    assert {c["code"]: c for c in chinese}["enforcement"]["name"] == "执行"


def test_openapi_document_lists_the_public_endpoints(client):
    """The OpenAPI document names the four public operations."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/petitions", "/api/v1/petitions/lookup"} <= set(paths)
    assert {"/api/v1/petitions/rating", "/api/v1/categories"} <= set(paths)
    body = paths["/api/v1/petitions"]["post"]["requestBody"]["content"]
    assert {"application/json", "multipart/form-data"} <= set(body)


def test_api_answers_are_never_cached(demo_site, client):
    """The answer that carries the access code is marked no-store."""
    response = submit(client)
    assert "no-store" in response["Cache-Control"]


def test_a_broken_multipart_body_answers_422(demo_site, client):
    """A multipart body without its boundary is refused as 422, not 400 or 500."""
    response = client.generic(
        "POST",
        "/api/v1/petitions",
        b'--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
        content_type="multipart/form-data",
    )
    assert response.status_code == 422


@pytest.mark.usefixtures("one_limit_window")
def test_refused_submissions_do_not_use_up_the_limit(demo_site, client):
    """Six posts with mistakes, then a correct one: it goes through."""
    for _ in range(6):
        assert submit(client, phone="123").status_code == 422
    assert submit(client).status_code == 201


@pytest.mark.usefixtures("one_limit_window")
def test_endless_refused_submissions_are_limited_too(demo_site, client, settings):
    """Refused attempts count against a wider attempt limit."""
    settings.PETITIONS_SUBMIT_ATTEMPT_LIMITS = ((3, 600),)
    codes = [submit(client, phone="123").status_code for _ in range(4)]
    assert codes == [422, 422, 422, 429]
