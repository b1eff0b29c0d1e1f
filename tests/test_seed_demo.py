"""`seed_demo` gives a newcomer a working portal and can run again without harm."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_tasks import task_backends
from wagtail.models import Locale, Page, ReferenceIndex, Site
from wagtail.tasks import update_reference_index_task

from home.models import HomePage, LegalGuidePage, ServiceChannelPage
from petitions.models import Category, Unit

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_builds_the_site_in_both_languages():
    """The default site's root is the Chinese home page, with an English translation."""
    seed()
    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    assert isinstance(home, HomePage)
    assert home.locale.language_code == "zh-hans"
    english = home.get_translation(
        home.locale.__class__.objects.get(language_code="en")
    )
    assert english.live and english.title == "Public Legal Services Portal"
    assert not Page.objects.filter(
        title__startswith="Welcome to your new Wagtail"
    ).exists()


def test_seed_demo_is_idempotent_and_prints_the_password_once():
    """A second run creates nothing and never prints a password again."""
    first = seed()
    counts = (Page.objects.count(), Unit.objects.count(), Category.objects.count())
    second = seed()
    assert "password" in first
    assert "password" not in second
    assert (
        Page.objects.count(),
        Unit.objects.count(),
        Category.objects.count(),
    ) == counts
    assert (
        get_user_model().objects.filter(username="admin", is_superuser=True).count()
        == 1
    )


def test_seed_demo_units_form_a_tree():
    """Units form a hierarchy: the high court sits above the district courts."""
    seed()
    high = Unit.objects.get(code="jn-high")
    east = Unit.objects.get(code="jn-east")
    assert east.is_descendant_of(high)
    assert set(
        Category.objects.get(code="enforcement")
        .get_children()
        .values_list("code", flat=True)
    ) == {"asset-disposal", "field-enforcement"}


def test_admin_sign_in_page_answers(client):
    """Anonymous visitors to /admin/ are sent to the two-step staff sign-in."""
    seed()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/sign-in/?next=%2Fadmin%2F")


def test_every_reference_index_update_the_seeding_asks_for_can_run(
    settings, django_capture_on_commit_callbacks
):
    """The worker of a first `make run` finds every row it is asked to index (the
    English copies' related channels and guides were replaced after the copy had
    asked for them), and the index knows which English guide uses which channel."""
    dummy = "django_tasks.backends.dummy.DummyBackend"
    settings.TASKS = {"default": {"BACKEND": dummy}}
    with django_capture_on_commit_callbacks(execute=True):
        seed()
    asked = [
        result.args
        for result in task_backends["default"].results
        if result.task.name == update_reference_index_task.name
    ]
    for args in asked:
        update_reference_index_task.call(*args)  # raises for a row that is gone
    english = Locale.objects.get(language_code="en")
    channel = ServiceChannelPage.objects.filter(locale=english).first()
    users = {
        reference.object_id for reference in ReferenceIndex.get_references_to(channel)
    }
    guides = LegalGuidePage.objects.filter(
        locale=english, related_channels__channel=channel
    )
    assert guides and {str(guide.pk) for guide in guides} <= users
