"""Validators for what petitioners and staff type: court case numbers and phone numbers.

Each ``check_*`` function returns the normalized value or raises ValidationError with
a message in the reader's language.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PROVINCES = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
# （2023）浙1003执123号: year, court code, case type, sequence. Either kind of bracket.
CASE_NUMBER_RE = re.compile(
    r"^\((?P<year>(19|20)\d{2})\)"
    rf"(?P<court>最高法|[{PROVINCES}]\d{{0,4}})"
    r"(?P<kind>[\u4e00-\u9fff]{1,4})"
    r"(?P<seq>\d{1,6})号$"
)
MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE_RE = re.compile(r"^0\d{2,3}-?\d{7,8}(-\d{1,6})?$")
SERVICE_NUMBER_RE = re.compile(r"^(1\d{4}|400-?\d{3}-?\d{4}|9\d{4})$")


def fold_width(text: str) -> str:
    """Full-width digits, letters and brackets to their ASCII forms."""
    return "".join(
        chr(ord(char) - 0xFEE0) if 0xFF01 <= ord(char) <= 0xFF5E else char
        for char in text
    )


def check_case_number(value: str) -> str:
    """A Chinese court case number such as （2023）浙1003执123号."""
    text = fold_width((value or "").strip()).replace(" ", "")
    if not CASE_NUMBER_RE.match(text):
        raise ValidationError(
            _("Enter a case number like （2023）浙1003执123号."), code="case_number"
        )
    # Keep the form courts print: full-width brackets.
    return text.replace("(", "（").replace(")", "）")


def check_phone(value: str, *, allow_service_numbers: bool = False) -> str:
    """A mainland mobile or landline number; hotlines like 12348 when allowed."""
    text = fold_width((value or "").strip())
    text = re.sub(r"[\s()]", "", text).removeprefix("+86").removeprefix("0086")
    valid = MOBILE_RE.match(text) or LANDLINE_RE.match(text)
    if allow_service_numbers:
        valid = valid or SERVICE_NUMBER_RE.match(text)
    if not valid:
        raise ValidationError(
            _("Enter a mobile number (11 digits) or a landline with its area code."),
            code="phone",
        )
    return text
