"""Follow-up sampling (回访) and repeat-petition links."""

import datetime
import random

import pytest
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from petitions import actions, followup
from petitions.models import FollowUp
from petitions.workflow import Role, Status
from tests import loop_fixtures
from tests.loop_fixtures import make_petition, member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


@pytest.fixture
def people(tree, django_user_model):
    return {
        "handler_a": member(django_user_model, "ha", tree["a"], Role.HANDLER),
        "handler_b": member(django_user_model, "hb", tree["b"], Role.HANDLER),
        "head_city": member(django_user_model, "hc", tree["city"], Role.HEAD),
    }


def closed(unit, actor):
    petition = make_petition(unit)
    actions.answer(petition, "已当场解答", actor=actor)
    return actions.close(petition, "", actor=actor)


def test_weekly_sample_takes_a_share_and_at_least_one_per_unit(tree, people, settings):
    settings.PETITIONS_FOLLOW_UP_SHARE = 0.25
    with freeze_time("2026-11-20 10:00:00+08:00"):
        in_a = [closed(tree["a"], people["handler_a"]) for _ in range(8)]
        in_b = [closed(tree["b"], people["handler_b"])]
        make_petition(tree["a"])  # open: never sampled
    with freeze_time("2026-11-23 10:00:00+08:00"):
        assert followup.sample(rng=random.Random(1)) == 3
        assert followup.sample(rng=random.Random(2)) == 0  # once a week
    sampled = set(FollowUp.objects.values_list("petition", flat=True))
    assert in_b[0].pk in sampled
    assert len(sampled & {p.pk for p in in_a}) == 2  # ceil(8 × 25 %)
    with freeze_time("2026-11-30 10:00:00+08:00"):
        assert followup.sample(rng=random.Random(3)) == 0  # closed over a week ago


def test_not_satisfied_follow_up_is_recorded_then_reopened(
    tree, people, staff_client_for
):
    petition = closed(tree["a"], people["handler_a"])
    FollowUp.objects.create(petition=petition, sampled_at=timezone.now())
    client = staff_client_for(people["handler_a"])
    queue = client.get(reverse("petitions_admin_queue", args=["follow-up"]))
    assert petition.tracking_no in queue.content.decode()
    url = reverse("petitions_admin_act", args=[petition.pk, "follow-up"])
    client.post(url, {"verdict": "bogus", "text": "x"})
    assert FollowUp.objects.get().done_at is None  # bad input changes nothing
    client.post(url, {"verdict": "not_satisfied", "text": "仍未解决"})
    follow_up = FollowUp.objects.get()
    assert follow_up.verdict == "not_satisfied" and follow_up.done_at
    assert petition.events.get(action="follow_up").public is False
    queue = client.get(reverse("petitions_admin_queue", args=["follow-up"]))
    assert petition.tracking_no not in queue.content.decode()
    head = staff_client_for(people["head_city"])
    page = head.get(reverse("petitions_admin_detail", args=[petition.pk]))
    assert 'data-action="reopen"' in page.content.decode()
    actions.reopen(petition, "回访不满意", actor=people["head_city"])
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED and petition.review_level == 1
    assert petition.unit == tree["city"]  # reviewed by the next-higher unit


def test_repeat_suggested_within_180_days_and_linked(tree, people, staff_client_for):
    now = timezone.now()
    earlier = make_petition(
        tree["a"], phone_hash="h1", received_at=now - datetime.timedelta(days=100)
    )
    too_old = make_petition(
        tree["a"], phone_hash="h1", received_at=now - datetime.timedelta(days=200)
    )
    sibling = make_petition(tree["b"], phone_hash="h1", received_at=now)
    current = make_petition(tree["a"], phone_hash="h1", received_at=now)
    suggested = set(actions.repeat_candidates(current, people["handler_a"]))
    assert suggested == {earlier}  # not too old, not out of scope
    assert too_old not in suggested and sibling not in suggested
    client = staff_client_for(people["handler_a"])
    client.post(
        reverse("petitions_admin_act", args=[current.pk, "link"]),
        {"other": earlier.pk},
    )
    assert set(current.linked.all()) == {earlier}
    assert set(earlier.linked.all()) == {current}
    assert earlier.events.get(action="link").note == current.tracking_no
    client.post(
        reverse("petitions_admin_act", args=[current.pk, "link"]),
        {"other": sibling.pk},
    )
    assert not current.linked.filter(pk=sibling.pk).exists()
