"""Every admin page carries Wagtail's keyboard-shortcuts dialog; its HTML is
rendered once per content and language, and what it shows still follows the
user's setting, the platform and the language."""

import pytest
from django.test.signals import template_rendered
from django.urls import reverse
from wagtail.users.models import UserProfile

from petitions.workflow import Role
from portal import admin_shortcuts
from tests import loop_fixtures
from tests.loop_fixtures import member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree

LINUX = "Mozilla/5.0 (X11; Linux x86_64)"
MAC = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)"


@pytest.fixture(autouse=True)
def nothing_kept():
    admin_shortcuts._kept.clear()
    yield
    admin_shortcuts._kept.clear()


@pytest.fixture
def renders():
    """How many times the dialog's template was rendered."""
    counted = []

    def count(sender, template, **kwargs):
        if template.name == admin_shortcuts.TEMPLATE:
            counted.append(template.name)

    template_rendered.connect(count)
    yield counted
    template_rendered.disconnect(count)


def dialog(client, agent=LINUX) -> str:
    page = client.get(reverse("wagtailadmin_home"), HTTP_USER_AGENT=agent)
    assert page.status_code == 200
    html = page.content.decode()
    start = html.index('id="keyboard-shortcuts-dialog"')
    return html[start : html.index("</table>", start)]


def test_the_dialog_is_rendered_once_and_served_the_same(
    tree, django_user_model, staff_client_for, renders
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    other = member(django_user_model, "hb", tree["b"], Role.HANDLER)
    first = dialog(staff_client_for(handler))
    assert "Ctrl + s" in first and "<kbd>" in first
    assert len(renders) == 1
    assert dialog(staff_client_for(handler)) == first
    assert dialog(staff_client_for(other)) == first
    assert len(renders) == 1


def test_the_dialog_follows_platform_language_and_the_users_setting(
    tree, django_user_model, staff_client_for
):
    handler = member(django_user_model, "ha", tree["a"], Role.HANDLER)
    client = staff_client_for(handler)
    linux, mac = dialog(client, LINUX), dialog(client, MAC)
    assert "Ctrl + s" in linux and "Ctrl + s" not in mac
    assert "⌘ + s" in mac or "Cmd + s" in mac

    profile = UserProfile.get_for_user(handler)
    profile.preferred_language = "en"
    profile.save()
    english = dialog(client)
    profile.preferred_language = "zh-hans"
    profile.save()
    chinese = dialog(client)
    assert "Keyboard shortcuts" in english and "Keyboard shortcuts" not in chinese
    assert english != chinese

    on = client.get(reverse("wagtailadmin_home")).content.decode()
    profile.keyboard_shortcuts = False
    profile.save()
    off = client.get(reverse("wagtailadmin_home")).content.decode()
    enabled, disabled = (
        "shortcuts are currently enabled",
        "shortcuts are currently disabled",
    )
    assert enabled in on and disabled not in on
    assert disabled in off and enabled not in off
