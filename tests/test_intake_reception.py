"""Reception registers requests in the admin; staff download attachments safely."""

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache

from petitions.models import Petition
from portal.security.models import AuditEntry
from portal.security.roles import EDITOR, RECEPTION
from tests.conftest import STAFF_PASSWORD
from tests.intake_files import photo

pytestmark = pytest.mark.django_db


@pytest.fixture
def receptionist(django_user_model):
    user = django_user_model.objects.create_user(
        "reception-li", "li@example.invalid", STAFF_PASSWORD, first_name="李"
    )
    user.groups.add(Group.objects.get_or_create(name=RECEPTION)[0])
    return user


def register_phone_call(client):
    return client.post(
        "/admin/petitions/register/",
        {
            "channel": "phone",
            "category": "litigation-service",
            "language": "zh-hans",
            "name": "孙八",
            "phone": "13512345678",
            "subject": "电话咨询立案进度",
            "description": "来电询问去年提交的起诉状是否已经立案。",
            "consent": "on",
            "attachments": [photo("note.jpg")],
        },
    )


def test_reception_registers_a_phone_call_and_the_citizen_finds_it(
    demo_site, receptionist, staff_client_for, client
):
    """The receipt shows number and code; the citizen's lookup shows the request."""
    staff = staff_client_for(receptionist)
    response = register_phone_call(staff)
    assert response.status_code == 302
    receipt = staff.get(response["Location"])
    petition = Petition.objects.get()
    assert petition.channel == "phone" and petition.first_contact == receptionist
    text = receipt.content.decode()
    assert petition.tracking_no in text
    code = text.split('id="access-code">')[1].split("<")[0]
    cache.clear()
    lookup = client.post(
        "/api/v1/petitions/lookup",
        {"tracking_no": petition.tracking_no, "access_code": code},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert lookup.status_code == 200
    assert lookup.json()["timeline"][0]["label"] == "Registered by reception"
    assert AuditEntry.objects.filter(
        action="petition.register", actor=receptionist
    ).exists()


def test_the_staff_receipt_shows_the_code_once(
    demo_site, receptionist, staff_client_for
):
    """Printed from the first page; the code then leaves the session."""
    from django.contrib.sessions.models import Session

    staff = staff_client_for(receptionist)
    response = register_phone_call(staff)
    first = staff.get(response["Location"]).content.decode()
    code = first.split('id="access-code">')[1].split("<")[0]
    again = staff.get(response["Location"])
    assert again.status_code == 302 and code not in again.content.decode()
    assert not any(code in str(s.get_decoded()) for s in Session.objects.all())


def test_registration_errors_stay_on_the_form(
    demo_site, receptionist, staff_client_for
):
    """A bad case number is refused next to its field; nothing is saved."""
    staff = staff_client_for(receptionist)
    response = staff.post(
        "/admin/petitions/register/",
        {"channel": "letter", "category": "other", "name": "x", "case_number": "123"},
    )
    assert response.status_code == 200
    assert "（2023）浙1003执123号" in response.content.decode()
    assert not Petition.objects.exists()


def test_latest_list_masks_identifiers(demo_site, receptionist, staff_client_for):
    """The staff list shows 135****5678, never the whole number."""
    staff = staff_client_for(receptionist)
    register_phone_call(staff)
    text = staff.get("/admin/petitions/latest/").content.decode()
    assert "135****5678" in text and "13512345678" not in text
    attachment = Petition.objects.get().attachments.get()
    assert f'href="/staff/attachments/{attachment.pk}/"' in text


def test_attachments_download_only_for_petition_staff(
    demo_site, receptionist, staff_client_for, django_user_model
):
    """Reception downloads as an attachment; an editor is refused; all audited."""
    staff = staff_client_for(receptionist)
    register_phone_call(staff)
    attachment = Petition.objects.get().attachments.get()
    url = f"/staff/attachments/{attachment.pk}/"
    response = staff.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/jpeg"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")
    editor = django_user_model.objects.create_user("editor-wu", password=STAFF_PASSWORD)
    editor.groups.add(Group.objects.get_or_create(name=EDITOR)[0])
    assert staff_client_for(editor).get(url).status_code == 403
    assert (
        AuditEntry.objects.filter(action="petition.attachment_downloaded").count() == 1
    )


def test_reception_finds_the_form_in_the_admin_menu(
    demo_site, receptionist, staff_client_for, django_user_model
):
    """Reception sees Petitions → Register a request; an editor is refused the form."""
    staff = staff_client_for(receptionist)
    home = staff.get("/admin/")
    assert "/admin/petitions/register/" in home.content.decode()
    form = staff.get("/admin/petitions/register/")
    assert form.status_code == 200
    text = form.content.decode()
    assert 'name="channel"' in text and 'name="attachments"' in text
    editor = django_user_model.objects.create_user("editor-he", password=STAFF_PASSWORD)
    editor.groups.add(Group.objects.get_or_create(name=EDITOR)[0])
    refused = staff_client_for(editor).get("/admin/petitions/register/")
    # Wagtail turns the refusal into a redirect to the dashboard with a message.
    assert refused.status_code == 302 and refused["Location"] == "/admin/"


def test_administrators_edit_category_guidance_and_add_a_child(demo_site, otp_client):
    """Guidance is edited in the admin; a new category lands under its parent."""
    from petitions.models import Category

    enforcement = Category.objects.get(code="enforcement")
    index = otp_client.get("/admin/petition_categories/")
    assert index.status_code == 200 and "asset-disposal" in index.content.decode()
    response = otp_client.post(
        "/admin/petition_categories/new/",
        {
            "name": "执行款发放",
            "name_en": "Release of enforcement money",
            "code": "enforcement-money",
            "open_for_web": "on",
            "guidance": "执行款何时发放。",
            "treebeard_position": "sorted-child",
            "treebeard_ref_node": enforcement.pk,
        },
    )
    assert response.status_code == 302
    child = Category.objects.get(code="enforcement-money")
    assert child.get_parent() == enforcement and child.routing_unit().code == "jn-city"
