"""Administrators keep the unit tree and who works where in the admin; every
membership change is audited; handlers cannot reach these screens."""

import pytest

from petitions.models import Unit, UnitMembership
from petitions.workflow import Role
from portal.security.models import AuditEntry
from tests import loop_fixtures
from tests.loop_fixtures import member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


def test_an_administrator_adds_a_unit_under_another_and_a_membership(
    tree, otp_client, django_user_model
):
    """The new unit lands under its parent; the membership is an audited role change."""
    index = otp_client.get("/admin/petition_units/")
    assert index.status_code == 200 and "loop-city" in index.content.decode()
    response = otp_client.post(
        "/admin/petition_units/new/",
        {
            "name": "丙",
            "name_en": "C",
            "code": "loop-c",
            "kind": "basic",
            "phone": "0570-1234567",
            "address": "",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": tree["city"].pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    unit = Unit.objects.get(code="loop-c")
    assert unit.get_parent() == tree["city"] and unit.kind == "basic"
    person = django_user_model.objects.create_user("newcomer", "n@example.invalid")
    response = otp_client.post(
        "/admin/petition_unit_memberships/new/",
        {"user": person.pk, "unit": unit.pk, "role": Role.HANDLER},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    membership = UnitMembership.objects.get(user=person)
    assert (membership.unit, membership.role) == (unit, "handler")
    entry = AuditEntry.objects.get(action="membership.added")
    assert entry.actor == otp_client.user
    assert entry.detail["member"] == "newcomer" and entry.detail["unit"] == "loop-c"
    response = otp_client.post(
        f"/admin/petition_unit_memberships/edit/{membership.pk}/",
        {"user": person.pk, "unit": unit.pk, "role": Role.HEAD},
    )
    assert response.status_code == 302
    changed = AuditEntry.objects.get(action="membership.changed")
    assert changed.detail["previous"]["role"] == "handler"
    assert changed.detail["role"] == "head"
    otp_client.post(f"/admin/petition_unit_memberships/delete/{membership.pk}/")
    assert AuditEntry.objects.filter(action="membership.removed").exists()
    assert not UnitMembership.objects.filter(user=person).exists()


def test_a_handler_cannot_reach_units_or_memberships(
    tree, staff_client_for, django_user_model
):
    """Without the administrator's permissions the screens stay shut."""
    handler = member(django_user_model, "han", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    for url in (
        "/admin/petition_units/",
        "/admin/petition_units/new/",
        f"/admin/petition_units/edit/{tree['a'].pk}/",
        "/admin/petition_unit_memberships/",
        "/admin/petition_unit_memberships/new/",
        "/admin/petition_routing_rules/",
    ):
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response["Location"] == "/admin/", url
    refused = client.post(
        "/admin/petition_unit_memberships/new/",
        {"user": handler.pk, "unit": tree["prov"].pk, "role": Role.HEAD},
    )
    assert refused.status_code in (302, 403)
    assert not UnitMembership.objects.filter(unit=tree["prov"]).exists()


def test_a_unit_still_in_use_is_not_deleted(tree, otp_client):
    """Deleting a unit whose subtree still holds a petition is refused with a
    message (no server error) and the whole subtree stays; an empty unit goes."""
    from tests.loop_fixtures import make_petition

    make_petition(tree["a"])
    response = otp_client.post(
        f"/admin/petition_units/delete/{tree['city'].pk}/", follow=True
    )
    assert response.status_code == 200
    assert "仍在使用中" in response.content.decode()
    assert Unit.objects.filter(code__in=["loop-city", "loop-a", "loop-b"]).count() == 3
    response = otp_client.post(f"/admin/petition_units/delete/{tree['b'].pk}/")
    assert response.status_code == 302
    assert not Unit.objects.filter(code="loop-b").exists()
