"""Tracking numbers and access codes: what a petitioner writes down and types back.

A tracking number reads ``20261123-00042-K``: the day of receipt, that day's sequence,
and a check character (Luhn mod 32 over Crockford's alphabet) that catches a mistyped
or swapped character before any lookup. The number alone opens nothing: the access
code, random and shown once, is required too, and only its keyed hash is stored.
"""

import hashlib
import hmac
import re
import secrets
import uuid
from datetime import date

from django.conf import settings

CHECK_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L look-alikes
ACCESS_CODE_LENGTH = 10
TRACKING_RE = re.compile(r"^(\d{8})-(\d{5})-([0-9A-Z])$")
# Full-width letters and digits (from Chinese input methods) and dash look-alikes.
FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)} | {
    ord("—"): "-",
    ord("–"): "-",
}


def check_character(payload: str) -> str:
    """Luhn mod N over the check alphabet: one character that detects typos."""
    base = len(CHECK_ALPHABET)
    factor, total = 2, 0
    for char in reversed(payload):
        addend = factor * CHECK_ALPHABET.index(char)
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return CHECK_ALPHABET[(base - total % base) % base]


def format_tracking_no(day: date, sequence: int) -> str:
    payload = f"{day:%Y%m%d}{sequence:05d}"
    return f"{day:%Y%m%d}-{sequence:05d}-{check_character(payload)}"


def provisional_tracking_no() -> str:
    """A unique stand-in that a new petition carries inside its own transaction
    until it takes the day's number; nobody else ever sees it."""
    return f"~{uuid.uuid4().hex[:19]}"


def normalize_tracking_no(value: str) -> str:
    """Accept what people type: spaces, lower case, full-width digits and dashes."""
    text = (value or "").strip().upper()
    text = text.translate(FULLWIDTH).replace(" ", "")
    return text


def check_tracking_no(value: str) -> str | None:
    """The normalized number when its form and check character are right, else None."""
    text = normalize_tracking_no(value)
    match = TRACKING_RE.match(text)
    if not match:
        return None
    day, sequence, check = match.groups()
    if check_character(day + sequence) != check:
        return None
    return text


def new_access_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(ACCESS_CODE_LENGTH))


def normalize_access_code(value: str) -> str:
    return (value or "").strip().upper().translate(FULLWIDTH).replace(" ", "")


def hash_access_code(code: str, salt: str) -> str:
    """Keyed, salted hash: a stolen table cannot be brute-forced without the key.

    The code carries about 50 bits of chance and lookups are rate-limited, so a
    keyed HMAC is enough and keeps every lookup cheap under load.
    """
    key = hashlib.sha256(b"access-code:" + settings.SECRET_KEY.encode()).digest()
    message = f"{salt}:{normalize_access_code(code)}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def new_access_code_hash(code: str) -> str:
    salt = secrets.token_hex(8)
    return f"{salt}${hash_access_code(code, salt)}"


def access_code_matches(code: str, stored: str) -> bool:
    """Compare in constant time; a missing record is compared against a dummy too."""
    salt, _, expected = (stored or "0$").partition("$")
    return hmac.compare_digest(hash_access_code(code, salt), expected)
