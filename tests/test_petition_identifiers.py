"""Tracking numbers catch typos; access codes are unambiguous and stored hashed."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from petitions.identifiers import (
    CHECK_ALPHABET,
    CODE_ALPHABET,
    access_code_matches,
    check_tracking_no,
    format_tracking_no,
    new_access_code,
    new_access_code_hash,
)

days = st.dates(min_value=date(2020, 1, 1), max_value=date(2099, 12, 31))
sequences = st.integers(min_value=1, max_value=99999)


@given(days, sequences)
def test_every_issued_number_checks(day, sequence):
    """A number the portal issues is always accepted back."""
    number = format_tracking_no(day, sequence)
    assert check_tracking_no(number) == number


@given(days, sequences, st.data())
def test_one_mistyped_character_is_caught(day, sequence, data):
    """Changing any one character of the number makes it invalid."""
    number = format_tracking_no(day, sequence)
    positions = [i for i, char in enumerate(number) if char != "-"]
    position = data.draw(st.sampled_from(positions))
    replacement = data.draw(
        st.sampled_from([c for c in CHECK_ALPHABET if c != number[position]])
    )
    typo = number[:position] + replacement + number[position + 1 :]
    assert check_tracking_no(typo) is None


@given(days, sequences, st.data())
def test_two_swapped_neighbours_are_caught(day, sequence, data):
    """Swapping two different adjacent digits makes the number invalid."""
    number = format_tracking_no(day, sequence)
    digits = number.replace("-", "")
    pairs = [i for i in range(len(digits) - 2) if digits[i] != digits[i + 1]]
    if not pairs:
        return
    i = data.draw(st.sampled_from(pairs))
    swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
    typo = f"{swapped[:8]}-{swapped[8:13]}-{digits[-1]}"
    assert check_tracking_no(typo) is None


def test_numbers_typed_loosely_are_understood():
    """Lower case, spaces and full-width characters from a phone still match."""
    number = format_tracking_no(date(2026, 11, 23), 42)
    loose = " " + number.lower().replace("-", "－") + " "
    assert check_tracking_no(loose) == number


@given(st.text(max_size=40))
def test_garbage_is_refused_without_error(text):
    """Any input is either a valid number or None, never an exception."""
    result = check_tracking_no(text)
    assert result is None or result == check_tracking_no(result)


def test_access_codes_are_long_unambiguous_and_hashed():
    """Codes avoid look-alike characters; only a salted hash is kept, and it matches."""
    code = new_access_code()
    assert len(code) >= 8 and set(code) <= set(CODE_ALPHABET)
    assert not set(code) & set("01OIL")
    stored = new_access_code_hash(code)
    assert code not in stored
    assert access_code_matches(code.lower(), stored)
    assert not access_code_matches(new_access_code(), stored)
    assert new_access_code_hash(code) != stored  # salted


def test_missing_record_compares_safely():
    """A lookup without a stored hash fails cleanly rather than raising."""
    assert not access_code_matches("ABCDEFGH23", "")
