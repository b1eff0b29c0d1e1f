"""Editorial process: editors submit to "Legal review", moderators approve, and
editors can touch only the content sections."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from wagtail.models import GroupApprovalTask, Page, Workflow

from home.editorial import ensure_editorial_setup
from home.models import HomePage, LegalGuidePage, ServiceChannelPage

pytestmark = pytest.mark.django_db


def staff(name: str, group: str):
    user = get_user_model().objects.create_user(
        name, f"{name}@example.invalid", "correct horse battery staple"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


def guide() -> LegalGuidePage:
    return LegalGuidePage.objects.get(
        slug="unpaid-wages", locale__language_code="zh-hans"
    )


def test_legal_review_applies_to_every_section_in_both_languages(demo_site):
    """Guides, cases, Q&A, news and channels in both languages go through review."""
    workflow = Workflow.objects.get(name="Legal review")
    assert workflow.active
    task = workflow.tasks.get().specific
    assert isinstance(task, GroupApprovalTask)
    assert list(task.groups.values_list("name", flat=True)) == ["Moderator"]
    for page in Page.objects.filter(depth__gte=3).live():
        assert page.get_workflow() == workflow, page.url
    # The home pages keep Wagtail's default workflow from the tree root.
    assert HomePage.objects.first().get_workflow() != workflow


def test_groups_are_found_by_name_so_either_migration_order_works(demo_site):
    """If another migration made the groups first, the setup reuses them."""
    before = Group.objects.count()
    sections = list(Page.objects.filter(depth=3))
    ensure_editorial_setup(sections)
    assert Group.objects.count() == before
    assert Workflow.objects.filter(name="Legal review").count() == 1


def test_editors_edit_sections_but_cannot_publish_or_touch_the_home_page(demo_site):
    """An editor may draft guides and channels, not publish them, not edit home."""
    editor = staff("editor", "Editor")
    channel = ServiceChannelPage.objects.filter(locale__language_code="en").first()
    for page in (guide(), channel):
        permissions = page.permissions_for_user(editor)
        assert permissions.can_edit()
        assert not permissions.can_publish()
    home = HomePage.objects.get(locale__language_code="zh-hans")
    assert not home.permissions_for_user(editor).can_edit()
    assert not home.permissions_for_user(editor).can_add_subpage()


def test_moderators_may_publish_what_they_review(demo_site):
    """A moderator can publish and lock content pages."""
    moderator = staff("moderator", "Moderator")
    permissions = guide().permissions_for_user(moderator)
    assert permissions.can_publish() and permissions.can_lock()


def test_submission_waits_for_a_moderator_and_notifies_them(demo_site, settings):
    """Submitting starts Legal review, mails moderators, and approval publishes."""
    settings.WAGTAILADMIN_NOTIFICATION_USE_HTML = False
    editor = staff("editor", "Editor")
    moderator = staff("moderator", "Moderator")
    page = guide()
    page.title = "被拖欠工资怎么办（修订）"
    revision = page.save_revision(user=editor)
    mail.outbox.clear()
    state = page.get_workflow().start(page, editor)
    assert state.status == "in_progress"
    assert LegalGuidePage.objects.get(pk=page.pk).title == "被拖欠工资怎么办"
    assert any(moderator.email in message.to for message in mail.outbox)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    state.refresh_from_db()
    assert state.status == "approved"
    published = LegalGuidePage.objects.get(pk=page.pk)
    assert published.title == "被拖欠工资怎么办（修订）"
    assert published.live_revision_id == revision.pk


def test_scheduled_page_goes_live_when_the_scheduler_runs(demo_site, client):
    """A guide approved for a future time is published by the scheduler's task then,
    and the cached section page shows it from that moment."""
    import datetime

    from django.conf import settings
    from django.utils import timezone
    from freezegun import freeze_time

    from home.tasks import publish_scheduled

    assert "home.tasks.publish_scheduled" in settings.PERIODIC_TASKS
    section = guide().get_parent()
    go_live = timezone.now() + datetime.timedelta(hours=2)
    page = section.add_child(
        instance=LegalGuidePage(
            title="定时发布的指南",
            slug="scheduled-guide",
            summary="明早上线的普法指南。",
            last_reviewed=datetime.date(2026, 11, 1),
            live=False,
            go_live_at=go_live,
        )
    )
    page.save_revision().publish()
    page.refresh_from_db()
    assert not page.live
    assert "定时发布的指南" not in client.get(section.url).content.decode()

    publish_scheduled.call()
    assert not LegalGuidePage.objects.get(pk=page.pk).live

    with freeze_time(go_live + datetime.timedelta(minutes=1)):
        publish_scheduled.call()
    assert LegalGuidePage.objects.get(pk=page.pk).live
    assert "定时发布的指南" in client.get(section.url).content.decode()


def test_an_office_phone_change_waits_for_legal_review(
    demo_site, client, staff_client_for
):
    """An editor's new number for an office is a draft in Legal review: the public
    keeps seeing the published number until a moderator approves, and the change
    is kept as a revision."""
    from django.urls import reverse
    from wagtail.test.utils.form_data import querydict_from_html

    from home.models import Office

    editor = staff("editor", "Editor")
    moderator = staff("moderator", "Moderator")
    office = Office.objects.get(name="江南市公共法律服务中心")
    assert office.get_workflow() == Workflow.objects.get(name="Legal review")
    editor_client = staff_client_for(editor)
    url = reverse("wagtailsnippets_home_office:edit", args=[office.pk])
    form = editor_client.get(url).content.decode()
    data = querydict_from_html(form, form_id="w-editor-form")
    data["phone"] = "0570-86610000"
    data["action-publish"] = "action-publish"  # not theirs to do: kept as a draft
    editor_client.post(url, data)
    del data["action-publish"]
    data["action-submit"] = "action-submit"
    assert editor_client.post(url, data).status_code == 302

    office.refresh_from_db()
    assert office.phone == "0570-86612348" and office.has_unpublished_changes
    page = client.get("/channels/service-centre/").content.decode()
    assert "0570-86612348" in page and "0570-86610000" not in page
    state = office.current_workflow_state
    assert state.status == "in_progress"

    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, moderator, "approve")
    office.refresh_from_db()
    assert office.phone == "0570-86610000" and not office.has_unpublished_changes
    assert "0570-86610000" in client.get("/channels/service-centre/").content.decode()
    assert office.live_revision.content["phone"] == "0570-86610000"  # its history


def test_an_unpublished_contact_is_never_shown(demo_site, client):
    """A contact saved only as a draft (not live) stays off the channel page."""
    from home.models import ContactPerson

    contact = ContactPerson.objects.get(name="王建国")
    shown = "<strong>王建国</strong>, 和平街道司法所所长、人民调解员"
    assert shown in client.get("/channels/peace-street-director/").content.decode()
    contact.live = False
    contact.save()
    body = client.get("/channels/peace-street-director/").content.decode()
    assert "<strong>王建国</strong>" not in body


def test_a_new_translation_of_an_office_waits_for_review(db):
    """Translating an office makes a draft; readers keep the published original."""
    from wagtail.models import Locale

    from home.models import Office, localized_snippet

    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    office = Office.objects.create(locale=zh, name="新城司法所", address="新城路1号")
    copy = office.copy_for_translation(en)
    copy.save()
    assert not copy.live and copy.has_unpublished_changes
    assert localized_snippet(office, en.pk) == office
    copy.save_revision().publish()
    assert localized_snippet(office, en.pk) == Office.objects.get(pk=copy.pk)
