"""Field checks that give editors a message they can act on before publishing."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Numbers as the public dials them in China: five-digit service numbers (12348),
# 400/800 numbers, landlines with area code (0571-87654321, extension allowed) and
# mobiles (13812345678); an optional +86 in front of the last two.
PHONE_PATTERN = re.compile(
    r"^(?:"
    r"1\d{4}|9\d{4}"  # national service numbers: 12348, 12315, 96110
    r"|[48]00-?\d{3}-?\d{4}"  # 400 / 800
    r"|(?:\+86[ -]?)?0\d{2,3}-?\d{7,8}(?:-\d{1,6})?"  # landline
    r"|(?:\+86[ -]?)?1[3-9]\d{9}"  # mobile
    r")$"
)


def validate_phone(value: str) -> None:
    """Accept the formats the public can dial; reject anything else with an example."""
    if not PHONE_PATTERN.match(value.strip()):
        raise ValidationError(
            _(
                "Enter a phone number the public can dial, for example 12348, "
                "0571-87654321 or 13812345678."
            ),
            code="invalid_phone",
        )
