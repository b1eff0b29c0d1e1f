"""Hostile input end to end: generated identifiers, random workflows, disguised
uploads through the public form and the API, and script in every public text field.

The action-level upload checks live in test_intake_attachments.py; here the same
probes go through the real HTTP entry points, where a browser or a script sends them.
"""

import csv
import datetime
import io
import time

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from PIL import Image

from petitions import workflow
from petitions.forms import WebPetitionForm
from petitions.models import Attachment, Petition
from petitions.validators import check_case_number, check_phone
from portal.security.personal_data import NationalIdValidator, id_check_char
from search import text
from tests.intake_files import MINIMAL_PDF, png_bytes, upload

QUICK = settings(max_examples=200, deadline=None, derandomize=True, database=None)

# --- Segmenter ---------------------------------------------------------------------

TEXTS = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=200
)


@QUICK
@given(value=TEXTS)
def test_normalisation_is_idempotent(value):
    """Normalising twice gives the same text as once, so queries meet the index."""
    once = text.normalize(value)
    assert text.normalize(once) == once


@settings(max_examples=15, deadline=None, derandomize=True, database=None)
@given(
    unit=st.text(min_size=1, max_size=4),
    repeat=st.integers(min_value=10_000, max_value=40_000),
)
def test_pathological_repetition_segments_in_bounded_time(unit, repeat):
    """A long repetition of any short pattern segments and parses within 2 s."""
    hostile = unit * repeat
    started = time.monotonic()
    text.segment(hostile)
    text.parse_query(hostile[:2000])
    assert time.monotonic() - started < 2.0


# --- Validators --------------------------------------------------------------------


@st.composite
def national_ids(draw):
    """A valid GB 11643 number: area, real birth date, sequence, check character."""
    area = draw(st.integers(110000, 659999))
    birth = draw(st.dates(min_value=datetime.date(1900, 1, 1)))
    assume(birth.year <= 2025)
    sequence = draw(st.integers(0, 999))
    first_17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first_17 + id_check_char(first_17)


@QUICK
@given(number=national_ids(), position=st.integers(0, 17), data=st.data())
def test_valid_id_numbers_pass_and_any_single_change_is_refused(number, position, data):
    """GB 11643's check character catches every single-character change."""
    validate = NationalIdValidator()
    validate(number)
    validate(number.lower().replace("x", "x "))  # typed with a space, lower-case x
    alphabet = "0123456789X" if position == 17 else "0123456789"
    replacement = data.draw(
        st.sampled_from(alphabet).filter(lambda c: c != number[position])
    )
    mutated = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError):
        validate(mutated)


MOBILES = st.from_regex(r"\A1[3-9][0-9]{9}\Z")


@QUICK
@given(number=MOBILES, cut=st.integers(0, 10), extra=st.sampled_from("0123456789"))
def test_mobile_numbers_pass_and_mutations_are_refused(number, cut, extra):
    """Eleven digits from 13–19 pass (+86, full-width); one more or less fails."""
    assert check_phone(number) == number
    assert check_phone("+86 " + number) == number
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert check_phone(wide) == number
    for mutated in (number[:cut] + number[cut + 1 :], number + extra, "2" + number[1:]):
        with pytest.raises(ValidationError):
            check_phone(mutated)


PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"


@st.composite
def case_numbers(draw):
    year = draw(st.integers(1990, 2099))
    court = draw(st.sampled_from(PROVINCES)) + draw(st.from_regex(r"\A[0-9]{0,4}\Z"))
    kind = draw(st.text(alphabet="民刑执行初终再审破", min_size=1, max_size=4))
    seq = draw(st.integers(1, 999999))
    return f"（{year}）{court}{kind}{seq}号"


