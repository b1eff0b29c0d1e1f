"""Identity and phone numbers: encrypted at rest, hashed for lookup, masked, checked."""

import sqlite3

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.test import override_settings
from django.utils import translation

from petitions.models import Petition
from portal.security.crypto import (
    DecryptionError,
    EncryptedTextField,
    decrypt,
    encrypt,
    key_check_digest,
    keyed_hash,
)
from portal.security.keycheck import (
    check_field_encryption_key,
    verify_field_encryption_key,
)
from portal.security.models import KeyCheck
from portal.security.personal_data import (
    mask_id_number,
    mask_phone,
    normalise_id_number,
    validate_national_id,
)

from .loop_fixtures import make_petition
from .test_intake_api import PAYLOAD
from .test_intake_pages import form_data
from .test_settings import PRODUCTION_ENV, manage, start_web_server

VALID_ID = "110101199003071233"
VALID_ID_WITH_X = "11010519491231002X"
ORIGINAL_KEY = "the-original-field-key-0123456789abcdefghijkl"
OTHER_KEY = "another-well-formed-field-key-0123456789abcdef"
# The key check table as the security app's migration creates it on SQLite.
KEY_CHECK_TABLE = """CREATE TABLE security_keycheck (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    purpose varchar(40) NOT NULL UNIQUE,
    digest varchar(64) NOT NULL,
    created_at datetime NOT NULL)"""


def test_masks_show_only_the_ends():
    """Lists show 110***********1234 and 138****5678, never the full number."""
    assert mask_id_number("110101199003071234") == "110***********1234"
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("138 1234 5678") == "138****5678"
    assert mask_phone("") == "" and mask_id_number(None) == ""
    assert mask_phone("12345") == "*****"


def test_encryption_round_trips_and_hides_the_value():
    """The stored text does not contain the number and decrypts back to it."""
    token = encrypt(VALID_ID)
    assert VALID_ID not in token and token.startswith("gcm1:")
    assert decrypt(token) == VALID_ID
    assert encrypt(VALID_ID) != token  # a fresh nonce each time


def test_encrypted_field_stores_ciphertext_and_reads_plain_text():
    """The model field encrypts on the way in and decrypts on the way out."""
    field = EncryptedTextField()
    stored = field.get_prep_value("13812345678")
    assert "13812345678" not in stored
    assert field.from_db_value(stored, None, None) == "13812345678"
    assert field.get_prep_value(None) is None
    assert field.get_prep_value("") == ""


def test_tampered_or_foreign_ciphertext_is_refused():
    """A changed value, or one written under another key, does not decrypt."""
    token = encrypt("13812345678")
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    with pytest.raises(DecryptionError):
        decrypt(forged)
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-0123456789abcdefghijkl"):
        with pytest.raises(DecryptionError):
            decrypt(token)


def test_keyed_hash_finds_equal_values_and_depends_on_the_key():
    """Equal numbers hash equally; a different key gives a different hash."""
    assert keyed_hash(VALID_ID) == keyed_hash(
        normalise_id_number(" 110101199003071233")
    )
    assert keyed_hash(VALID_ID) != keyed_hash("110101199003071234")
    assert len(keyed_hash(VALID_ID)) == 64
    with override_settings(FIELD_ENCRYPTION_KEY="another-key-0123456789abcdefghijkl"):
        other = keyed_hash(VALID_ID)
    assert other != keyed_hash(VALID_ID)


@pytest.mark.parametrize("number", [VALID_ID, VALID_ID_WITH_X, "11010519491231002x"])
def test_valid_national_id_numbers_pass(number):
    """Numbers with a correct check character and birth date are accepted."""
    validate_national_id(number)


@pytest.mark.parametrize(
    "number,code",
    [
        ("110101199003071234", "id_check_digit"),
        ("11010119900307123", "id_format"),
        ("1101011990030712345", "id_format"),
        ("11010119900307123A", "id_format"),
        ("110101199002301230", "id_birth_date"),
        ("110101289001011230", "id_birth_date"),
        ("", "id_format"),
    ],
)
def test_invalid_national_id_numbers_are_refused(number, code):
    """Wrong length, impossible birth date or wrong check character are refused."""
    with pytest.raises(ValidationError) as error:
        validate_national_id(number)
    assert error.value.code == code


def test_national_id_message_is_localized():
    """The check-digit message is in Chinese for Chinese readers."""
    with translation.override("zh-hans"):
        with pytest.raises(ValidationError) as error:
            validate_national_id("110101199003071234")
        # The message is lazy: read it while the reader's language is active.
        assert "身份证号" in error.value.messages[0]


