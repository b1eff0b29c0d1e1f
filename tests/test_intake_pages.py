"""The public pages: category guidance, the form, the receipt, tracking, rating."""

import time

import pytest
from django.core.cache import cache

from petitions.forms import WebPetitionForm
from petitions.models import Category, Petition
from portal.security.models import AuditEntry
from tests.intake_files import photo

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def quick_forms(settings):
    settings.PETITIONS_MIN_FILL_SECONDS = 0
    cache.clear()


def form_data(**changes):
    started = WebPetitionForm.signer().sign(f"{time.time() - 60:.0f}")
    return {
        "name": "陈七",
        "phone": "13612345678",
        "subject": "咨询",
        "description": "请问劳动仲裁需要准备哪些材料？",
        "consent": "on",
        "started": started,
        **changes,
    }


def test_category_page_lists_open_categories_in_both_languages(demo_site, client):
    """/petitions/new/ and /en/petitions/new/ list the categories by name."""
    chinese = client.get("/petitions/new/").content.decode()
    english = client.get("/en/petitions/new/").content.decode()
    assert "廉政举报" in chinese and "Integrity report" in english


def test_guidance_is_told_once_with_procedure_and_hotline(demo_site, client):
    """A litigation category names its procedure; urgent ones point to a hotline."""
    asset = client.get("/en/petitions/new/asset-disposal/").content.decode()
    assert "belongs in a legal procedure" in asset and "art. 236" in asset
    assert asset.count("Proof of ownership") == 1
    field = client.get("/en/petitions/new/field-enforcement/").content.decode()
    assert "call 110" in field


def test_a_closed_category_points_to_other_channels(demo_site, client):
    """A category not open for the web shows no form, and the directory's hotline
    with its number (the same one the footer names)."""
    from home.models import ChannelPhone, ServiceChannelPage

    Category.objects.filter(code="other").update(open_for_web=False)
    page = client.get("/en/petitions/new/other/").content.decode()
    assert "cannot be sent online" in page and "<textarea" not in page
    hotline = (
        ServiceChannelPage.objects.live()
        .filter(kind="hotline", locale__language_code="en")
        .first()
    )
    number = ChannelPhone.objects.filter(page=hotline).first().number
    assert f">{number}</a>" in page.split("cannot be sent online", 1)[1]


def test_submitting_the_form_shows_number_and_code(demo_site, client):
    """A valid post redirects to a no-store receipt with number and code."""
    response = client.post(
        "/en/petitions/new/other/", {**form_data(), "attachments": [photo()]}
    )
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    petition = Petition.objects.get()
    text = receipt.content.decode()
    assert petition.tracking_no in text and "Access code" in text
    assert "no-store" in receipt["Cache-Control"]
    assert petition.language == "en" and petition.attachments.count() == 1


def test_the_code_is_shown_once_and_leaves_the_session(demo_site, client):
    """The receipt (printable from that page) shows the code once; a second
    visit does not, and no stored session holds it."""
    from django.contrib.sessions.models import Session

    response = client.post("/en/petitions/new/other/", form_data())
    first = client.get(response["Location"]).content.decode()
    code = first.split('id="access-code">')[1].split("<")[0]
    assert len(code) >= 8 and "js-print" in first
    second = client.get(response["Location"])
    assert second.status_code == 302 and code not in second.content.decode()
    assert client.get(second["Location"]).status_code == 200
    stored = [str(session.get_decoded()) for session in Session.objects.all()]
    assert stored and not any(code in data for data in stored)


