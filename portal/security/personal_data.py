"""Masking and validation of petitioners' identifiers (national ID, phone)."""

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
ID_PATTERN = re.compile(r"^\d{17}[\dX]$")


def _mask(value: str, keep_start: int, keep_end: int) -> str:
    value = str(value or "")
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    hidden = len(value) - keep_start - keep_end
    return value[:keep_start] + "*" * hidden + value[len(value) - keep_end :]


def mask_id_number(value: str) -> str:
    """'110101199003071234' -> '110***********1234': region and last four only."""
    return _mask(normalise_id_number(value), 3, 4)


def mask_phone(value: str) -> str:
    """'13812345678' -> '138****5678'."""
    return _mask(re.sub(r"[\s-]", "", str(value or "")), 3, 4)


def normalise_id_number(value: str) -> str:
    """Upper-case X, no spaces: the form stored, hashed and compared."""
    return re.sub(r"\s", "", str(value or "")).upper()


def id_check_char(first_17: str) -> str:
    total = sum(
        int(digit) * weight for digit, weight in zip(first_17, ID_WEIGHTS, strict=True)
    )
    return ID_CHECK_CHARS[total % 11]


@deconstructible
class NationalIdValidator:
    """GB 11643-1999: 17 digits and a check character, with a real birth date."""

    def __call__(self, value):
        number = normalise_id_number(value)
        if not ID_PATTERN.match(number):
            raise ValidationError(
                _(
                    "A national ID number has 18 characters: 17 digits followed by "
                    "a digit or X."
                ),
                code="id_format",
            )
        try:
            birth = datetime.date(
                int(number[6:10]), int(number[10:12]), int(number[12:14])
            )
        except ValueError:
            birth = None
        if birth is None or birth.year < 1900 or birth > datetime.date.today():
            raise ValidationError(
                _("The birth date in this national ID number is not a real date."),
                code="id_birth_date",
            )
        if id_check_char(number[:17]) != number[17]:
            raise ValidationError(
                _(
                    "This national ID number is not valid: its last character does "
                    "not match. Check it for typing mistakes."
                ),
                code="id_check_digit",
            )

    def __eq__(self, other):
        return isinstance(other, NationalIdValidator)


validate_national_id = NationalIdValidator()
