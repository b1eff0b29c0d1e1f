"""Scope in one place: which units and petitions a staff member may see and act on.

A membership in a unit reaches that unit and every unit below it (the treebeard
path prefix), never a sibling. Superusers see everything; a user without any
membership sees nothing. Every staff view, export and API endpoint asks here.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404

from .models import Petition, Unit, UnitMembership
from .workflow import Role

#: Roles that reach down to the units below the membership's unit.
REACHING_DOWN = frozenset({Role.HEAD, Role.SUPERVISOR})


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user):
    if not _active(user):
        return UnitMembership.objects.none()
    return UnitMembership.objects.filter(user=user).select_related("unit")


def _below_any(paths, field="path") -> Q | None:
    if not paths:
        return None
    return reduce(or_, (Q(**{f"{field}__startswith": path}) for path in paths))


def search_scope(user) -> list[str] | None:
    """Tree paths of the user's membership units; None: no restriction."""
    if not _active(user):
        return []
    if user.is_superuser:
        return None
    return sorted({membership.unit.path for membership in _memberships(user)})


def units_in_scope(user):
    """The units of the user's memberships and every unit below them."""
    if _active(user) and user.is_superuser:
        return Unit.objects.all()
    condition = _below_any(search_scope(user) or [])
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.filter(condition)


def petitions_in_scope(user):
    """Petitions whose handling unit is in the user's scope, and those the user
    received as first-contact person."""
    if _active(user) and user.is_superuser:
        return Petition.objects.all()
    if not _active(user):
        return Petition.objects.none()
    # The first-contact person follows what they received to the end (首问负责),
    # wherever it was routed.
    condition = Q(first_contact=user)
    below = _below_any(search_scope(user) or [], field="unit__path")
    if below is not None:
        condition |= below
    return Petition.objects.filter(condition)


def petition_for(user, pk) -> Petition:
    """The petition ``pk`` when it is in the user's scope; Http404 otherwise."""
    try:
        return petitions_in_scope(user).select_related("unit", "category").get(pk=pk)
    except (Petition.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def roles_in(user, unit) -> set[Role]:
    """The workflow roles the user holds for ``unit``.

    A membership in the unit itself gives its role; a head or supervisor
    membership in an ancestor also counts for every unit below. Superusers act
    as head and supervisor everywhere.
    """
    if not _active(user):
        return set()
    if user.is_superuser:
        return {Role.HEAD, Role.SUPERVISOR}
    if unit is None:
        return set()
    roles = set()
    for membership in _memberships(user):
        if membership.unit_id == unit.pk:
            roles.add(Role(membership.role))
        elif membership.role in REACHING_DOWN and unit.path.startswith(
            membership.unit.path
        ):
            roles.add(Role(membership.role))
    return roles