def test_errors_keep_what_was_typed_and_ask_for_files_again(demo_site, client):
    """A wrong phone is named next to the field; the typed text stays."""
    response = client.post(
        "/en/petitions/new/other/", form_data(phone="123", subject="我的标题")
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "mobile number" in text and 'value="我的标题"' in text
    assert "files must be chosen again" in text
    assert "no-store" in response["Cache-Control"]
    assert not Petition.objects.exists()


def test_honeypot_and_haste_are_refused_and_audited(demo_site, client, settings):
    """A filled honeypot or a form sent at once saves nothing and is audited."""
    client.post("/petitions/new/other/", form_data(website="http://spam"))
    settings.PETITIONS_MIN_FILL_SECONDS = 30
    fresh = WebPetitionForm.signer().sign(f"{time.time():.0f}")
    response = client.post("/petitions/new/other/", form_data(started=fresh))
    assert response.status_code == 200
    assert not Petition.objects.exists()
    reasons = set(
        AuditEntry.objects.filter(action="petition.submit_blocked").values_list(
            "detail__why", flat=True
        )
    )
    assert reasons == {"honeypot", "too_fast"}


def test_tracking_by_post_shows_status_and_refuses_uniformly(demo_site, client):
    """Number and code by POST show the status; wrong ones get the same 404."""
    client.post("/en/petitions/new/other/", form_data())
    receipt = client.session["petitions_receipt"]
    shown = client.post("/en/petitions/track/", receipt)
    text = shown.content.decode()
    assert shown.status_code == 200 and "Received" in text
    assert "Submitted online" in text and "no-store" in shown["Cache-Control"]
    wrong = client.post(
        "/en/petitions/track/", {**receipt, "access_code": "ZZZZZZZZZZ"}
    )
    unknown = client.post(
        "/en/petitions/track/", {"tracking_no": "x", "access_code": "y"}
    )
    assert wrong.status_code == unknown.status_code == 404
    assert "No request matches" in wrong.content.decode()


@pytest.mark.usefixtures("one_limit_window")
def test_tracking_page_is_limited_per_address(demo_site, client):
    """The eleventh lookup in a minute gets a clear 429 page."""
    for _ in range(10):
        client.post("/petitions/track/", {"tracking_no": "a", "access_code": "b"})
    response = client.post(
        "/en/petitions/track/", {"tracking_no": "a", "access_code": "b"}
    )
    assert response.status_code == 429
    assert "Too many lookups" in response.content.decode()


def test_petitioner_withdraws_an_open_request(demo_site, client):
    """With number, code and a ticked box, the request is withdrawn, once."""
    client.post("/en/petitions/new/other/", form_data())
    receipt = client.session["petitions_receipt"]
    unticked = client.post("/en/petitions/withdraw/", receipt)
    assert Petition.objects.get().status == "received"
    assert "Withdraw this request" in unticked.content.decode()
    done = client.post(
        "/en/petitions/withdraw/", {**receipt, "confirm": "1", "reason": "Settled"}
    )
    text = done.content.decode()
    assert "Your request has been withdrawn." in text
    assert "Withdraw this request" not in text
    assert Petition.objects.get().status == "withdrawn"


def test_home_pages_lead_to_the_form_and_the_tracking_page(demo_site, client):
    """Each home page links to its language's form and tracking page."""
    english = client.get("/en/").content.decode()
    chinese = client.get("/").content.decode()
    assert 'href="/en/petitions/new/"' in english
    assert 'href="/en/petitions/track/"' in english
    assert 'href="/petitions/new/"' in chinese


def test_a_closed_request_is_rated_once_on_the_tracking_page(demo_site, client):
    """The rating form appears once closed; after rating it is gone."""
    from petitions import actions

    client.post("/en/petitions/new/other/", form_data())
    receipt = client.session["petitions_receipt"]
    petition = Petition.objects.get()
    actions.write_event(petition, "close", None, "handler", "replied", "closed")
    Petition.objects.filter(pk=petition.pk).update(status="closed")
    page = client.post("/en/petitions/track/", receipt).content.decode()
    assert "How satisfied are you" in page and "Withdraw this request" not in page
    rated = client.post(
        "/en/petitions/rate/", {**receipt, "rating": "satisfied", "comment": "谢谢"}
    ).content.decode()
    assert "Thank you for your rating." in rated
    assert "How satisfied are you" not in rated
    assert petition.ratings.get().comment == "谢谢"
