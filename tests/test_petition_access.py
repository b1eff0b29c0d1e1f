"""Scope: a unit and everything below it, never a sibling."""

import pytest
from django.http import Http404

from petitions import access
from petitions.workflow import Role
from tests import loop_fixtures
from tests.loop_fixtures import make_petition, member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


def test_handler_sees_own_unit_only(tree, django_user_model):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    mine = make_petition(tree["a"])
    sibling = make_petition(tree["b"])
    assert list(access.petitions_in_scope(handler)) == [mine]
    assert set(access.units_in_scope(handler)) == {tree["a"]}
    assert access.petition_for(handler, mine.pk) == mine
    with pytest.raises(Http404):
        access.petition_for(handler, sibling.pk)
    assert access.search_scope(handler) == [tree["a"].path]


def test_parent_head_sees_both_children_not_the_parent_above(tree, django_user_model):
    head = member(django_user_model, "hc", tree["city"], Role.HEAD)
    a, b = make_petition(tree["a"]), make_petition(tree["b"])
    above = make_petition(tree["prov"])
    assert set(access.petitions_in_scope(head)) == {a, b}
    assert set(access.units_in_scope(head)) == {tree["city"], tree["a"], tree["b"]}
    with pytest.raises(Http404):
        access.petition_for(head, above.pk)
    assert access.roles_in(head, tree["a"]) == {Role.HEAD}
    assert access.roles_in(head, tree["prov"]) == set()


def test_handler_role_does_not_reach_down(tree, django_user_model):
    handler = member(django_user_model, "hcity", tree["city"], Role.HANDLER)
    assert access.roles_in(handler, tree["city"]) == {Role.HANDLER}
    assert access.roles_in(handler, tree["a"]) == set()


def test_nobody_and_superuser(tree, django_user_model):
    make_petition(tree["a"])
    nobody = django_user_model.objects.create_user("nobody", "n@example.invalid", "x")
    boss = django_user_model.objects.create_superuser("boss", "b@example.invalid", "x")
    assert access.search_scope(nobody) == []
    assert not access.petitions_in_scope(nobody).exists()
    assert access.search_scope(boss) is None
    assert access.petitions_in_scope(boss).count() == 1
    with pytest.raises(Http404):
        access.petition_for(nobody, "not-a-number")


def test_first_contact_keeps_seeing_what_they_received(tree, django_user_model):
    receptionist = member(django_user_model, "rec", tree["a"], Role.RECEPTION)
    received = make_petition(tree["b"], first_contact=receptionist)
    other = make_petition(tree["b"])
    assert set(access.petitions_in_scope(receptionist)) == {received}
    assert access.petition_for(receptionist, received.pk) == received
    with pytest.raises(Http404):
        access.petition_for(receptionist, other.pk)


def test_demo_staff_are_placed_in_units(demo_site):
    import io

    from petitions import demo
    from petitions.models import Unit
    from portal.security import demo as security_demo

    security_demo.seed(io.StringIO())
    assert demo.seed_memberships(io.StringIO()) == 4
    assert demo.seed_memberships(io.StringIO()) == 0  # safe to run again
    from django.contrib.auth import get_user_model

    head = get_user_model().objects.get(username="demo-unit-head")
    assert access.roles_in(head, Unit.objects.get(code="jn-east")) == {Role.HEAD}
    assert not access.units_in_scope(head).filter(code="jn-justice").exists()


def test_superuser_acts_even_on_a_petition_without_unit(django_user_model):
    boss = django_user_model.objects.create_superuser(
        "boss2", "b2@example.invalid", "x"
    )
    assert access.roles_in(boss, None) == {Role.HEAD, Role.SUPERVISOR}
    assert access.roles_in(None, None) == set()