@QUICK
@given(number=case_numbers(), bracket=st.booleans())
def test_case_numbers_pass_and_mutations_are_refused(number, bracket):
    """Generated case numbers are accepted; without 号, brackets or year, refused."""
    typed = number.replace("（", "(").replace("）", ")") if bracket else number
    assert check_case_number(typed) == number
    year_end = number.index("）")
    for mutated in (
        number[:-1],
        number.replace("（", "").replace("）", ""),
        number[:1] + "18" + number[3:],
        number[: year_end + 1] + "X" + number[year_end + 2 :],
    ):
        with pytest.raises(ValidationError):
            check_case_number(mutated)


# --- Transition table ---------------------------------------------------------------

ROLE_SETS = st.sets(st.sampled_from(list(workflow.Role)), max_size=3)
STEPS = st.lists(
    st.tuples(st.sampled_from(list(workflow.Action)), ROLE_SETS), max_size=40
)
TABLE_STATES = {workflow.Status.RECEIVED} | {
    t.target for t in workflow.TRANSITIONS.values() if t.target
}


@settings(max_examples=500, deadline=None, derandomize=True, database=None)
@given(steps=STEPS)
def test_random_action_sequences_stay_inside_the_table(steps):
    """check_transition agrees with allowed_actions and only reaches table states."""
    status = workflow.Status.RECEIVED
    for action, roles in steps:
        allowed = workflow.allowed_actions(status, roles)
        try:
            after = workflow.check_transition(action, status, roles)
        except workflow.TransitionNotAllowed as refusal:
            assert action not in allowed
            assert refusal.reason in {"wrong_state", "wrong_role"} and refusal.message
        else:
            assert action in allowed
            transition = workflow.TRANSITIONS[action]
            assert after == (transition.target or status)
            status = after
        assert status in TABLE_STATES


# --- Uploads through the public form and the API -----------------------------------


def bomb_png() -> bytes:
    """A few kilobytes that decode to 100 million pixels."""
    out = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(out, "PNG", optimize=True)
    return out.getvalue()


FIELDS = {
    "name": "王五",
    "phone": "13612345678",
    "subject": "材料",
    "description": "请查收附件中的材料。",
    "consent": "on",
}

PROBES = {
    "script": ("statement.pdf", lambda: b"#!/bin/sh\nrm -rf / --no-preserve-root\n"),
    "active-pdf": (
        "active.pdf",
        lambda: MINIMAL_PDF.replace(
            b"/Type/Catalog", b"/Type/Catalog/OpenAction<</JS(x)>>"
        ),
    ),
    "bomb": ("bomb.png", bomb_png),
    "fifty-megabytes": ("huge.pdf", lambda: MINIMAL_PDF + b"0" * (50 * 1024 * 1024)),
}


@pytest.fixture
def quick_forms(settings, tmp_path):
    settings.PETITIONS_MIN_FILL_SECONDS = 0
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    cache.clear()
    return tmp_path / "private"


def post_form(client, files, **fields):
    started = WebPetitionForm.signer().sign(f"{time.time() - 60:.0f}")
    data = {**FIELDS, "started": started, **fields, "attachments": files}
    return client.post("/en/petitions/new/other/", data)


def post_api(client, files, **fields):
    return client.post(
        "/api/v1/petitions",
        {**FIELDS, "category": "other", **fields, "attachments": files},
    )


def refusal(client, entry, files) -> str:
    """The message a refused upload gets: the form shown again, or the API's 422."""
    if entry == "form":
        response = post_form(client, files)
        assert response.status_code == 200
        return response.content.decode()
    response = post_api(client, files)
    assert response.status_code == 422
    return " ".join(response.json()["errors"]["attachments"])


