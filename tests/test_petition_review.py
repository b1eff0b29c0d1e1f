"""Review (复查) and re-review (复核): a dissatisfied petitioner asks, the
next-higher unit answers on its own clock, at most twice."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from freezegun import freeze_time

from petitions import actions, tracking
from petitions.identifiers import (
    format_tracking_no,
    new_access_code,
    new_access_code_hash,
)
from petitions.models import DeadlineRule, Event
from petitions.workflow import Role, Status
from tests import loop_fixtures
from tests.loop_fixtures import make_petition

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(tree, django_user_model):
    return loop_fixtures.people(tree, django_user_model, *loop_fixtures.PEOPLE)


def answered(petition, handler, head):
    """Assign (if needed), handle, reply and close in the petition's unit."""
    petition.refresh_from_db()
    if petition.status == Status.RECEIVED:
        actions.accept(petition, actor=handler)
    actions.assign(petition, handler, actor=head)
    actions.start(petition, actor=handler)
    actions.reply(petition, "答复意见", actor=handler)
    actions.close(petition, "explained", actor=handler)
    petition.refresh_from_db()
    return petition


def with_code(petition):
    """Give the petition a real number and code; return both."""
    code = new_access_code()
    petition.tracking_no = format_tracking_no(timezone.localdate(), 900 + petition.pk)
    petition.access_code_hash = new_access_code_hash(code)
    petition.save()
    return petition.tracking_no, code


