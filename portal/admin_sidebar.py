"""The admin sidebar, built once per user and language until roles change.

Wagtail builds the sidebar's menu on every admin page: each item asks whether the
user may see it (groups, permissions, page, collection and site permissions, unit
memberships) and the whole menu is packed as JSON, 6–12 ms of a staff page's
30–60 ms of CPU. The menu changes only when who may see what changes, so each web
process keeps the JSON under (user, language, generation). The generation is a
token in the cache every web process shares (``home.cache.page_cache``); it is
replaced whenever a user, a group, a permission, a unit membership, a page,
collection or site permission, a user's profile or a page's place changes: at
once, and again when the change commits, so that a menu built between the two
from the roles before is not kept. A kept menu lasts at most ``MENU_SECONDS``
(a change made around the signals, by ``update()`` or SQL, shows by then), and
nothing is kept while the shared cache is unreachable. The menu only lists
links: every page still checks its user itself.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import (
    GroupCollectionPermission,
    GroupPagePermission,
    GroupSitePermission,
)
from wagtail.signals import post_page_move
from wagtail.users.models import UserProfile

from home.cache import page_cache
from portal.cache import Generation, forget_on_change
from portal.memo import Kept

MENUS = Generation("admin-menu-generation", page_cache)
#: At most this long before a kept menu is built again, whatever happened.
MENU_SECONDS = 300
#: Menus a web process keeps (each 5–20 kB): the most recently used staff.
MAX_MENUS = 500

_kept = Kept(MAX_MENUS, MENU_SECONDS)
build_sidebar = wagtailadmin_tags.sidebar_props


def sidebar_props(context) -> str:
    """Wagtail's ``{% sidebar_props %}``, kept (see the module's docstring)."""
    user = context["request"].user
    generation = MENUS.current() if user.is_authenticated else None
    if generation is None:
        return build_sidebar(context)
    key = (user.pk, get_language(), generation)
    return _kept.get(key, lambda: build_sidebar(context))


def forget_menus(**kwargs) -> None:
    """Every kept menu is stale (a signal receiver, hence ``**kwargs``)."""
    MENUS.replace()
    transaction.on_commit(MENUS.replace)
    _kept.clear()


def watch(*models) -> None:
    """Forget the kept menus whenever a row of ``models`` is saved or deleted."""
    forget_on_change(forget_menus, models, "admin_sidebar")


def install() -> None:
    """Serve ``{% sidebar_props %}`` from here and watch what the menu depends on
    (the petitions app adds its unit memberships)."""
    wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")(
        sidebar_props
    )
    user_model = get_user_model()
    watch(
        user_model,
        Group,
        Permission,
        GroupPagePermission,
        GroupCollectionPermission,
        GroupSitePermission,
        UserProfile,
    )
    for relation in (
        user_model.groups.through,
        user_model.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            forget_menus,
            sender=relation,
            dispatch_uid=f"admin_sidebar.m2m.{relation._meta.label}",
        )
    post_page_move.connect(forget_menus, dispatch_uid="admin_sidebar.page_moved")
