"""Random payloads to the submit action and the API: a refusal or a petition, never
a crash."""

import json

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from petitions import actions
from petitions.forms import PetitionForm
from petitions.models import Petition

pytestmark = pytest.mark.django_db

FIELDS = [name for name in PetitionForm.base_fields if name != "attachments"]
SCALARS = (
    st.text(max_size=60)
    | st.sampled_from(
        [
            "other",
            "integrity",
            "13812345678",
            "11010519491231002X",
            "（2023）浙1003执123号",
            "on",
            "",
        ]
    )
    | st.integers()
    | st.booleans()
    | st.none()
    | st.floats(allow_nan=True)
)
VALUES = SCALARS | st.lists(SCALARS, max_size=3) | st.dictionaries(st.text(), SCALARS)
PAYLOADS = st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=10), VALUES)
HYPOTHESIS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@HYPOTHESIS
@given(payload=PAYLOADS)
def test_submit_action_refuses_or_saves_random_payloads(demo_site, payload):
    """Whatever the fields hold, submit saves a petition or raises PetitionRefused."""
    data = {key: value for key, value in payload.items() if isinstance(value, str)}
    before = Petition.objects.count()
    try:
        submission = actions.submit(data)
    except actions.PetitionRefused as refusal:
        assert refusal.errors and all(refusal.errors.values())
        assert Petition.objects.count() == before
    else:
        assert submission.petition.pk and len(submission.access_code) >= 8


@HYPOTHESIS
@given(payload=PAYLOADS)
def test_api_answers_random_json_with_201_or_422(demo_site, client, payload):
    """Random JSON objects to POST /api/v1/petitions: 201 or 422, never 500."""
    cache.clear()
    body = json.dumps(payload, allow_nan=True)
    response = client.post("/api/v1/petitions", body, content_type="application/json")
    assert response.status_code in {201, 422}, response.content
    if response.status_code == 422:
        assert response.json()["errors"]


@HYPOTHESIS
@given(
    tracking_no=st.text(max_size=30) | st.integers(),
    access_code=st.text(max_size=30) | st.none(),
)
def test_lookup_answers_random_input_with_404_or_422(
    demo_site, client, tracking_no, access_code
):
    """Random numbers and codes never find a petition and never crash."""
    cache.clear()
    response = client.post(
        "/api/v1/petitions/lookup",
        json.dumps({"tracking_no": tracking_no, "access_code": access_code}),
        content_type="application/json",
    )
    assert response.status_code in {404, 422}