def test_a_review_goes_to_the_next_higher_unit_on_a_review_clock(
    tree, staff, django_capture_on_commit_callbacks
):
    """The petitioner's request moves it up to be assigned there; all are told."""
    petition = make_petition(tree["a"], first_contact=staff["reception"])
    with freeze_time("2026-11-02 10:00:00+08:00"):
        answered(petition, staff["handler"], staff["head"])
    mail.outbox.clear()
    with (
        freeze_time("2026-11-10 10:00:00+08:00"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        actions.ask_review(petition, "答复没有回应我的第二项请求")
    petition.refresh_from_db()
    assert (petition.unit, petition.status, petition.handler) == (
        tree["city"],
        Status.ACCEPTED,
        None,
    )
    assert petition.review_level == 1
    assert petition.due_at == datetime.date(2026, 12, 10)  # 30 days, a Thursday
    assert petition.expected_by == petition.due_at
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == [
        "chead@example.invalid",
        "han@example.invalid",
        "rec@example.invalid",
    ]
    event = petition.events.get(action="reopen")
    assert event.public and event.actor_role == Role.PETITIONER
    view = tracking.public_view(petition)
    assert "第二项请求" in view["timeline"][-1]["note"]
    assert "市" in view["status_text"]  # the reviewing unit, in words


def test_re_review_goes_one_level_higher_and_never_a_third_time(tree, staff):
    """复查 at the parent, 复核 at the grandparent on its own rule, then no more."""
    petition = make_petition(tree["a"])
    DeadlineRule.objects.create(
        category=petition.category, kind=DeadlineRule.Kind.RE_REVIEW, days=20
    )
    answered(petition, staff["handler"], staff["head"])
    actions.ask_review(petition, "不满意")
    answered(petition, staff["city_handler"], staff["city_head"])
    with freeze_time("2026-11-10 10:00:00+08:00"):
        actions.ask_review(petition, "仍不满意")
    petition.refresh_from_db()
    assert (petition.unit, petition.review_level) == (tree["prov"], 2)
    assert petition.due_at == datetime.date(2026, 11, 30)
    answered(petition, staff["prov_handler"], staff["prov_head"])
    assert not actions.can_ask_review(petition)
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.ask_review(petition, "第三次")
    assert refused.value.code == "reviewed"
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED and petition.unit == tree["prov"]


def test_at_the_top_of_the_tree_the_review_stays(tree, staff):
    """A petition of the top unit is reviewed by that unit itself."""
    petition = make_petition(tree["prov"])
    answered(petition, staff["prov_handler"], staff["prov_head"])
    actions.ask_review(petition, "不满意")
    petition.refresh_from_db()
    assert (petition.unit, petition.status) == (tree["prov"], Status.ACCEPTED)


def test_declined_then_reviewed_can_be_assigned(tree, staff):
    """A refusal can be reviewed too, and the reviewing unit can assign it."""
    petition = make_petition(tree["a"])
    actions.decline(petition, "不属受理范围", actor=staff["reception"])
    actions.close(petition, "", actor=staff["reception"])
    actions.ask_review(petition, "属于受理范围")
    actions.assign(petition, staff["city_handler"], actor=staff["city_head"])
    petition.refresh_from_db()
    assert (petition.status, petition.handler) == (
        Status.ASSIGNED,
        staff["city_handler"],
    )


def test_staff_record_a_review_by_the_same_path(tree, staff):
    """The head records a review asked by phone: it goes up like the petitioner's."""
    petition = make_petition(tree["a"])
    answered(petition, staff["handler"], staff["head"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.reopen(petition, "x", actor=staff["handler"])
    assert refused.value.code == "wrong_role"
    actions.reopen(petition, "电话申请复查", actor=staff["head"])
    petition.refresh_from_db()
    assert (petition.unit, petition.review_level) == (tree["city"], 1)
    assert petition.events.get(action="reopen").actor == staff["head"]


def test_a_review_cannot_be_asked_while_handling(tree, staff):
    """Before an answer there is nothing to review; nothing changes."""
    petition = make_petition(tree["a"])
    actions.accept(petition, actor=staff["handler"])
    with pytest.raises(actions.PetitionRefused) as refused:
        actions.ask_review(petition, "太慢")
    assert refused.value.code == "wrong_state"
    petition.refresh_from_db()
    assert petition.unit == tree["a"] and petition.review_level == 0


def test_the_tracking_page_offers_the_review_and_sends_it(tree, staff, client):
    """After the answer the page has the form; a reason is needed; then it is sent."""
    petition = make_petition(tree["a"])
    answered(petition, staff["handler"], staff["head"])
    number, code = with_code(petition)
    page = client.post(
        "/en/petitions/track/", {"tracking_no": number, "access_code": code}
    )
    assert 'action="/en/petitions/review/"' in page.content.decode()
    empty = client.post(
        "/en/petitions/review/",
        {"tracking_no": number, "access_code": code, "reason": "  "},
    )
    assert "Say why you are not satisfied" in empty.content.decode()
    petition.refresh_from_db()
    assert petition.review_level == 0
    sent = client.post(
        "/en/petitions/review/",
        {"tracking_no": number, "access_code": code, "reason": "第二项没有答复"},
    )
    html = sent.content.decode()
    assert "sent to the next-higher unit" in html
    assert 'action="/en/petitions/review/"' not in html  # asked: no second form
    petition.refresh_from_db()
    assert (petition.unit, petition.review_level) == (tree["city"], 1)
    wrong = client.post(
        "/en/petitions/review/",
        {"tracking_no": number, "access_code": "WRONGCODE2", "reason": "x"},
    )
    assert wrong.status_code == 404


def test_not_satisfied_rating_offers_the_review(tree, staff, client):
    """ "Not satisfied" answers with the offer and records it in the timeline."""
    petition = make_petition(tree["a"])
    answered(petition, staff["handler"], staff["head"])
    number, code = with_code(petition)
    page = client.post(
        "/en/petitions/rate/",
        {"tracking_no": number, "access_code": code, "rating": "not_satisfied"},
    )
    html = page.content.decode()
    assert "You may ask the next-higher unit for a review" in html
    assert '<details class="review" id="review" open>' in html
    rated = Event.objects.get(petition=petition, action="rate")
    assert rated.public and "review" in rated.note


def post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_the_api_asks_for_a_review(tree, staff, client):
    """201 and the new level; 409 when none can be asked; 422 without a reason;
    a wrong code is the lookup's 404."""
    petition = make_petition(tree["a"])
    answered(petition, staff["handler"], staff["head"])
    number, code = with_code(petition)
    keys = {"tracking_no": number, "access_code": code}
    found = post(client, "/api/v1/petitions/lookup", keys).json()
    assert found["can_ask_review"] and found["review_until"]
    assert post(client, "/api/v1/petitions/review", keys).status_code == 422
    created = post(client, "/api/v1/petitions/review", {**keys, "reason": "不满意"})
    assert created.status_code == 201
    assert created.json()["review_level"] == 1
    assert created.json()["status"] == "accepted"
    again = post(client, "/api/v1/petitions/review", {**keys, "reason": "再次"})
    assert again.status_code == 409
    wrong = {"tracking_no": number, "access_code": "WRONGCODE2"}
    refused = post(client, "/api/v1/petitions/review", {**wrong, "reason": "x"})
    looked = post(client, "/api/v1/petitions/lookup", wrong)
    assert refused.status_code == looked.status_code == 404
    assert refused.content == looked.content
