"""Each dashboard figure matches a value counted by hand on a small fixed register."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from petitions import actions, figures
from petitions.models import Petition, Unit
from petitions.workflow import Role, Status
from portal.tasks import refresh_planner_statistics

from .dashboard_fixtures import MARCH, TODAY, register_fixture  # noqa: F401
from .loop_fixtures import make_petition, member


def test_headline_figures_match_the_hand_count(register):
    """Received 4, closed 3 (2 on time), averages and rates as counted by hand."""
    got = figures.compute(Petition.objects.all(), MARCH, today=TODAY).headline
    assert got["received"] == 4
    assert got["answered"] == 1
    assert got["accepted"] == 1
    assert got["not_accepted"] == 1
    assert got["closed"] == 3
    assert got["on_time"] == 2
    assert got["late"] == 1
    assert got["on_time_rate"] == 66.7
    assert got["average_days"] == 14.4  # (10 + 0.125 + 33) / 3
    assert got["median_days"] == 10.0
    assert got["average_working_days"] == 9.3  # (8 + 0 + 20) / 3
    assert got["median_working_days"] == 8.0
    assert got["extended"] == 1
    assert got["transferred"] == 1
    assert got["supervised"] == 1
    assert got["reopened"] == 1
    assert got["reopened_rate"] == 33.3
    assert got["open"] == 3
    assert got["due_soon"] == 1
    assert got["overdue"] == 1
    assert got["supervision_open"] == 1
    assert got["supervision_overdue"] == 1
    assert got["rated"] == 2
    assert got["satisfied_rate"] == 50.0
    assert got["repeat"] == 1
    assert got["repeat_rate"] == 25.0
    assert got["answered_rate"] == 25.0
    assert got["followed_up"] == 1


def test_outcomes_and_satisfaction_splits(register):
    """Closed by outcome; petitioners' ratings and follow-up calls split by verdict."""
    got = figures.compute(Petition.objects.all(), MARCH, today=TODAY)
    assert {row["key"]: row["count"] for row in got.by_outcome if row["count"]} == {
        "resolved": 1,
        "partly": 1,
    }
    assert got.satisfaction["satisfied"] == {"count": 1, "share": 50.0}
    assert got.satisfaction["not_satisfied"] == {"count": 1, "share": 50.0}
    assert got.follow_ups["satisfied"] == {"count": 1, "share": 100.0}
    listed = figures.petitions_behind(
        "outcome", Petition.objects.all(), MARCH, TODAY, "partly"
    )
    assert [p.tracking_no for p in listed] == ["T4"]


def test_breakdowns_and_trend(register):
    """By channel, top-level category and top-level unit; weekly received vs closed."""
    got = figures.compute(Petition.objects.all(), MARCH, today=TODAY)
    assert {row["key"]: row["count"] for row in got.by_channel} == {
        "web": 2,
        "phone": 1,
        "visit": 1,
    }
    assert {row["node"].code: row["count"] for row in got.by_category} == {
        "enforcement": 2,
        "legal-consultation": 2,
    }
    assert {row["node"].code: row["count"] for row in got.by_unit} == {
        "jn-high": 3,
        "jn-justice": 1,
    }
    trend = {row["start"]: (row["received"], row["closed"]) for row in got.trend}
    assert trend == {
        date(2026, 2, 23): (0, 0),
        date(2026, 3, 2): (3, 1),
        date(2026, 3, 9): (0, 2),
        date(2026, 3, 16): (1, 0),
        date(2026, 3, 23): (0, 0),
        date(2026, 3, 30): (0, 0),
    }
    assert [p.tracking_no for p in got.overdue] == ["T2"]


def test_unit_subtree_narrows_every_figure(register):
    """The city court's subtree: its own and both district courts, not the bureau."""
    city = Unit.objects.get(code="jn-city")
    got = figures.compute(Petition.objects.all(), MARCH, today=TODAY, unit=city)
    assert got.headline["received"] == 3
    assert got.headline["closed"] == 2
    assert got.headline["answered"] == 0
    assert {row["node"].code: row["count"] for row in got.by_unit} == {
        "jn-east": 2,
        "jn-west": 1,
        "jn-city": 0,  # its own P4: received in February, open now
    }


def test_every_figure_lists_the_petitions_it_counts(register):
    """The drill-down list of a figure has as many petitions as the figure says,
    headline, breakdown and split alike."""
    base = Petition.objects.all()
    got = figures.compute(base, MARCH, today=TODAY)
    for key in [
        "received",
        "answered",
        "accepted",
        "not_accepted",
        "closed",
        "on_time",
        "late",
        "open",
        "due_soon",
        "overdue",
        "extended",
        "transferred",
        "reopened",
        "repeat",
        "rated",
        "supervised",
        "followed_up",
        "supervision_open",
        "supervision_overdue",
    ]:
        listed = figures.petitions_behind(key, base, MARCH, TODAY)
        assert listed.count() == got.headline[key] > 0, key
    for key, rows in (("channel", got.by_channel), ("category", got.by_category)):
        assert len(rows) > 1, key
        for row in rows:
            listed = figures.petitions_behind(key, base, MARCH, TODAY, row["key"])
            assert listed.count() == row["count"], (key, row["key"])
    for key, split in (("rated", got.satisfaction), ("followed_up", got.follow_ups)):
        for verdict, counted in split.items():
            listed = figures.petitions_behind(key, base, MARCH, TODAY, verdict)
            assert listed.count() == counted["count"], (key, verdict)
    city = Unit.objects.get(code="jn-city")
    assert figures.petitions_behind("unit", base, MARCH, TODAY, city.path).count() == 3
    assert [
        p.tracking_no for p in figures.petitions_behind("late", base, MARCH, TODAY)
    ] == ["T4"]


