"""Case numbers and phone numbers are understood as people type them, or refused."""

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from petitions.validators import check_case_number, check_phone


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("（2023）浙1003执123号", "（2023）浙1003执123号"),
        ("(2023)浙1003执123号", "（2023）浙1003执123号"),
        ("（２０２３）浙１００３执１２３号", "（2023）浙1003执123号"),
        ("（2021）最高法民终45号", "（2021）最高法民终45号"),
        ("（2024）京02民初7号", "（2024）京02民初7号"),
    ],
)
def test_case_numbers_in_either_bracket_are_accepted(typed, stored):
    """Half-width or full-width brackets and digits all give the court's form."""
    assert check_case_number(typed) == stored


@pytest.mark.parametrize(
    "typed",
    ["2023浙1003执123号", "（23）浙1003执123号", "（2023）浙1003执号", "abc", ""],
)
def test_malformed_case_numbers_are_refused_with_an_example(typed):
    """A wrong case number is refused with a message showing the expected form."""
    with pytest.raises(ValidationError) as error:
        check_case_number(typed)
    assert "（2023）浙1003执123号" in str(error.value)


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("13812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0571-87654321", "0571-87654321"),
        ("(0571) 87654321", "057187654321"),
    ],
)
def test_mobile_and_landline_numbers(typed, stored):
    """Mobiles and landlines with area code are accepted as people write them."""
    assert check_phone(typed) == stored


def test_hotlines_only_where_allowed():
    """A short hotline is a valid channel number but not a petitioner's phone."""
    assert check_phone("12348", allow_service_numbers=True) == "12348"
    with pytest.raises(ValidationError):
        check_phone("12348")


@given(st.text(max_size=60))
def test_validators_never_raise_anything_but_validation_errors(text):
    """Arbitrary input gives a value or a ValidationError, nothing else."""
    for check in (check_case_number, check_phone):
        try:
            check(text)
        except ValidationError:
            pass
