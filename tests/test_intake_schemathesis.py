"""A schema-driven fuzzer (schemathesis) over the public API finds no server error."""

import itertools
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_schema(demo_site, settings):
    """The OpenAPI document, loaded from the Django WSGI app in this process.

    The requests share the test's database transaction, so Django must not close
    the connection between them (its test client does the same).
    """
    from portal.wsgi import application

    settings.PETITIONS_SUBMIT_LIMITS = ((10_000, 60),)
    settings.PETITIONS_SUBMIT_ATTEMPT_LIMITS = ((10_000, 60),)
    settings.PETITIONS_LOOKUP_LIMITS = ((10_000, 60),)
    cache.clear()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# 3 POST operations x 2 generation modes x 170 examples, plus GET /categories:
# over 1,000 generated requests, about a minute on a laptop core.
MIN_CASES = 1_000
SETTINGS = hypothesis_settings(
    max_examples=170,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)


def test_public_api_answers_generated_requests_without_a_server_error(api_schema):
    """Generated bodies get documented answers (201/200/404/409/422), never 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert {op.label for op in operations} >= {
        "POST /api/v1/petitions",
        "POST /api/v1/petitions/lookup",
        "POST /api/v1/petitions/rating",
        "GET /api/v1/categories",
    }
    statuses = Counter()
    for operation, mode in itertools.product(operations, GenerationMode):

        @SETTINGS
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            response = case.call_and_validate(checks=CHECKS)
            statuses[response.status_code] += 1

        call()
    assert sum(statuses.values()) >= MIN_CASES, statuses
    assert not [status for status in statuses if status >= 500], statuses
    # The fuzzer reached the validation layer and the lookups, not only the parser.
    assert statuses[200] and statuses[422] and statuses[404]


SUBMISSION = {
    "category": "legal-consultation",
    "name": "王小明",
    "phone": "13812345678",
    "subject": "工资拖欠",
    "description": "公司拖欠我三个月工资，怎么办？",
    "consent": True,
}


def test_linked_requests_follow_a_submission_without_a_server_error(api_schema):
    """Stateful: submit, then follow, rate and ask a review of the request just made,
    through the links in the document; no 5xx, every answer in its schema."""
    answers = Counter()

    class Workflow(api_schema.as_state_machine()):
        def before_call(self, case):
            # A scenario starts from a request that passes validation, as a real
            # client's would (generated bodies are the other test's business);
            # the generated subject rides along, so some are still refused.
            if case.operation.label == "POST /api/v1/petitions":
                generated = case.body if isinstance(case.body, dict) else {}
                subject = generated.get("subject")
                case.media_type = "application/json"
                case.body = {**SUBMISSION, "subject": f"工资拖欠 {subject}"[:60]}

        def after_call(self, response, case):
            super().after_call(response, case)
            answers[case.operation.label, response.status_code] += 1

        def validate_response(self, response, case, *args, **kwargs):
            case.validate_response(response, checks=CHECKS)

    Workflow.run(
        settings=hypothesis_settings(SETTINGS, max_examples=40, stateful_step_count=4)
    )
    assert not [answer for answer in answers if answer[1] >= 500], answers
    # The links carried a real number and code: the request just made was found.
    assert answers["POST /api/v1/petitions/lookup", 200], answers
    # Rating or asking a review of a request still open: refused (409), not 404.
    assert (
        answers["POST /api/v1/petitions/rating", 409]
        + answers["POST /api/v1/petitions/review", 409]
    ), answers
