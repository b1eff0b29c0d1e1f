"""Staff roles as Wagtail groups, and the separation of the three admin powers.

Group names are stored in English (a stable key); people see them translated.
System administration (users, groups, sites) is held by no seeded role: only a
superuser has it. Security administration and audit each belong to one role.
"""

from django.utils.translation import gettext_lazy as _

from portal.memo import per_user

EDITOR = "Editor"
MODERATOR = "Moderator"
RECEPTION = "Reception"
HANDLER = "Handler"
UNIT_HEAD = "Unit head"
SUPERVISOR = "Supervisor"
SECURITY_ADMINISTRATOR = "Security administrator"
AUDITOR = "Auditor"

ROLE_LABELS = {
    EDITOR: _("Editor"),
    MODERATOR: _("Moderator"),
    RECEPTION: _("Reception"),
    HANDLER: _("Handler"),
    UNIT_HEAD: _("Unit head"),
    SUPERVISOR: _("Supervisor"),
    SECURITY_ADMINISTRATOR: _("Security administrator"),
    AUDITOR: _("Auditor"),
}

ACCESS_ADMIN = "wagtailadmin.access_admin"
CONTENT = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

#: Model permissions per role ("app_label.codename").
ROLE_PERMISSIONS = {
    EDITOR: [ACCESS_ADMIN],
    MODERATOR: [ACCESS_ADMIN],
    RECEPTION: [ACCESS_ADMIN],
    HANDLER: [ACCESS_ADMIN],
    UNIT_HEAD: [ACCESS_ADMIN],
    SUPERVISOR: [ACCESS_ADMIN],
    SECURITY_ADMINISTRATOR: [
        ACCESS_ADMIN,
        "security.manage_second_factors",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    AUDITOR: [ACCESS_ADMIN, "security.view_auditentry"],
}
#: Page permissions on the whole tree: none. Editors and moderators get theirs per
#: content section (home/editorial.py), so nobody edits the home page by role
#: alone. Image/document permissions go on the root collection (Wagtail scopes
#: those by collection).
ROLE_PAGE_PERMISSIONS: dict[str, list[str]] = {}
ROLE_COLLECTION_PERMISSIONS = {EDITOR: CONTENT, MODERATOR: CONTENT}

#: The three administrative powers: holding any permission of a power holds it.
POWERS = {
    "system administration": {
        "auth.add_user",
        "auth.change_user",
        "auth.delete_user",
        "auth.add_group",
        "auth.change_group",
        "auth.delete_group",
        "wagtailcore.add_site",
        "wagtailcore.change_site",
        "wagtailcore.delete_site",
        # Units and who works in them decide which petitions a person reads.
        "petitions.add_unit",
        "petitions.change_unit",
        "petitions.delete_unit",
        "petitions.add_unitmembership",
        "petitions.change_unitmembership",
        "petitions.delete_unitmembership",
    },
    "security administration": {
        "security.manage_second_factors",
        "axes.delete_accessattempt",
    },
    "audit": {"security.view_auditentry"},
}


def group_names(user) -> frozenset[str]:
    """The names of the user's groups (roles), read once per request."""
    if not (user.is_authenticated and user.is_active):
        return frozenset()
    return per_user(
        user,
        "group names",
        lambda: frozenset(user.groups.values_list("name", flat=True)),
    )


def holds_role(user, role: str, permission: str) -> bool:
    """Member of the role *and* holding its permission; a superuser's blanket
    permissions alone are not enough, which keeps the three powers apart.
    """
    return role in group_names(user) and user.has_perm(permission)


def powers_of(permission_names) -> set[str]:
    names = set(permission_names)
    return {power for power, members in POWERS.items() if names & members}


def _permission(apps, dotted: str):
    Permission = apps.get_model("auth", "Permission")
    app_label, codename = dotted.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def sync_roles(
    apps,
    role_permissions=None,
    page_permissions=None,
    collection_permissions=None,
) -> None:
    """Create the groups and grant their permissions; safe to run again.

    Takes an `apps` registry so a data migration can call it with historical
    models and its own frozen copy of the tables (a later change to the tables
    here must not change what an old migration does); `seed_demo` passes
    django.apps.apps and the current tables. When the tables change, add a
    migration that calls this with the new ones.
    """
    role_permissions = role_permissions or ROLE_PERMISSIONS
    page_permissions = (
        ROLE_PAGE_PERMISSIONS if page_permissions is None else page_permissions
    )
    collection_permissions = collection_permissions or ROLE_COLLECTION_PERMISSIONS
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model(
        "wagtailcore", "GroupCollectionPermission"
    )
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for name, permissions in role_permissions.items():
        group, _created = Group.objects.get_or_create(name=name)
        group.permissions.add(*(_permission(apps, p) for p in permissions))
        if root_page is not None:
            for codename in page_permissions.get(name, []):
                GroupPagePermission.objects.get_or_create(
                    group=group,
                    page=root_page,
                    permission=_permission(apps, f"wagtailcore.{codename}"),
                )
        if root_collection is not None:
            for dotted in collection_permissions.get(name, []):
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, dotted),
                )
