"""The numbers heads judge the register by, computed in the database.

Every figure is an aggregate over a base queryset of petitions (the caller's scope,
from ``access.py``), a period and optionally a unit subtree. Figures about a period
count what happened in it: petitions received, and steps (Events) taken, such as
answers, acceptances, closures, extensions, transfers, supervision orders and
reopenings. Snapshot figures (open, due soon, overdue) describe today.

``petitions_behind(key, ...)`` returns the petitions a figure counts, so each number
can link to its list and its export.
"""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import (
    Coalesce,
    Substr,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .deadlines import day_start
from .models import (
    Category,
    Channel,
    Event,
    FollowUp,
    Outcome,
    Petition,
    Rating,
    SupervisionOrder,
    Unit,
)
from .workflow import OPEN, Action

DUE_SOON_DAYS = 3
SATISFIED = (Rating.Verdict.SATISFIED, Rating.Verdict.BASICALLY)
# Kept on the petition by the close action (its last closure).
WORKING_DAYS = "petition__handling_working_days"
STEPLEN = Unit.steplen


class BadPeriod(ValueError):
    """The period in the URL cannot be read; the message says why, for the user."""


@dataclass(frozen=True)
class Period:
    """Whole days from ``start`` to ``end`` inclusive, shown per week or month."""

    start: date
    end: date
    grain: str  # "week" or "month"
    name: str = ""

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """Aware datetimes: the period's first instant and the next day's first."""
        return day_start(self.start), day_start(self.end + timedelta(days=1))

    def buckets(self) -> list[date]:
        """The first day of each week (Monday) or month the trend chart shows."""
        if self.grain == "week":
            day = self.start - timedelta(days=self.start.weekday())
            step = [day + timedelta(weeks=n) for n in range(60)]
            return [d for d in step if d <= self.end]
        months, day = [], self.start.replace(day=1)
        while day <= self.end:
            months.append(day)
            day = add_months(day, 1)
        return months


PERIOD_CHOICES = [
    ("week", _("This week")),
    ("month", _("This month")),
    ("year", _("This year")),
    ("12m", _("Last 12 months")),
]
MAX_DAYS = 3 * 366


def add_months(day: date, months: int) -> date:
    """The same day ``months`` months later (clamped to the month's end)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise BadPeriod(
            _("“%(value)s” is not a date; write it as 2026-01-31.") % {"value": value}
        ) from None


def check_period(params, today: date) -> Period:
    """The period a request asks for: a named one, or from/to dates (inclusive)."""
    start, end = params.get("from", ""), params.get("to", "")
    if start or end:
        if not (start and end):
            raise BadPeriod(_("Give both the first and the last day of the period."))
        first, last = parse_date(start), parse_date(end)
        if last < first:
            raise BadPeriod(_("The period ends before it begins."))
        if (last - first).days > MAX_DAYS:
            raise BadPeriod(_("A period may be at most three years long."))
        grain = "week" if (last - first).days <= 92 else "month"
        return Period(first, last, grain, "custom")
    name = params.get("period", "month") or "month"
    if name == "week":
        monday = today - timedelta(days=today.weekday())
        return Period(monday, monday + timedelta(days=6), "week", name)
    if name == "month":
        first = today.replace(day=1)
        return Period(first, add_months(first, 1) - timedelta(days=1), "week", name)
    if name == "year":
        return Period(date(today.year, 1, 1), date(today.year, 12, 31), "month", name)
    if name == "12m":
        first = add_months(today.replace(day=1), -11)
        return Period(first, add_months(first, 12) - timedelta(days=1), "month", name)
    raise BadPeriod(_("Unknown period “%(name)s”.") % {"name": name})


def in_subtree(petitions, unit: Unit | None):
    """Petitions handled by ``unit`` or any unit below it."""
    if unit is None:
        return petitions
    return petitions.filter(unit__path__startswith=unit.path)


class JulianDay(Func):
    """Days since the Julian epoch (UTC, with the fraction of the day): computed by
    the database itself, unlike Django's date functions on SQLite."""

    function = "julianday"
    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra):
        # date_part() answers in double precision; EXTRACT() in numeric, which
        # takes twice as long over a year of closures. A date is read as its
        # midnight UTC, whatever the session's time zone.
        source = self.get_source_expressions()[0].output_field.get_internal_type()
        value = "%(expressions)s"
        if source == "DateField":
            value += "::timestamp"
        template = f"(date_part('epoch', {value}) / 86400.0 + 2440587.5)"
        return self.as_sql(compiler, connection, template=template, **extra)


