"""The staff workspace: scope on every URL, queues, the detail page and its actions."""

import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from petitions import actions
from petitions.models import Attachment
from petitions.workflow import Role, Status
from portal.security.models import AuditEntry
from tests import loop_fixtures
from tests.loop_fixtures import make_petition, member

pytestmark = pytest.mark.django_db
tree = loop_fixtures.tree


@pytest.fixture
def people(tree, django_user_model):
    return {
        "handler_a": member(django_user_model, "ha", tree["a"], Role.HANDLER),
        "head_city": member(django_user_model, "hc", tree["city"], Role.HEAD),
    }


def staff_urls(petition):
    attachment = Attachment.objects.create(
        petition=petition,
        original_name="x.pdf",
        stored_name=f"stored-{petition.pk}",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )
    return [
        ("get", reverse("petitions_admin_detail", args=[petition.pk])),
        ("post", reverse("petitions_admin_act", args=[petition.pk, "accept"])),
        ("post", reverse("petitions_admin_act", args=[petition.pk, "note"])),
        ("get", reverse("petitions_staff:attachment", args=[attachment.pk])),
    ]


def test_sibling_gets_404_on_every_staff_url_parent_head_sees_both(
    tree, people, staff_client_for
):
    mine = make_petition(tree["a"])
    sibling = make_petition(tree["b"])
    handler = staff_client_for(people["handler_a"])
    for method, url in staff_urls(sibling):
        response = getattr(handler, method)(url, {"text": "x"})
        assert response.status_code == 404, url
    sibling.refresh_from_db()
    assert sibling.status == Status.RECEIVED and not sibling.events.exists()
    assert (
        handler.get(reverse("petitions_admin_detail", args=[mine.pk])).status_code
        == 200
    )
    listed = handler.get(
        reverse("petitions_admin_queue", args=["all"])
    ).content.decode()
    assert mine.tracking_no in listed and sibling.tracking_no not in listed

    head = staff_client_for(people["head_city"])
    listed = head.get(reverse("petitions_admin_queue", args=["all"])).content.decode()
    assert mine.tracking_no in listed and sibling.tracking_no in listed
    for petition in (mine, sibling):
        url = reverse("petitions_admin_detail", args=[petition.pk])
        assert head.get(url).status_code == 200


def test_no_membership_no_workspace(staff_client_for, django_user_model):
    someone = django_user_model.objects.create_user("x", "x@example.invalid", "x")
    response = staff_client_for(someone).get(
        reverse("petitions_admin_queue", args=["all"])
    )
    assert response.status_code in (302, 403)


def test_overdue_pinned_first_and_identifiers_masked(tree, people, staff_client_for):
    with freeze_time("2026-11-23 10:00:00+08:00"):
        later = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 30))
        soon = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 25))
        late = make_petition(tree["a"], accept_by=datetime.date(2026, 11, 20))
        client = staff_client_for(people["handler_a"])
        page = client.get(reverse("petitions_admin_queue", args=["unit"]))
        html = page.content.decode()
        order = [html.index(p.tracking_no) for p in (late, soon, later)]
        assert order == sorted(order)
        assert "137****5678" in html and "13712345678" not in html
        overdue = client.get(reverse("petitions_admin_queue", args=["overdue"]))
        assert late.tracking_no in overdue.content.decode()
        assert soon.tracking_no not in overdue.content.decode()
        due_soon = client.get(reverse("petitions_admin_queue", args=["due-soon"]))
        assert soon.tracking_no in due_soon.content.decode()
        assert later.tracking_no not in due_soon.content.decode()
        filtered = client.get(
            reverse("petitions_admin_queue", args=["unit"]), {"status": "bogus"}
        )
        assert filtered.status_code == 200  # bad filter input: ignored, no 500


def test_detail_shows_only_allowed_actions_and_logs_access(
    tree, people, staff_client_for
):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    html = client.get(reverse("petitions_admin_detail", args=[petition.pk])).content
    html = html.decode()
    assert 'data-action="accept"' in html and 'data-action="decline"' in html
    assert 'data-action="extend"' not in html and 'data-action="close"' not in html
    assert "13712345678" in html  # the full record, and its reading is audited
    assert AuditEntry.objects.filter(
        action="petition.viewed", object_id=str(petition.pk)
    ).exists()


def test_acting_through_the_page_and_the_stale_form(tree, people, staff_client_for):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    url = reverse("petitions_admin_act", args=[petition.pk, "accept"])
    seen = {"status": petition.status, "updated_at": petition.updated_at.isoformat()}
    response = client.post(url, seen)
    assert response.status_code == 302
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    # A second tab still shows "received": refused, told, nothing changes.
    decline = reverse("petitions_admin_act", args=[petition.pk, "decline"])
    response = client.post(decline, {**seen, "text": "不予受理"}, follow=True)
    assert response.status_code == 200
    petition.refresh_from_db()
    assert petition.status == Status.ACCEPTED
    assert str(Status.ACCEPTED.label) in response.content.decode()


def test_internal_note_stays_internal(tree, people, staff_client_for):
    petition = make_petition(tree["a"])
    client = staff_client_for(people["handler_a"])
    client.post(
        reverse("petitions_admin_act", args=[petition.pk, "note"]), {"text": "内部"}
    )
    event = petition.events.get()
    assert event.action == "note" and not event.public
    actions.accept(petition, actor=people["handler_a"])
    assert petition.events.filter(public=True).count() == 1


def test_reply_form_starts_from_the_categorys_template(tree, people, staff_client_for):
    from petitions.models import ReplyTemplate

    petition = make_petition(tree["a"])
    ReplyTemplate.objects.create(use="reply", title="通用", body="通用答复")
    ReplyTemplate.objects.create(
        category=petition.category,
        use="answer",
        title="咨询",
        body="{number}：{unit}答复",
    )
    client = staff_client_for(people["handler_a"])
    html = client.get(reverse("petitions_admin_detail", args=[petition.pk])).content
    assert f"{petition.tracking_no}：甲答复" in html.decode()
    assert ReplyTemplate.text_for(petition, "reply") == "通用答复"
    assert ReplyTemplate.text_for(petition, "decline") == ""


def test_accepting_can_reclassify_and_reroute(tree, people, staff_client_for):
    from petitions.models import Category

    petition = make_petition(tree["a"])
    elsewhere = Category.add_root(
        code="loop-b-cat", name="乙类", handling_unit=tree["b"]
    )
    client = staff_client_for(people["head_city"])
    client.post(
        reverse("petitions_admin_act", args=[petition.pk, "accept"]),
        {
            "status": petition.status,
            "updated_at": petition.updated_at.isoformat(),
            "category": elsewhere.pk,
        },
    )
    petition.refresh_from_db()
    assert (petition.status, petition.category, petition.unit) == (
        Status.ACCEPTED,
        elsewhere,
        tree["b"],
    )
