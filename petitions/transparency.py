"""The public transparency page: anonymous totals, on-time and satisfaction rates.

Figures cover the last twelve complete months, per month and per top-level
category. No count below ``THRESHOLD`` is shown (it could point at a person), and
when a single cell of a table would be hidden, the next smallest is hidden too, so
the hidden one cannot be worked out from a total. A rate is shown only when at
least ``THRESHOLD`` cases are on each side of it (on time and late, satisfied and
not): 80 % of 5 would tell that exactly one was late, and 100 % that every
petitioner of the group was satisfied.

The figures are computed by a scheduled task and kept in the cache; a page view
computes them only when the cache is empty.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.shortcuts import render
from django.utils import timezone
from django_tasks import task

from .figures import (
    ON_TIME,
    SATISFIED,
    STEPLEN,
    Period,
    add_months,
    bucket_counts,
    closure_annotations,
)
from .models import Category, Event, Petition, Rating, in_english
from .workflow import Action

THRESHOLD = 5
CACHE_SECONDS = 2 * 24 * 3600


def last_twelve_months(today: date) -> Period:
    first = add_months(today.replace(day=1), -12)
    return Period(first, today.replace(day=1) - timedelta(days=1), "month", "12m")


def cache_key(period: Period) -> str:
    return f"transparency:v1:{period.start:%Y%m}"


def suppressed(counts: list[int]) -> list[int | None]:
    """The counts with every one below THRESHOLD hidden (None); if that hides just
    one, the smallest other is hidden too, so no total gives the hidden one away."""
    hidden = {i for i, n in enumerate(counts) if n < THRESHOLD}
    if len(hidden) == 1 and len(counts) > 1:
        others = sorted((n, i) for i, n in enumerate(counts) if i not in hidden)
        hidden.add(others[0][1])
    return [None if i in hidden else n for i, n in enumerate(counts)]


def rate(part: int, whole: int) -> int | None:
    """A whole percentage, or None unless both ``part`` and the rest of ``whole``
    are at least THRESHOLD (a small complement points at people as surely as a
    small count)."""
    if part < THRESHOLD or whole - part < THRESHOLD:
        return None
    return round(100 * part / whole)


def compute(period: Period) -> dict:
    """Plain data (cacheable): months and categories with counts and rates."""
    start, end = period.bounds
    received = Petition.objects.filter(received_at__gte=start, received_at__lt=end)
    closures = Event.objects.filter(
        action=Action.CLOSE, created_at__gte=start, created_at__lt=end
    ).annotate(**closure_annotations())
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    months = period.buckets()
    closing = {"n": Q(), "on_time": ON_TIME}
    rated = {"n": Q(), "ok": Q(verdict__in=SATISFIED)}

    def monthly(queryset, column, measures):
        rows = bucket_counts(queryset, column, months, "month", measures)
        return dict(zip(months, rows, strict=True))

    def by_category(queryset, relation, measures):
        rows = (
            queryset.annotate(group=Substr(f"{relation}category__path", 1, STEPLEN))
            .values("group")
            .annotate(**{name: Count("pk", filter=q) for name, q in measures.items()})
        )
        return {row.pop("group"): row for row in rows}

    month_in = monthly(received, "received_at", {"n": Q()})
    month_out = monthly(closures, "created_at", closing)
    month_rated = monthly(ratings, "created_at", rated)
    cat_in = by_category(received, "", {"n": Q()})
    cat_out = by_category(closures, "petition__", closing)
    cat_rated = by_category(ratings, "petition__", rated)
    tops = Category.objects.filter(depth=1).order_by("path")
    categories = list(tops.values("path", "name", "name_en"))
    empty = {"n": 0, "on_time": 0, "ok": 0}
    return {
        "start": period.start,
        "end": period.end,
        "computed_at": timezone.now(),
        "months": _rows(months, month_in, month_out, month_rated, empty),
        "categories": [
            {**row, "name": category["name"], "name_en": category["name_en"]}
            for row, category in zip(
                _rows(
                    [c["path"] for c in categories], cat_in, cat_out, cat_rated, empty
                ),
                categories,
                strict=True,
            )
        ],
    }


def _rows(keys, came, went, rated, empty) -> list[dict]:
    received = suppressed([came.get(key, empty)["n"] for key in keys])
    closed = suppressed([went.get(key, empty)["n"] for key in keys])
    rows = []
    for index, key in enumerate(keys):
        out, verdicts = went.get(key, empty), rated.get(key, empty)
        rows.append(
            {
                "key": key,
                "received": received[index],
                "closed": closed[index],
                "on_time_rate": rate(out["on_time"], out["n"]),
                "satisfied_rate": rate(verdicts["ok"], verdicts["n"]),
            }
        )
    return rows


def figures(today: date | None = None) -> dict:
    """The cached figures; computed (and cached) when the task has not run yet."""
    period = last_twelve_months(today or timezone.localdate())
    data = cache.get(cache_key(period))
    if data is None:
        data = compute(period)
        cache.set(cache_key(period), data, CACHE_SECONDS)
    return data


@task()
def refresh_transparency() -> str:
    """The scheduler's refresh: new figures replace the cached ones."""
    period = last_twelve_months(timezone.localdate())
    cache.set(cache_key(period), compute(period), CACHE_SECONDS)
    return f"{period.start}/{period.end}"


def transparency_page(request):
    """/transparency/ and /en/transparency/: open to everyone, no personal data."""
    data = figures()
    english = in_english()
    categories = [
        {**row, "label": row["name_en"] if english and row["name_en"] else row["name"]}
        for row in data["categories"]
    ]
    return render(
        request,
        "petitions/transparency.html",
        {"data": data, "categories": categories, "threshold": THRESHOLD},
    )