def closure_annotations() -> dict:
    """For close Events: ``taken`` (days since receipt) and ``on_time`` inputs.

    A closure is on time on or before its deadline (handling, else the acceptance
    decision) in local time; with no clock running it is on time.
    """
    offset = timezone.localtime().utcoffset().total_seconds() / 86400
    deadline = Coalesce(F("petition__due_at"), F("petition__accept_by"))
    return {
        "taken": JulianDay("created_at") - JulianDay("petition__received_at"),
        "closed_local": JulianDay("created_at") + Value(offset),
        "deadline_end": ExpressionWrapper(
            JulianDay(deadline) + Value(1.0), output_field=FloatField()
        ),
    }


ON_TIME = Q(deadline_end__isnull=True) | Q(closed_local__lt=F("deadline_end"))
LATE = Q(deadline_end__isnull=False) & Q(closed_local__gte=F("deadline_end"))


def bucket_counts(queryset, column, starts, grain, measures) -> list[dict]:
    """Counts per week or month: one dict of ``measures`` per bucket, in one grouped
    pass (a row falls in the bucket of the first edge it lies before)."""
    if not starts:
        return []
    last = starts[-1]
    after = last + timedelta(days=7) if grain == "week" else add_months(last, 1)
    edges = [day_start(day) for day in [*starts, after]]
    bucket = Case(
        *(
            When(**{f"{column}__lt": edge}, then=Value(index))
            for index, edge in enumerate(edges[1:])
        ),
        output_field=IntegerField(),
    )
    rows = (
        queryset.filter(**{f"{column}__gte": edges[0], f"{column}__lt": edges[-1]})
        .annotate(bucket=bucket)
        .values("bucket")
        .annotate(**{name: Count("pk", filter=q) for name, q in measures.items()})
        .order_by()
    )
    found = {row.pop("bucket"): row for row in rows}
    empty = dict.fromkeys(measures, 0)
    return [found.get(index, empty) for index in range(len(starts))]


