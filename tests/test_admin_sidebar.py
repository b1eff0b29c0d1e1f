"""The admin sidebar is built once per user and language, until roles change."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from petitions.models import UnitMembership
from petitions.workflow import Role
from portal import admin_sidebar
from portal.security.roles import AUDITOR, EDITOR
from tests import loop_fixtures
from tests.loop_fixtures import member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree

PROPS = re.compile(
    r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>'
)
QUEUE = "/admin/petitions/work/all/"


@pytest.fixture(autouse=True)
def no_kept_menus():
    admin_sidebar.forget_menus()
    yield


@pytest.fixture
def builds(monkeypatch):
    """How many times the sidebar was built (instead of served as kept)."""
    counted = []
    build = admin_sidebar.build_sidebar

    def counting(context):
        counted.append(context["request"].user.username)
        return build(context)

    monkeypatch.setattr(admin_sidebar, "build_sidebar", counting)
    return counted


def sidebar(client, **headers) -> str:
    """The sidebar's JSON on the admin home page, as the browser receives it."""
    page = client.get(reverse("wagtailadmin_home"), **headers)
    assert page.status_code == 200
    (props,) = PROPS.findall(page.content.decode())
    return json.dumps(json.loads(props), ensure_ascii=False)


def test_a_staff_member_gets_the_same_sidebar_without_it_being_built_again(
    tree, django_user_model, staff_client_for, builds
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    first = sidebar(client)
    assert QUEUE in first and "ha" in first
    assert sidebar(client) == first
    assert client.get(QUEUE).status_code == 200
    assert builds == ["ha"]


def test_the_sidebar_shows_no_picture_from_a_third_party(
    tree, django_user_model, staff_client_for
):
    """Gravatar would learn a hash of the staff member's address."""
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    props = json.loads(sidebar(staff_client_for(handler)))
    (menu,) = [m for m in props["modules"] if m["_type"].endswith("MainMenuModule")]
    avatar = menu["_args"][2]["avatarUrl"]
    assert avatar.startswith("/static/") and "gravatar" not in sidebar(
        staff_client_for(handler)
    )


def test_each_user_and_language_has_its_own_sidebar(
    tree, django_user_model, staff_client_for, builds
):
    from wagtail.users.models import UserProfile

    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    editor = django_user_model.objects.create_user("editor-li", password="x")
    editor.groups.add(Group.objects.get(name=EDITOR))
    for_handler = staff_client_for(handler)
    chinese = sidebar(for_handler)
    # Behind the signals' back: only the language tells the two menus apart.
    UserProfile.get_for_user(handler)
    UserProfile.objects.filter(user=handler).update(preferred_language="en")
    english = sidebar(for_handler)
    assert "信访诉求" in chinese and "Petitions" in english
    assert "信访诉求" not in english
    other = sidebar(staff_client_for(editor))
    assert QUEUE not in other and "editor-li" in other and '"ha"' not in other
    assert sorted(builds) == ["editor-li", "ha", "ha"]


def test_a_new_role_or_unit_shows_in_the_sidebar_of_the_next_page(
    tree, django_user_model, staff_client_for
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    audit = reverse("security_audit_log")
    assert audit not in sidebar(client)
    handler.groups.add(Group.objects.get(name=AUDITOR))
    assert audit in sidebar(client)
    handler.groups.remove(Group.objects.get(name=AUDITOR))
    assert audit not in sidebar(client)


def test_a_lost_membership_takes_the_workspace_out_of_the_sidebar(
    tree, django_user_model, staff_client_for
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    assert QUEUE in sidebar(client)
    UnitMembership.objects.filter(user=handler).delete()
    assert QUEUE not in sidebar(client)
    UnitMembership.objects.create(user=handler, unit=tree["b"], role=Role.HANDLER)
    assert QUEUE in sidebar(client)


def test_a_new_name_shows_in_the_sidebar_of_the_next_page(
    tree, django_user_model, staff_client_for
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    assert "王法官" not in sidebar(client)
    handler.first_name = "王法官"
    handler.save()
    assert "王法官" in sidebar(client)


def test_a_menu_built_before_a_role_change_commits_is_not_kept(
    django_capture_on_commit_callbacks,
):
    """Between a change and its commit, another request may build the menu from
    the roles before; the commit replaces the generation once more."""
    with django_capture_on_commit_callbacks(execute=True):
        admin_sidebar.forget_menus()
        during = admin_sidebar.MENUS.current()
    assert admin_sidebar.MENUS.current() not in (None, during)


def test_without_the_shared_cache_the_sidebar_is_built_for_every_page(
    tree, django_user_model, staff_client_for, builds, settings
):
    """Redis unreachable: nothing is kept (a kept menu could not be forgotten in
    the other web processes), and the pages still work."""
    settings.CACHES = {
        **settings.CACHES,
        "unreachable": {
            "BACKEND": "portal.cache.TolerantRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        },
    }
    settings.PAGE_CACHE_ALIAS = "unreachable"
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    assert sidebar(client) == sidebar(client)
    assert builds == ["ha", "ha"]
