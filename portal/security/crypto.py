"""Personal data at rest: an encrypted model field and a keyed hash for lookups.

Both keys are derived from FIELD_ENCRYPTION_KEY with HKDF, one per purpose, so the
lookup hash never reveals anything about the encryption key and vice versa.
Encryption is AES-256-GCM with a random 96-bit nonce per value: the same number
encrypts differently each time, so exact-match search uses `keyed_hash` instead.
"""

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gcm1:"
NONCE_BYTES = 12


class DecryptionError(Exception):
    """A stored value could not be decrypted: wrong key, or the value was altered."""


@lru_cache(maxsize=8)
def _derived_key(secret: str, purpose: bytes) -> bytes:
    if not secret:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY is not set")
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"portal:" + purpose
    ).derive(secret.encode("utf-8"))


def _key(purpose: bytes) -> bytes:
    return _derived_key(settings.FIELD_ENCRYPTION_KEY, purpose)


FIELD_ENCRYPTION = b"field-encryption"


def encrypt(plaintext: str, purpose: bytes = FIELD_ENCRYPTION) -> str:
    """Seal a value; `purpose` picks the derived key (one per use of the cipher)."""
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(_key(purpose)).encrypt(nonce, plaintext.encode("utf-8"), None)
    return PREFIX + base64.urlsafe_b64encode(nonce + sealed).decode("ascii")


def decrypt(token: str, purpose: bytes = FIELD_ENCRYPTION) -> str:
    if not token.startswith(PREFIX):
        raise DecryptionError("value is not an encrypted field value")
    try:
        raw = base64.urlsafe_b64decode(token[len(PREFIX) :].encode("ascii"))
        plain = AESGCM(_key(purpose)).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], None
        )
    except (InvalidTag, ValueError) as error:
        raise DecryptionError("cannot decrypt: wrong key or altered value") from error
    return plain.decode("utf-8")


def keyed_digest(message: str, purpose: bytes) -> str:
    """HMAC-SHA256 under the key derived for `purpose`, as 64 hex digits."""
    return hmac.new(_key(purpose), message.encode("utf-8"), hashlib.sha256).hexdigest()


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of a normalised value, for exact-match lookup of encrypted data.

    Normalise first (e.g. `normalise_id_number`) so that equal values hash equally.
    """
    return keyed_digest(str(value), b"lookup-hash")


def key_check_digest() -> str:
    """A value that tells the configured key from any other, revealing nothing.

    Stored once per database (`keycheck`), compared at every start.
    """
    return keyed_digest("portal field encryption key check", b"key-check")


class EncryptedTextField(models.TextField):
    """Text stored encrypted (AES-GCM); Python code sees the plain value.

    Store a `keyed_hash` alongside in an indexed column when you need to find rows
    by the value; this column cannot be filtered or ordered meaningfully.
    """

    description = "Text encrypted at rest with FIELD_ENCRYPTION_KEY"

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
