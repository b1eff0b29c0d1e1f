"""Identity and phone numbers: encrypted at rest, hashed for lookup, masked, checked."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import translation

from portal.security.crypto import (
    DecryptionError,
    EncryptedTextField,
    decrypt,
    encrypt,
    keyed_hash,
)
from portal.security.personal_data import (
    mask_id_number,
    mask_phone,
    normalise_id_number,
    validate_national_id,
)

from .test_settings import PRODUCTION_ENV, manage

VALID_ID = "110101199003071233"
VALID_ID_WITH_X = "11010519491231002X"


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
