"""The public sees monthly and per-category totals and rates, never a count below 5."""

import html as entities
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from petitions import transparency
from petitions.models import Category, Event, Petition, Rating, Unit
from petitions.workflow import Action

from .dashboard_fixtures import register_fixture  # noqa: F401

ZONE = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("counts", "shown"),
    [
        ([0, 7, 3, 9], [None, 7, None, 9]),
        ([7, 3, 9], [None, None, 9]),  # one hidden alone could be worked out
        ([12, 5, 9], [12, 5, 9]),
        ([1], [None]),
    ],
)
def test_small_counts_are_hidden(counts, shown):
    assert transparency.suppressed(counts) == shown


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (4, 5, None),  # 80 %: the one late case would be known
        (13, 13, None),  # 100 %: every case is known to be on time
        (10, 14, None),  # four late: too few on that side
        (5, 10, 50),
        (9, 14, 64),
        (0, 0, None),
    ],
)
def test_a_rate_needs_five_cases_on_each_side(part, whole, shown):
    """A rate is shown only when both the count and its complement reach 5."""
    assert transparency.rate(part, whole) == shown


@pytest.fixture
def january(register):
    """Thirteen enforcement requests in January 2026, closed: seven on time, six
    late; twelve rated, seven of them satisfied."""
    category = Category.objects.get(code="enforcement")
    unit = Unit.objects.get(code="jn-city")
    for number in range(13):
        received = datetime(2026, 1, 6 + number, 9, tzinfo=ZONE)
        petition = Petition.objects.create(
            tracking_no=f"J{number}",
            access_code_hash="x",
            category=category,
            unit=unit,
            subject="s",
            description="d",
            consent_at=received,
            privacy_notice_version="1",
            received_at=received,
            status="closed",
            accept_by=date(2026, 2, 28) if number < 7 else date(2026, 1, 20),
        )
        Event.objects.create(
            petition=petition,
            actor_role="handler",
            action=Action.CLOSE,
            to_status="closed",
            created_at=datetime(2026, 1, 25, 9, tzinfo=ZONE),
        )
        if number < 12:
            Rating.objects.create(
                petition=petition,
                verdict="satisfied" if number < 7 else "not_satisfied",
                created_at=datetime(2026, 1, 26, 9, tzinfo=ZONE),
            )


def cells(html: str) -> list[str]:
    return [
        entities.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
        for cell in re.findall(r"<td>(.*?)</td>", html, flags=re.S)
    ]


def row(html: str, header: str) -> list[str]:
    part = html.split(f'<th scope="row">{header}</th>', 1)[1].split("</tr>")[0]
    return cells(part)


@pytest.mark.usefixtures("january")
def test_public_page_never_shows_a_count_below_five(client, demo_site):
    """Every cell is '<5', '—', a rate, or a count of at least 5 — in both languages."""
    import portal.urls  # noqa: F401  (built before time stops)

    with freeze_time("2026-04-10 10:00:00+08:00"):
        zh = client.get("/transparency/").content.decode()
        en = client.get("/en/transparency/").content.decode()
    for html in (zh, en):
        found = cells(html)
        assert found
        for cell in found:
            assert cell in {"<5", "—"} or cell.endswith("%") or int(cell) >= 5, cell
    # January: 14 received (13 + the withdrawn one), 13 closed, 7 on time and 6
    # late, 7 of 12 rated satisfied.
    assert row(en, "2026-01") == ["14", "13", "54%", "58%"]
    assert row(en, "2026-03") == ["<5", "<5", "—", "—"]
    assert row(en, "Enforcement")[0] == "16"  # 13 + P1, P2 and P4
    assert row(zh, "执行")[0] == "16"
    assert "两侧均不少于 5 件" in zh and "某一侧件数过少" in zh
    assert row(en, "Other")[0] == "<5"
    assert "Handling in figures" in en


@pytest.mark.usefixtures("january")
def test_figures_come_from_the_cache_until_the_task_refreshes_them(
    client, demo_site, django_assert_max_num_queries
):
    import portal.urls  # noqa: F401

    with freeze_time("2026-04-10 10:00:00+08:00"):
        client.get("/en/transparency/")
        Petition.objects.filter(tracking_no__startswith="J").delete()
        with django_assert_max_num_queries(3):
            cached = client.get("/en/transparency/").content.decode()
        assert row(cached, "2026-01")[0] == "14"
        transparency.refresh_transparency.call()
        fresh = client.get("/en/transparency/").content.decode()
    assert row(fresh, "2026-01")[0] == "<5"


def test_the_footer_links_to_the_figures(client, demo_site):
    assert 'href="/en/transparency/"' in client.get("/en/").content.decode()


def test_the_task_is_scheduled(settings):
    assert "petitions.transparency.refresh_transparency" in settings.PERIODIC_TASKS