def test_units_compared_side_by_side(register):
    """Per top unit: received, open, overdue, on-time rate, days, satisfaction."""
    got = figures.compute(Petition.objects.all(), MARCH, today=TODAY)
    compared = {row["node"].code: row for row in got.by_unit}
    high, justice = compared["jn-high"], compared["jn-justice"]
    assert (high["count"], high["open"], high["overdue"]) == (3, 3, 1)
    assert (high["closed"], high["on_time_rate"], high["average_days"]) == (
        2,
        50.0,
        21.5,  # (10 + 33) / 2
    )
    assert (high["rated"], high["satisfied_rate"]) == (1, 100.0)
    assert (justice["count"], justice["open"], justice["overdue"]) == (1, 0, 0)
    assert (justice["on_time_rate"], justice["average_days"]) == (100.0, 0.1)
    assert justice["satisfied_rate"] == 0.0


def test_closing_stores_the_working_days_taken(db, django_user_model):
    """Received the day before National Day 2025, closed on 9 October: nine
    calendar days, one working day (1–8 October are holidays)."""
    unit = Unit.add_root(code="wd-unit", name="工作日法院")
    handler = member(django_user_model, "wd-handler", unit, Role.HANDLER)
    zone = ZoneInfo("Asia/Shanghai")
    petition = make_petition(
        unit,
        status=Status.REPLIED,
        received_at=datetime(2025, 9, 30, 10, tzinfo=zone),
    )
    with freeze_time("2025-10-09 15:00:00+08:00"):
        actions.close(petition, "resolved", actor=handler)
    petition.refresh_from_db()
    assert petition.status == Status.CLOSED
    assert petition.handling_working_days == 1


def test_an_empty_period_gives_zeros(register):
    """A year without petitions: zeros and no rates, nothing breaks."""
    empty = figures.Period(date(2020, 1, 1), date(2020, 12, 31), "month", "custom")
    got = figures.compute(Petition.objects.all(), empty, today=TODAY)
    assert got.headline["received"] == 0
    assert got.headline["on_time_rate"] is None
    assert got.headline["median_days"] is None
    assert len(got.trend) == 12
    assert all(row["received"] == row["closed"] == 0 for row in got.trend)


def test_query_count_is_bounded(register, django_assert_max_num_queries):
    """The whole dashboard's figures take a fixed, small number of queries."""
    with django_assert_max_num_queries(20):
        figures.compute(Petition.objects.all(), MARCH, today=TODAY)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"period": "week"}, (date(2026, 3, 16), date(2026, 3, 22))),
        ({"period": "month"}, (date(2026, 3, 1), date(2026, 3, 31))),
        ({"period": "year"}, (date(2026, 1, 1), date(2026, 12, 31))),
        ({"period": "12m"}, (date(2025, 4, 1), date(2026, 3, 31))),
        (
            {"from": "2026-01-05", "to": "2026-02-01"},
            (date(2026, 1, 5), date(2026, 2, 1)),
        ),
    ],
)
def test_periods_read_from_the_url(params, expected):
    period = figures.check_period(params, TODAY)
    assert (period.start, period.end) == expected


@pytest.mark.parametrize(
    "params",
    [
        {"period": "decade"},
        {"from": "2026-13-01", "to": "2026-12-31"},
        {"from": "2026-02-01", "to": "2026-01-01"},
        {"from": "2026-02-01"},
        {"from": "2010-01-01", "to": "2026-01-01"},
    ],
)
def test_bad_periods_are_refused_with_a_reason(params):
    with pytest.raises(figures.BadPeriod) as refusal:
        figures.check_period(params, TODAY)
    assert str(refusal.value)


def test_demo_history_fills_the_dashboard_once(db):
    """A year of synthetic petitions: figures come alive; seeding again adds none."""
    import io

    from petitions import demo, demo_history

    demo.seed(io.StringIO())
    assert demo_history.seed_history(300) == 300
    assert demo_history.seed_history(300) == 0
    assert Petition.objects.count() == 300
    today = date.today()
    year = figures.check_period({"period": "12m"}, today)
    got = figures.compute(Petition.objects.all(), year, today=today).headline
    assert got["received"] > 200
    assert 0 < got["closed"] < got["received"] + 50
    assert got["on_time_rate"] is not None and got["rated"] > 0
    assert 0 < got["average_working_days"] < got["average_days"]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics"
)
def test_figures_read_their_indexes_once_sqlite_has_statistics(register):
    """After the daily statistics task, no figure reads a petition's wide row (each
    one a walk through the overflow pages of its description): what came in and
    what a closure needs are read from covering indexes. (The overdue list shows
    twenty whole rows; it is not a figure.)"""
    refresh_planner_statistics.call()
    with CaptureQueriesContext(connection) as queries:
        figures.compute(Petition.objects.all(), MARCH, today=TODAY)
    plans = {}
    with connection.cursor() as cursor:
        for query in queries:
            if '"petitions_petition"."description"' in query["sql"]:
                continue  # the overdue list
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plans[query["sql"]] = " | ".join(row[-1] for row in cursor.fetchall())
    reads_rows = [
        plan
        for plan in plans.values()
        if "SCAN petitions_petition" in plan
        or "SEARCH petitions_petition USING INTEGER PRIMARY KEY" in plan
        or "SEARCH petitions_petition USING INDEX" in plan
    ]
    assert not reads_rows, reads_rows
    assert any("COVERING INDEX petition_closure_figures" in p for p in plans.values())