def _ratio(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


EVENT_FIGURES = {
    "answered": Action.ANSWER,
    "accepted": Action.ACCEPT,
    "not_accepted": Action.DECLINE,
    "closed": Action.CLOSE,
    "extended": Action.EXTEND,
    "transferred": Action.TRANSFER,
    "supervised": Action.SUPERVISE,
    "reopened": Action.REOPEN,
}


def repeat_filter():
    """True for a petition whose petitioner (ID number or phone) wrote before."""
    earlier = Petition.objects.filter(received_at__lt=OuterRef("received_at"))
    same_id = Exists(earlier.filter(id_number_hash=OuterRef("id_number_hash")))
    same_phone = Exists(earlier.filter(phone_hash=OuterRef("phone_hash")))
    # The cheap test first: most petitions carry no identifier hash at all.
    return (Q(id_number_hash__gt="") & same_id) | (Q(phone_hash__gt="") & same_phone)


def petitions_behind(key: str, petitions, period: Period, today: date, value=""):
    """The petitions a figure counts (for its list and export); None: unknown key."""
    start, end = period.bounds
    received = petitions.filter(received_at__gte=start, received_at__lt=end)
    if key == "received":
        return received
    if key == "channel":
        return received.filter(channel=value)
    if key == "category":
        return received.filter(category__path__startswith=value)
    if key == "unit":
        return received.filter(unit__path__startswith=value)
    if key == "repeat":
        return received.filter(repeat_filter())
    if key in EVENT_FIGURES:
        steps = Event.objects.filter(
            action=EVENT_FIGURES[key], created_at__gte=start, created_at__lt=end
        )
        return petitions.filter(pk__in=steps.values("petition_id"))
    if key in ("on_time", "late"):
        closes = Event.objects.filter(
            action=Action.CLOSE, created_at__gte=start, created_at__lt=end
        ).annotate(**closure_annotations())
        closes = closes.filter(ON_TIME if key == "on_time" else LATE)
        return petitions.filter(pk__in=closes.values("petition_id"))
    open_ = petitions.filter(status__in=OPEN)
    if key == "open":
        return open_
    if key == "due_soon":
        return open_.filter(
            expected_by__gte=today,
            expected_by__lte=today + timedelta(days=DUE_SOON_DAYS),
        )
    if key == "overdue":
        return open_.filter(expected_by__lt=today)
    if key == "outcome":
        closes = Event.objects.filter(
            action=Action.CLOSE, created_at__gte=start, created_at__lt=end
        )
        return petitions.filter(pk__in=closes.values("petition_id"), outcome=value)
    if key == "followed_up":
        calls = FollowUp.objects.filter(done_at__gte=start, done_at__lt=end)
        if value:
            calls = calls.filter(verdict=value)
        return petitions.filter(pk__in=calls.values("petition_id"))
    if key in ("supervision_open", "supervision_overdue"):
        orders = SupervisionOrder.objects.filter(feedback_at__isnull=True)
        if key == "supervision_overdue":
            orders = orders.filter(due_on__lt=today)
        return petitions.filter(pk__in=orders.values("petition_id"))
    if key == "rated":
        ratings = Rating.objects.filter(created_at__gte=start, created_at__lt=end)
        if value:
            ratings = ratings.filter(verdict=value)
        return petitions.filter(pk__in=ratings.values("petition_id"))
    return None


FIGURE_KEYS = {
    "received",
    "channel",
    "category",
    "unit",
    "repeat",
    "open",
    "due_soon",
    "overdue",
    "rated",
    "outcome",
    "followed_up",
    "supervision_open",
    "supervision_overdue",
    "on_time",
    "late",
    *EVENT_FIGURES,
}


@dataclass
class Figures:
    """Every number of the dashboard for one scope, period and unit subtree."""

    period: Period
    today: date
    unit: Unit | None
    headline: dict = field(default_factory=dict)
    by_channel: list = field(default_factory=list)
    by_category: list = field(default_factory=list)
    by_unit: list = field(default_factory=list)
    trend: list = field(default_factory=list)
    satisfaction: dict = field(default_factory=dict)
    follow_ups: dict = field(default_factory=dict)
    by_outcome: list = field(default_factory=list)
    overdue: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        h = self.headline
        return not (
            h["received"] or h["closed"] or h["open"] or h["rated"] or h["followed_up"]
        )


def compute(petitions, period: Period, *, today: date, unit: Unit | None = None):
    """All the figures, in a bounded number of queries (about a dozen)."""
    petitions = in_subtree(petitions, unit)
    # Rows of other tables belong to the scope's petitions; an unrestricted scope
    # (a superuser's, all units) needs no subquery, which spares a scan.
    of_scope = {"petition__in": petitions} if petitions.query.has_filters() else {}
    figures = Figures(period=period, today=today, unit=unit)
    start, end = period.bounds
    received = petitions.filter(received_at__gte=start, received_at__lt=end)

    starts = period.buckets()
    # Totals and the comparison of units come from the same grouped passes: one
    # row per unit branch (None: no unit yet), the totals summed from them.
    width = ((unit.depth if unit is not None else 0) + 1) * STEPLEN
    arrivals = {
        "received": Count("pk"),
        "repeat": Count("pk", filter=repeat_filter()),
        **{
            f"channel_{channel}": Count("pk", filter=Q(channel=channel))
            for channel in Channel.values
        },
    }
    arrived = per_branch(received, "unit__path", width, **arrivals)
    head = _totals(arrived, arrivals)
    steps = Event.objects.filter(**of_scope, created_at__gte=start, created_at__lt=end)
    taken = dict(
        steps.filter(action__in=EVENT_FIGURES.values())
        .values_list("action")
        .annotate(n=Count("petition", distinct=True))
        .order_by()
    )
    head |= {key: taken.get(action, 0) for key, action in EVENT_FIGURES.items()}
    closed = steps.filter(action=Action.CLOSE)
    closures = closed.annotate(**closure_annotations())
    departures = {
        "closed": Count("pk"),
        "on_time": Count("pk", filter=ON_TIME),
        "days": Sum("taken"),
        "working": Count(WORKING_DAYS),
        "working_days": Sum(WORKING_DAYS),
        **{
            f"outcome_{outcome}": Count("pk", filter=Q(petition__outcome=outcome))
            for outcome in Outcome.values
        },
    }
    departed = per_branch(closures, "petition__unit__path", width, **departures)
    closing = _totals(departed, departures)
    outcomes = dict(Outcome.choices)
    figures.by_outcome = [
        {"key": key, "label": outcomes[key], "count": closing[f"outcome_{key}"]}
        for key in Outcome.values
    ]
    head["on_time_rate"] = _ratio(closing["on_time"], closing["closed"])
    head["on_time"] = closing["on_time"]
    head["late"] = closing["closed"] - closing["on_time"]
    head["average_days"] = _mean(closing["days"], closing["closed"])
    head["median_days"] = _days(_median(closures, "taken", closing["closed"]))
    head["average_working_days"] = _mean(closing["working_days"], closing["working"])
    head["median_working_days"] = _days(
        _median(closures, WORKING_DAYS, closing["working"])
    )
    head["reopened_rate"] = _ratio(head["reopened"], head["closed"])
    head["repeat_rate"] = _ratio(head["repeat"], head["received"])
    head["answered_rate"] = _ratio(head["answered"], head["received"])

    soon = today + timedelta(days=DUE_SOON_DAYS)
    head |= petitions.filter(status__in=OPEN).aggregate(
        open=Count("pk"),
        due_soon=Count("pk", filter=Q(expected_by__gte=today, expected_by__lte=soon)),
        overdue=Count("pk", filter=Q(expected_by__lt=today)),
    )
    head |= SupervisionOrder.objects.filter(
        **of_scope, feedback_at__isnull=True
    ).aggregate(
        supervision_open=Count("pk"),
        supervision_overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    calls = dict(
        FollowUp.objects.filter(**of_scope, done_at__gte=start, done_at__lt=end)
        .values_list("verdict")
        .annotate(n=Count("pk"))
    )
    head["followed_up"] = sum(calls.values())
    figures.follow_ups = _split(calls)

    ratings = Rating.objects.filter(
        **of_scope, created_at__gte=start, created_at__lt=end
    )
    verdicts = dict(ratings.values_list("verdict").annotate(n=Count("pk")))
    rated = sum(verdicts.values())
    head["rated"] = rated
    figures.satisfaction = _split(verdicts)
    head["satisfied_rate"] = _ratio(
        sum(verdicts.get(verdict, 0) for verdict in SATISFIED), rated
    )
    figures.headline = head

    labels = dict(Channel.choices)
    channels = [(head.pop(f"channel_{key}"), key) for key in Channel.values]
    figures.by_channel = [
        {"key": key, "label": labels[key], "count": n}
        for n, key in sorted(channels, key=lambda pair: (-pair[0], pair[1]))
        if n
    ]
    figures.by_category = _by_branch(received, "category", Category, 0)
    figures.by_unit = _unit_comparison(
        petitions, arrived, departed, ratings, width, today
    )
    came = bucket_counts(received, "received_at", starts, period.grain, {"n": Q()})
    # The closures without their petitions joined in: the trend needs no more.
    went = bucket_counts(closed, "created_at", starts, period.grain, {"n": Q()})
    figures.trend = [
        {"start": day, "received": came_in["n"], "closed": went_out["n"]}
        for day, came_in, went_out in zip(starts, came, went, strict=True)
    ]
    figures.overdue = list(
        petitions.filter(status__in=OPEN, expected_by__lt=today)
        .select_related("category", "unit")
        .order_by("expected_by", "pk")[:20]
    )
    return figures


def _split(verdicts: dict) -> dict:
    """Count and share of each verdict (satisfied, basically, not satisfied)."""
    total = sum(n for key, n in verdicts.items() if key)
    return {
        verdict: {
            "count": verdicts.get(verdict, 0),
            "share": _ratio(verdicts.get(verdict, 0), total),
        }
        for verdict in Rating.Verdict.values
    }


def _by_branch(received, relation: str, model, depth: int) -> list[dict]:
    """Counts per branch one level below ``depth`` (0: the top level) of a tree."""
    branches = per_branch(
        received, f"{relation}__path", (depth + 1) * STEPLEN, n=Count("pk")
    )
    branches.pop(None, None)  # rows outside the tree
    ordered = sorted(branches.items(), key=lambda item: (-item[1]["n"], item[0]))
    counts = {path: row["n"] for path, row in ordered}
    nodes = {node.path: node for node in model.objects.filter(path__in=list(counts))}
    return [
        {
            "key": path,
            "label": nodes[path].display_name if path in nodes else path,
            "count": n,
            "node": nodes.get(path),
        }
        for path, n in counts.items()
    ]


def per_branch(queryset, path: str, width: int, **measures) -> dict:
    """``measures`` per tree branch: the first ``width`` characters of ``path``
    (None for rows outside the tree), in one grouped query."""
    rows = (
        queryset.annotate(branch=Substr(path, 1, width))
        .values("branch")
        .annotate(**measures)
        .order_by()
    )
    return {row.pop("branch"): row for row in rows}


def _totals(branches: dict, measures) -> dict:
    """Each measure summed over all branches (0 with none, a missing sum as 0)."""
    return {key: sum(row[key] or 0 for row in branches.values()) for key in measures}


def _unit_comparison(petitions, arrived, departed, ratings, width, today):
    """Each unit one level below the chosen one (the top units when none), side by
    side: received, open, overdue, on-time rate, average days and satisfaction. A
    unit's own petitions count as its own row. One aggregate query per group of
    measures, however many units there are (arrivals and closures come counted)."""
    waiting = per_branch(
        petitions.filter(status__in=OPEN),
        "unit__path",
        width,
        open=Count("pk"),
        overdue=Count("pk", filter=Q(expected_by__lt=today)),
    )
    rated = per_branch(
        ratings,
        "petition__unit__path",
        width,
        rated=Count("pk"),
        satisfied=Count("pk", filter=Q(verdict__in=SATISFIED)),
    )
    paths = (set(arrived) | set(waiting) | set(departed) | set(rated)) - {None}
    nodes = {node.path: node for node in Unit.objects.filter(path__in=list(paths))}
    rows = []
    for path in paths:
        closing = departed.get(path, {"closed": 0, "on_time": 0, "days": None})
        rating = rated.get(path, {"rated": 0, "satisfied": 0})
        rows.append(
            {
                "key": path,
                "label": nodes[path].display_name if path in nodes else path,
                "node": nodes.get(path),
                "count": arrived.get(path, {}).get("received", 0),
                "open": waiting.get(path, {}).get("open", 0),
                "overdue": waiting.get(path, {}).get("overdue", 0),
                "closed": closing["closed"],
                "on_time_rate": _ratio(closing["on_time"], closing["closed"]),
                "average_days": _mean(closing["days"], closing["closed"]),
                "rated": rating["rated"],
                "satisfied_rate": _ratio(rating["satisfied"], rating["rated"]),
            }
        )
    return sorted(rows, key=lambda row: (-row["count"], row["key"]))


def _median(closures, column: str, count: int):
    """The median of ``column`` over the ``count`` closures where it is known."""
    if not count:
        return None
    ordered = (
        closures.filter(**{f"{column}__isnull": False})
        .order_by(column)
        .values_list(column, flat=True)
    )
    if count % 2:
        return ordered[count // 2]
    low, high = ordered[count // 2 - 1 : count // 2 + 1]
    return (low + high) / 2


def _mean(total, count: int) -> float | None:
    """An average in days, from a sum and a count (None when nothing was counted)."""
    return _days(total / count) if count and total is not None else None


def _days(days) -> float | None:
    return None if days is None else round(float(days), 1)
