"""Deadlines count calendar or working days across Chinese holidays correctly."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from petitions.deadlines import add_days, days_between, is_working_day


def test_spring_festival_2026_is_skipped_in_working_days():
    """15 working days from 10 Feb 2026 jump the Spring Festival week."""
    # Working days after 10 Feb: 11, 12, 13, 14 (make-up Saturday), then 24 Feb on.
    assert add_days(date(2026, 2, 10), 4, working=True) == date(2026, 2, 14)
    assert add_days(date(2026, 2, 10), 5, working=True) == date(2026, 2, 24)
    assert add_days(date(2026, 2, 10), 15, working=True) == date(2026, 3, 9)


def test_make_up_saturday_is_a_working_day():
    """28 Feb 2026 is a Saturday worked in lieu of the holiday; 1 Mar is a Sunday."""
    assert is_working_day(date(2026, 2, 28))
    assert not is_working_day(date(2026, 3, 1))
    assert not is_working_day(date(2026, 2, 17))  # the first day of the new year


def test_calendar_period_ending_on_a_holiday_runs_to_the_next_working_day():
    """15 days from 2 Feb 2026 would end on 17 Feb, a holiday: it runs to 24 Feb."""
    assert add_days(date(2026, 2, 2), 15, working=False) == date(2026, 2, 24)
    assert add_days(date(2026, 3, 2), 15, working=False) == date(2026, 3, 17)


def test_years_without_holiday_data_still_count_weekdays():
    """2099 is beyond the holiday table: Monday to Friday count, weekends do not."""
    # 2 Jan 2099 is a Friday.
    assert add_days(date(2099, 1, 2), 1, working=True) == date(2099, 1, 5)


def test_overrides_beat_the_library():
    """An administrator's entry for a newly announced holiday is respected."""
    day_off = {date(2099, 1, 5): False}
    assert add_days(date(2099, 1, 2), 1, working=True, overrides=day_off) == date(
        2099, 1, 6
    )


@given(
    st.dates(min_value=date(2005, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=90),
    st.booleans(),
)
def test_adding_then_counting_gives_back_the_period(start, days, working):
    """Counting the days up to a computed deadline never gives fewer than asked."""
    end = add_days(start, days, working=working)
    assert end > start
    assert days_between(start, end, working=working) >= days
    if working:
        assert days_between(start, end, working=True) == days
        assert is_working_day(end)
