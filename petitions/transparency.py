"""The public transparency page: anonymous totals, on-time and satisfaction rates.

Figures cover the last twelve complete months, per month and per top-level
category. No count below ``THRESHOLD`` is shown (it could point at a person), and
when a single cell of a table would be hidden, the next smallest is hidden too, so
the hidden one cannot be worked out from a total. Rates are shown only over at
least ``THRESHOLD`` cases.

The figures are computed by a scheduled task and kept in the cache; a page view
computes them only when the cache is empty.
"""

from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, DateField, ExpressionWrapper, F, Q
from django.db.models.functions import Coalesce, Substr, TruncDate, TruncMonth
from django.shortcuts import render
from django.utils import timezone
from django_tasks import task

from .figures import STEPLEN, Period, _as_date, add_months
from .models import Category, Event, Petition, Rating, in_english
from .workflow import Action

THRESHOLD = 5
CACHE_SECONDS = 2 * 24 * 3600
SATISFIED = (Rating.Verdict.SATISFIED, Rating.Verdict.BASICALLY)


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
    """A whole percentage, or None over fewer than THRESHOLD cases."""
    return round(100 * part / whole) if whole >= THRESHOLD else None


def compute(period: Period) -> dict:
    """Plain data (cacheable): months and categories with counts and rates."""
    start, end = period.bounds
    zone = timezone.get_current_timezone()
    received = Petition.objects.filter(received_at__gte=start, received_at__lt=end)
    closures = Event.objects.filter(
        action=Action.CLOSE, created_at__gte=start, created_at__lt=end
    ).annotate(
        closed_on=TruncDate("created_at"),
        deadline=ExpressionWrapper(
            Coalesce(F("petition__due_at"), F("petition__accept_by")),
            output_field=DateField(),
        ),
    )
    on_time = Q(deadline__isnull=True) | Q(closed_on__lte=F("deadline"))
    ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
    satisfied = Q(verdict__in=SATISFIED)

    def grouped(queryset, by, **counts):
        rows = queryset.annotate(group=by).values("group").annotate(**counts)
        return {row.pop("group"): row for row in rows}

    def by_month(column):
        return TruncMonth(column, tzinfo=zone)

    def by_category(relation):
        return Substr(f"{relation}category__path", 1, STEPLEN)

    month_in = grouped(received, by_month("received_at"), n=Count("pk"))
    month_out = grouped(
        closures,
        by_month("created_at"),
        n=Count("pk"),
        on_time=Count("pk", filter=on_time),
    )
    rated = {"n": Count("pk"), "ok": Count("pk", filter=satisfied)}
    month_rated = grouped(ratings, by_month("created_at"), **rated)
    month_in, month_out, month_rated = (
        {_as_date(key): row for key, row in table.items()}
        for table in (month_in, month_out, month_rated)
    )
    cat_in = grouped(received, by_category(""), n=Count("pk"))
    cat_out = grouped(
        closures,
        by_category("petition__"),
        n=Count("pk"),
        on_time=Count("pk", filter=on_time),
    )
    cat_rated = grouped(ratings, by_category("petition__"), **rated)
    months = period.buckets()
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
