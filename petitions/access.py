"""Scope in one place: which units and petitions a staff member may see and act on.

A membership in a unit reaches that unit and every unit below it (the treebeard
path prefix), never a sibling. Superusers see everything; a user without any
membership sees nothing. Every staff view, export and API endpoint asks here.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.http import Http404

from portal.memo import per_user

from .models import Petition, Unit, UnitMembership
from .workflow import Role

#: Roles that reach down to the units below the membership's unit.
REACHING_DOWN = frozenset({Role.HEAD, Role.SUPERVISOR})


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _memberships(user) -> list:
    """The user's memberships with their units, read once per request."""
    if not _active(user):
        return []
    return per_user(
        user,
        "unit memberships",
        lambda: list(UnitMembership.objects.filter(user=user).select_related("unit")),
    )


def _below_any(paths) -> Q | None:
    if not paths:
        return None
    return reduce(or_, (Q(path__startswith=path) for path in paths))


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
    below = _below_any(search_scope(user) or [])
    if below is not None:
        # The units as a list of numbers (a subquery), not a join: the queues
        # then count and page from the petitions' index without their units.
        condition |= Q(unit__in=Unit.objects.filter(below).values("pk"))
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


def own_units(user):
    """The units of the user's own memberships (not the units below them)."""
    if not _active(user):
        return Unit.objects.none()
    return Unit.objects.filter(memberships__user=user).distinct()


def heads_of(unit) -> list:
    """The active heads of ``unit`` (not of the units above it)."""
    if unit is None:
        return []
    return [
        membership.user
        for membership in UnitMembership.objects.filter(
            unit=unit, role=Role.HEAD, user__is_active=True
        ).select_related("user")
    ]


def _strictly_above(unit, other) -> bool:
    return other.path.startswith(unit.path) and other.path != unit.path


def _leading_units(user, petition_unit) -> list:
    """The units where the user is head or supervisor that hold the petition
    (its own unit or one above it): where a supervision order can come from."""
    if not _active(user):
        return []
    if user.is_superuser:
        if petition_unit is None:
            return list(Unit.objects.all())
        return [*petition_unit.get_ancestors(), petition_unit]
    units = [m.unit for m in _memberships(user) if m.role in REACHING_DOWN]
    return [
        unit
        for unit in units
        if petition_unit is None or petition_unit.path.startswith(unit.path)
    ]


def supervision_targets(user, petition_unit):
    """The units the user may order (交办/督办) to handle a petition of
    ``petition_unit``: units strictly below one of their leading units that
    holds the petition. A superior assigns down, never to itself or sideways."""
    condition = None
    for unit in _leading_units(user, petition_unit):
        below = Q(path__startswith=unit.path, depth__gt=unit.depth)
        condition = below if condition is None else condition | below
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.filter(condition).order_by("path")


def ordering_unit(user, petition_unit, target):
    """The unit an order from ``user`` to ``target`` comes from: the nearest of
    their leading units strictly above ``target``; None when they may not order."""
    if target is None:
        return None
    found = [
        unit
        for unit in _leading_units(user, petition_unit)
        if _strictly_above(unit, target)
    ]
    return max(found, key=lambda unit: unit.depth, default=None)


def own_roles_in(user, unit) -> set[Role]:
    """The roles of the user's memberships in ``unit`` itself (a superuser's: head)."""
    if not _active(user) or unit is None:
        return set()
    if user.is_superuser:
        return {Role.HEAD}
    return {Role(m.role) for m in _memberships(user) if m.unit_id == unit.pk}
