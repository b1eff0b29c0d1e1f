"""Deadline arithmetic: calendar days or working days, with Chinese public holidays.

Working days come from ``chinesecalendar`` (statutory holidays and make-up workdays).
For a year the library does not know yet, weekends are the only days off unless an
override says otherwise, so a deadline is never lost for want of holiday data.
"""

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

import chinese_calendar
from django.utils import timezone

Overrides = Mapping[date, bool]


def day_start(day: date) -> datetime:
    """The first instant of ``day`` in the portal's time zone: a day as a range of
    instants (``received_at >= day_start(day)``) that an index on a time serves."""
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def is_working_day(day: date, overrides: Overrides | None = None) -> bool:
    if overrides and day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def next_working_day(day: date, overrides: Overrides | None = None) -> date:
    """``day`` itself when it is a working day, else the first working day after it."""
    while not is_working_day(day, overrides):
        day += timedelta(days=1)
    return day


def add_days(
    start: date, days: int, *, working: bool, overrides: Overrides | None = None
) -> date:
    """The last day of a period of ``days`` days that begins the day after ``start``.

    Calendar periods that end on a day off run to the next working day, as Chinese
    procedure counts them; working-day periods count only working days.
    """
    if days <= 0:
        return start
    if not working:
        return next_working_day(start + timedelta(days=days), overrides)
    day, counted = start, 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, overrides):
            counted += 1
    return day


def days_between(
    start: date, end: date, *, working: bool, overrides: Overrides | None = None
) -> int:
    """Days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    if not working:
        return (end - start).days
    return sum(
        1
        for offset in range(1, (end - start).days + 1)
        if is_working_day(start + timedelta(days=offset), overrides)
    )


def handling_working_days(received_at, closed_at) -> int:
    """Working days a petition took: those after the day it was received, up to and
    including the day it was closed (local dates; 0 when closed the same day)."""
    from django.utils import timezone

    return days_between(
        timezone.localdate(received_at), timezone.localdate(closed_at), working=True
    )
