"""Upload probes: only real JPEG, PNG and PDF get in, re-encoded, under new names."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from petitions import actions, attachments
from petitions.models import Attachment
from tests.intake_files import MINIMAL_PDF, jpeg_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db

FIELDS = {
    "category": "other",
    "name": "李四",
    "phone": "13912345678",
    "subject": "材料",
    "description": "请查收附件中的材料。",
    "consent": "on",
}


def submit_with(*files):
    from django.utils.datastructures import MultiValueDict

    return actions.submit(FIELDS, MultiValueDict({"attachments": list(files)}))


def refusal_for(*files) -> str:
    with pytest.raises(actions.PetitionRefused) as caught:
        submit_with(*files)
    return " ".join(caught.value.errors["attachments"])


def stored_bytes(attachment: Attachment) -> bytes:
    return attachments.private_path(attachment.stored_name).read_bytes()


def test_a_pdf_that_is_a_script_is_refused_by_name(demo_site):
    """A shell script named .pdf is refused, naming the file."""
    message = refusal_for(upload("statement.pdf", b"#!/bin/sh\necho owned\n"))
    assert "statement.pdf" in message


def test_a_pdf_with_javascript_is_refused(demo_site):
    """A PDF that carries JavaScript is refused."""
    active = MINIMAL_PDF.replace(
        b"/Type/Catalog", b"/Type/Catalog/OpenAction<</JS(x)>>"
    )
    assert "active.pdf" in refusal_for(upload("active.pdf", active))


def test_png_with_a_trailing_payload_is_refused(demo_site):
    """Bytes appended after the PNG's last chunk: refused, naming the file."""
    payload = b"<?php system($_GET['c']); ?>"
    assert "scan.png" in refusal_for(upload("scan.png", png_bytes() + payload))
    assert not Attachment.objects.exists()


def test_jpeg_with_a_trailing_payload_is_reencoded_without_it(demo_site):
    """Phones append data after a JPEG (second images): kept out by re-encoding."""
    payload = b"<?php system($_GET['c']); ?>"
    submission = submit_with(upload("photo.jpg", jpeg_bytes() + payload))
    stored = stored_bytes(submission.petition.attachments.get())
    assert payload not in stored and stored.startswith(b"\xff\xd8\xff")
    assert Image.open(io.BytesIO(stored)).format == "JPEG"


def test_jpeg_metadata_is_stripped(demo_site):
    """EXIF (camera, software, location) is gone from the stored photo."""
    original = jpeg_bytes()
    assert b"SecretCameraMaker" in original
    submission = submit_with(upload("photo.JPG", original))
    stored = stored_bytes(submission.petition.attachments.get())
    assert b"SecretCameraMaker" not in stored
    assert not Image.open(io.BytesIO(stored)).getexif()


def test_a_decompression_bomb_is_refused(demo_site, settings):
    """A picture that claims more pixels than allowed is refused before decoding."""
    settings.PETITIONS_MAX_IMAGE_PIXELS = 10_000
    bomb = upload("bomb.png", png_bytes(size=(200, 200)))
    assert "bomb.png" in refusal_for(bomb)


def test_a_pillow_decompression_bomb_error_is_refused(demo_site, monkeypatch):
    """Pillow's own bomb guard ends in the same refusal, not an error page."""
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 100)
    assert "huge.png" in refusal_for(upload("huge.png", png_bytes(size=(64, 64))))


def test_an_oversized_file_is_refused_by_name(demo_site, settings):
    """A file over the size limit is refused, naming it and the limit."""
    settings.PETITIONS_MAX_ATTACHMENT_BYTES = 1000
    message = refusal_for(upload("big.pdf", MINIMAL_PDF + b"%" * 2000))
    assert "big.pdf" in message


def test_more_than_five_files_are_refused(demo_site):
    """Six files at once: asked to send at most five."""
    files = [upload(f"p{n}.png", png_bytes()) for n in range(6)]
    assert "5" in refusal_for(*files)


def test_a_path_traversal_name_is_ignored(demo_site, tmp_path, settings):
    """A file called ../../etc/passwd.png is stored under a server-made name."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    submission = submit_with(upload("../../../etc/passwd.png", png_bytes()))
    attachment = submission.petition.attachments.get()
    assert attachment.original_name == "passwd.png"
    assert ".." not in attachment.stored_name and "passwd" not in attachment.stored_name
    path = attachments.private_path(attachment.stored_name)
    assert (tmp_path / "private") in path.parents and path.exists()


def test_wrong_extension_and_empty_files_are_refused(demo_site):
    """An .exe, a PNG called .jpg, and an empty file: each refused by name."""
    message = refusal_for(
        upload("tool.exe", b"MZ\x90\x00"),
        upload("fake.jpg", png_bytes()),
        upload("empty.png", b""),
    )
    for name in ("tool.exe", "fake.jpg", "empty.png"):
        assert name in message


def test_nothing_is_half_saved_when_a_later_step_fails(demo_site, monkeypatch):
    """If the transaction fails after files were written, files and rows go."""
    from petitions import notifications

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(notifications, "prepare", broken)
    root = attachments.private_path("x").parent
    before = set(root.rglob("*")) if root.exists() else set()
    with pytest.raises(RuntimeError):
        submit_with(upload("scan.png", png_bytes()))
    after = set(root.rglob("*")) if root.exists() else set()
    assert {p for p in after - before if p.is_file()} == set()
    assert not Attachment.objects.exists()


def test_check_upload_accepts_the_three_kinds():
    """JPEG, PNG and a plain PDF pass with their content types."""
    kinds = [
        attachments.check_upload(upload("a.jpeg", jpeg_bytes())).content_type,
        attachments.check_upload(upload("b.png", png_bytes())).content_type,
        attachments.check_upload(upload("c.pdf", MINIMAL_PDF)).content_type,
    ]
    assert kinds == ["image/jpeg", "image/png", "application/pdf"]
    with pytest.raises(ValidationError):
        attachments.check_upload(upload("d.gif", b"GIF89a"))