@pytest.mark.parametrize(
    "key", [None, "dev-only-field-encryption-key-do-not-use-in-production", "short"]
)
def test_production_refuses_a_missing_or_development_key(key):
    """Production stops with one line naming FIELD_ENCRYPTION_KEY."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "FIELD_ENCRYPTION_KEY"}
    if key is not None:
        env["FIELD_ENCRYPTION_KEY"] = key
    result = manage("check", **env)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert "FIELD_ENCRYPTION_KEY" in last_line


def test_template_filters_mask_identifiers():
    """Templates mask identifiers with one filter each."""
    from django.template import Context, Template

    rendered = Template(
        "{% load personal_data %}{{ id|mask_id_number }} {{ phone|mask_phone }}"
    ).render(Context({"id": "110101199003071234", "phone": "13812345678"}))
    assert rendered == "110***********1234 138****5678"


def database_encrypted_with(path, key: str) -> str:
    """A database file whose key check names `key` (all start-up compares)."""
    with override_settings(FIELD_ENCRYPTION_KEY=key):
        digest = key_check_digest()
    with sqlite3.connect(path) as db:
        db.execute(KEY_CHECK_TABLE)
        db.execute(
            "INSERT INTO security_keycheck (purpose, digest, created_at) "
            "VALUES ('field-encryption', ?, '2026-01-01 00:00:00')",
            [digest],
        )
    return f"sqlite:///{path}"


def test_a_wrong_key_stops_the_web_server_with_one_line(tmp_path):
    """A well-formed key that is not the database's stops start-up, named."""
    database = database_encrypted_with(tmp_path / "portal.sqlite3", ORIGINAL_KEY)
    (tmp_path / "static").mkdir()  # as after collectstatic: whitenoise stays quiet
    env = {**PRODUCTION_ENV, "DATABASE_URL": database, "PORTAL_DATA_DIR": str(tmp_path)}
    wrong = start_web_server(**{**env, "FIELD_ENCRYPTION_KEY": OTHER_KEY})
    assert wrong.returncode == 4
    [line] = wrong.stderr.splitlines()
    assert line.startswith("Configuration error: FIELD_ENCRYPTION_KEY is not the key")
    right = start_web_server(**{**env, "FIELD_ENCRYPTION_KEY": ORIGINAL_KEY})
    assert right.returncode == 0, right.stderr


def test_a_wrong_key_fails_the_system_check_of_every_command(tmp_path):
    """Commands (the task worker, the scheduler, migrate) refuse a wrong key too."""
    database = database_encrypted_with(tmp_path / "portal.sqlite3", ORIGINAL_KEY)
    env = {**PRODUCTION_ENV, "DATABASE_URL": database}
    result = manage("check", **{**env, "FIELD_ENCRYPTION_KEY": OTHER_KEY})
    assert result.returncode == 1
    assert "(security.E001) FIELD_ENCRYPTION_KEY is not the key" in result.stderr


@pytest.mark.django_db
def test_first_start_records_the_key_and_later_starts_compare():
    """The first check records the key; another key is refused from then on."""
    assert not KeyCheck.objects.exists()
    verify_field_encryption_key()
    assert KeyCheck.objects.count() == 1
    verify_field_encryption_key()
    assert check_field_encryption_key() == []
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        with pytest.raises(ImproperlyConfigured, match="^FIELD_ENCRYPTION_KEY"):
            verify_field_encryption_key()
        [error] = check_field_encryption_key()
    assert error.id == "security.E001"
    assert "FIELD_ENCRYPTION_KEY" in error.msg


@pytest.mark.django_db
def test_data_stored_before_the_check_existed_must_decrypt():
    """Without a recorded check, the stored personal data has to read with the key."""
    make_petition(None, phone="13912345678")
    with override_settings(FIELD_ENCRYPTION_KEY=OTHER_KEY):
        with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
            verify_field_encryption_key()
    assert not KeyCheck.objects.exists()
    verify_field_encryption_key()
    assert KeyCheck.objects.count() == 1


INVALID_ID = "110101199003071234"  # the right check character is 3
CHECK_DIGIT_MESSAGE = "its last character does not match"


@pytest.mark.django_db
def test_an_invalid_id_number_is_refused_on_the_public_form(
    demo_site, client, settings
):
    """The web form names the ID field's check-digit error and saves nothing."""
    settings.PETITIONS_MIN_FILL_SECONDS = 0
    response = client.post("/en/petitions/new/other/", form_data(id_number=INVALID_ID))
    assert response.status_code == 200
    assert CHECK_DIGIT_MESSAGE in response.content.decode()
    assert not Petition.objects.exists()


@pytest.mark.django_db
def test_an_invalid_id_number_is_refused_by_the_api(demo_site, client):
    """The API answers 422 naming id_number, in the request's language."""
    response = client.post(
        "/api/v1/petitions",
        {**PAYLOAD, "id_number": INVALID_ID},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    assert CHECK_DIGIT_MESSAGE in response.json()["errors"]["id_number"][0]
    assert not Petition.objects.exists()


@pytest.mark.django_db
def test_an_invalid_id_number_is_refused_at_reception(
    demo_site, staff_client_for, django_user_model
):
    """Reception's registration form refuses it next to the field."""
    from django.contrib.auth.models import Group

    receptionist = django_user_model.objects.create_user("reception-id")
    receptionist.groups.add(Group.objects.get(name="Reception"))
    response = staff_client_for(receptionist).post(
        "/admin/petitions/register/",
        {
            "channel": "visit",
            "category": "other",
            "language": "zh-hans",
            "name": "孙八",
            "id_number": INVALID_ID,
            "subject": "来访",
            "description": "来访咨询。",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert "最后一位校验码不符" in response.content.decode()
    assert not Petition.objects.exists()


@pytest.mark.django_db
def test_workspace_lists_show_id_numbers_masked(otp_client):
    """The staff workspace's list shows 110***********1233, never the number."""
    make_petition(None, id_number=VALID_ID, phone="13812345678")
    page = otp_client.get("/admin/petitions/work/all/").content.decode()
    assert "110***********1233" in page and "138****5678" in page
    assert VALID_ID not in page and "13812345678" not in page