def stored_files(root):
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("probe", sorted(PROBES))
@pytest.mark.parametrize("entry", ["form", "api"])
def test_hostile_uploads_are_refused_by_name_and_nothing_is_stored(
    demo_site, client, quick_forms, probe, entry
):
    """Each disguised file is refused with its name in the message; nothing saved."""
    name, make = PROBES[probe]
    assert name in refusal(client, entry, [upload(name, make())])
    assert not Petition.objects.exists() and not Attachment.objects.exists()
    assert stored_files(quick_forms) == []


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["form", "api"])
def test_a_png_with_a_trailing_payload_is_refused(
    demo_site, client, quick_forms, entry
):
    """A PNG with a PHP tail: refused by name, nothing stored."""
    files = [upload("evil.png", png_bytes() + b"<?php system($_GET['c']); ?>")]
    message = refusal(client, entry, files)
    assert "evil.png" in message and ("other data" in message or "其他数据" in message)
    assert not Petition.objects.exists() and stored_files(quick_forms) == []


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ["form", "api"])
def test_a_traversal_name_is_stored_under_a_server_name(
    demo_site, client, quick_forms, entry
):
    """../../ in the name: folders dropped, the file kept under a name of ours."""
    files = [upload("../../../etc/cron.d/evil.png", png_bytes())]
    response = (post_form if entry == "form" else post_api)(client, files)
    assert response.status_code in {201, 302}
    attachment = Petition.objects.get().attachments.get()
    assert attachment.original_name == "evil.png"
    (stored,) = stored_files(quick_forms)
    assert ".." not in attachment.stored_name and "evil" not in stored.name
    assert quick_forms in stored.parents
    assert Image.open(stored).size == (32, 32)


# --- Stored XSS ----------------------------------------------------------------------

XSS = '"><img src=x onerror=alert(1)><script>alert(2)</script>'
TEXT_FIELDS = ["name", "address", "subject", "description", "complained_about"]


@pytest.mark.django_db
def test_script_in_every_public_field_renders_escaped(
    demo_site, client, quick_forms, otp_client
):
    """Tracking page and staff list show the text escaped; no live tag."""
    response = post_form(
        client, [], **{field: f"{field} {XSS}" for field in TEXT_FIELDS}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    receipt = client.session["petitions_receipt"]
    pages = {
        "receipt": client.get(response["Location"]),
        "tracking": client.post("/en/petitions/track/", receipt),
        "staff list": otp_client.get("/admin/petitions/latest/"),
    }
    for where, page in pages.items():
        assert page.status_code == 200, where
        html = page.content.decode()
        assert "<script>alert(2)" not in html, where
        assert "<img src=x onerror" not in html, where
    assert "&lt;script&gt;alert(2)" in pages["tracking"].content.decode()
    assert "&lt;script&gt;alert(2)" in pages["staff list"].content.decode()


@pytest.mark.django_db
def test_script_typed_by_a_petitioner_is_inert_on_every_staff_page(
    demo_site, client, quick_forms, otp_client
):
    """Workspace detail, search results with highlights, the figures' drill-down
    list: escaped text, no live tag; the CSV export is a download, never a page."""
    from search.backends import get_backend
    from search.indexing import index_now

    response = post_form(
        client, [], **{field: f"{field} {XSS}" for field in TEXT_FIELDS}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    petition = Petition.objects.get()
    backend = get_backend()
    backend.clear("petitions")
    index_now("petitions", [str(petition.pk)])
    backend.refresh("petitions")
    listing = "/admin/petitions/figures/petitions/"
    pages = {
        "detail": otp_client.get(f"/admin/petitions/petition/{petition.pk}/"),
        "search": otp_client.get(
            "/admin/petition-search/", {"q": "alert"}, follow=True
        ),
        "drill-down": otp_client.get(listing, {"figure": "received"}),
    }
    try:
        for where, page in pages.items():
            assert page.status_code == 200, where
            html = page.content.decode()
            assert petition.tracking_no in html, where
            assert "<script>alert(2)" not in html, where
            assert "<img src=x onerror" not in html, where
            assert "&lt;script&gt;" in html, where
        assert "<mark>alert</mark>" in pages["search"].content.decode()
        export = otp_client.get(f"{listing}export.csv", {"figure": "received"})
        assert export["Content-Type"].startswith("text/csv")
        assert export["Content-Disposition"].startswith("attachment;")
        assert export["X-Content-Type-Options"] == "nosniff"
        rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
        assert rows[1][7] == "name " + XSS  # data in a file, not markup in a page
    finally:
        backend.clear("petitions")
