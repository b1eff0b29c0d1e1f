"""Which units a reader may search: the one question search asks about access.

``petitions.access`` (the unit-membership issue) answers it for staff; until it does,
superusers see everything and everybody else nothing, which is the safe default.
A scope is a list of unit tree paths: a petition is in scope when one of its unit's
ancestors (or the unit itself) is listed; ``None`` means no restriction.
"""


def unit_paths(units) -> list[str]:
    """Tree paths of ``units`` (Unit rows), the values a scope filter compares."""
    return [unit.path for unit in units]


def document_unit_path(unit) -> list[str]:
    """What a petition document stores: every ancestor's path and the unit's own."""
    if unit is None:
        return []
    return [ancestor.path for ancestor in unit.get_ancestors()] + [unit.path]


def scope_for_user(user) -> list[str] | None:
    """The unit paths ``user`` may search, or None for no restriction."""
    try:
        from petitions.access import search_scope
    except ImportError:
        search_scope = None
    if search_scope is not None:
        return search_scope(user)
    if user is not None and user.is_active and user.is_superuser:
        return None
    return []
