"""The handling dashboard in the Wagtail admin, its drill-down lists and exports.

Views only read the period and unit from the URL, ask ``access`` for the scope and
``figures`` for the numbers, and render. Every export is audited.
"""

import csv
import io
from datetime import date, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks

from portal.admin_menu import GatedMenuItem
from portal.admin_page import AdminPageMixin
from portal.security import audit
from portal.security.personal_data import mask_id_number, mask_phone

from . import access, figures
from .models import Category, Channel, Outcome, Rating, Unit
from .staff import works_on_petitions
from .workflow import Role

LIST_PAGE_SIZE = 100
FIGURES_CACHE_SECONDS = 120
EXPORT_FORMATS = ("csv", "xlsx")

#: Headline figures in the order the panels show them: (key, label, rate key).
HEADLINE = [
    ("received", _("Received"), None),
    ("answered", _("Answered on the spot"), "answered_rate"),
    ("accepted", _("Accepted"), None),
    ("not_accepted", _("Not accepted"), None),
    ("closed", _("Closed"), "on_time_rate"),
    ("on_time", _("Closed on time"), None),
    ("late", _("Closed late"), None),
    ("open", _("Open now"), None),
    ("due_soon", _("Due within 3 days"), None),
    ("overdue", _("Overdue"), None),
    ("extended", _("Extensions"), None),
    ("transferred", _("Transfers"), None),
    ("supervised", _("Supervision orders"), None),
    ("rated", _("Rated by petitioners"), "satisfied_rate"),
    ("followed_up", _("Follow-up calls done"), None),
    ("supervision_open", _("Supervision orders awaiting feedback"), None),
    (
        "supervision_overdue",
        _("Supervision orders past their feedback date"),
        None,
    ),
    ("repeat", _("Repeat petitions"), "repeat_rate"),
    ("reopened", _("Reopened after review"), "reopened_rate"),
]
HANDLING_DAYS = [
    ("average_days", _("Average handling days (calendar)")),
    ("median_days", _("Median handling days (calendar)")),
    ("average_working_days", _("Average handling days (working days)")),
    ("median_working_days", _("Median handling days (working days)")),
]
#: What the unit comparison shows beside the received count, in column order.
UNIT_MEASURES = [
    ("open", _("Open now")),
    ("overdue", _("Overdue")),
    ("on_time_rate", _("On time (%)")),
    ("average_days", _("Average handling days (calendar)")),
    ("satisfied_rate", _("Satisfied or basically satisfied (%)")),
]
RATE_LABELS = {
    "answered_rate": _("of received"),
    "on_time_rate": _("on time"),
    "satisfied_rate": _("satisfied or basically satisfied"),
    "repeat_rate": _("of received"),
    "reopened_rate": _("of closed"),
}


class Refusal(Exception):
    """Bad input in the URL: answered with ``status`` and a message, never a 500."""

    def __init__(self, message, status):
        super().__init__(message)
        self.message, self.status = message, status


def check_unit(user, code: str) -> Unit | None:
    """The unit asked for, when it is in the user's scope; else a 404 refusal.

    With no unit asked for, a user whose scope is one subtree starts at its top.
    """
    units = access.units_in_scope(user)
    if code:
        unit = units.filter(code=code).first()
        if unit is None:
            raise Refusal(
                _("There is no unit “%(code)s” you may see.") % {"code": code}, 404
            )
        return unit
    tops = access.search_scope(user)
    if tops and len(tops) == 1:
        return units.filter(path=tops[0]).first()
    return None


def read_request(request):
    """(period, unit, today) from the query string, or a Refusal."""
    if not works_on_petitions(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    try:
        period = figures.check_period(request.GET, today)
    except figures.BadPeriod as bad:
        raise Refusal(str(bad), 400) from None
    unit = check_unit(request.user, request.GET.get("unit", ""))
    return period, unit, today


def filter_params(period: figures.Period, unit: Unit | None) -> dict:
    params = (
        {"from": period.start.isoformat(), "to": period.end.isoformat()}
        if period.name == "custom"
        else {"period": period.name}
    )
    if unit is not None:
        params["unit"] = unit.code
    return params


def figure_url(key: str, period, unit, value: str = "") -> str:
    """The petition list behind one number: the only place drill-down links are
    built, so they can move to another list view in one edit."""
    params = {"figure": key, **filter_params(period, unit)}
    if value:
        params["value"] = value
    return reverse("petitions_dashboard_list") + "?" + urlencode(params)


def refused(request, refusal: Refusal):
    return TemplateResponse(
        request,
        "petitions/admin/refused.html",
        {"message": refusal.message, "page_title": gettext("Figures")},
        status=refusal.status,
    )


class RefusingMixin:
    def dispatch(self, request, *args, **kwargs):
        try:
            self.period, self.unit, self.today = read_request(request)
            return super().dispatch(request, *args, **kwargs)
        except Refusal as refusal:
            return refused(request, refusal)


def figures_for(user, period, today, unit) -> figures.Figures:
    """The figures for the user's scope, kept for FIGURES_CACHE_SECONDS: a head
    switching between periods and back does not recompute (keyed by scope)."""
    scope = access.search_scope(user)
    key = "figures:v1:" + "|".join(
        [
            "*" if scope is None else ",".join(scope),
            unit.path if unit else "",
            f"{period.start}:{period.end}:{period.grain}",
            str(today),
            get_language() or "",
        ]
    )
    got = cache.get(key)
    if got is None:
        got = figures.compute(
            access.petitions_in_scope(user), period, today=today, unit=unit
        )
        cache.set(key, got, FIGURES_CACHE_SECONDS)
    return got


def trend_chart(trend: list[dict], grain: str) -> dict:
    """Geometry for a grouped bar chart drawn as SVG in the template."""
    width, height, left, bottom, top = 640, 240, 40, 28, 12
    peak = max([1, *(max(row["received"], row["closed"]) for row in trend)])
    inner_h = height - bottom - top
    slot = (width - left - 8) / max(1, len(trend))
    bar = max(2.0, min(18.0, slot / 2.6))
    label_every = max(1, len(trend) // 8)
    bars = []
    for index, row in enumerate(trend):
        x = left + index * slot + (slot - 2 * bar) / 2
        entry = {
            "label": _bucket_label(row["start"], grain),
            "show_label": index % label_every == 0,
            "label_x": round(x + bar, 1),
            "received": row["received"],
            "closed": row["closed"],
        }
        for series, offset in (("received", 0), ("closed", bar)):
            h = inner_h * row[series] / peak
            entry[f"{series}_x"] = round(x + offset, 1)
            entry[f"{series}_y"] = round(top + inner_h - h, 1)
            entry[f"{series}_h"] = round(h, 1)
        bars.append(entry)
    return {
        "width": width,
        "height": height,
        "bar": round(bar, 1),
        "bars": bars,
        "peak": peak,
        "axis_y": height - bottom,
        "left": left,
        "top": top,
        "label_y": height - 10,
    }


def _bucket_label(day: date, grain: str) -> str:
    return day.strftime("%m-%d") if grain == "week" else day.strftime("%Y-%m")


class DashboardView(RefusingMixin, AdminPageMixin, TemplateView):
    """Headline panels, the trend, breakdowns and the overdue list for one scope."""

    page_title = _("Figures")
    header_icon = "table"
    template_name = "petitions/admin/dashboard.html"

    def get_context_data(self, **kwargs):
        got = figures_for(self.request.user, self.period, self.today, self.unit)
        link = self.link
        panels = [
            {
                "key": key,
                "label": label,
                "value": got.headline[key],
                "url": link(key),
                "rate": got.headline.get(rate) if rate else None,
                "rate_label": RATE_LABELS.get(rate, ""),
            }
            for key, label, rate in HEADLINE
        ]
        for rows, key in (
            (got.by_channel, "channel"),
            (got.by_category, "category"),
            (got.by_outcome, "outcome"),
        ):
            for row in rows:
                row["url"] = link(key, row["key"])
        verdicts = dict(Rating.Verdict.choices)
        chart = trend_chart(got.trend, self.period.grain)
        for bar, row in zip(chart["bars"], got.trend, strict=True):
            bucket = bucket_period(row["start"], self.period)
            bar["received_url"] = figure_url("received", bucket, self.unit)
            bar["closed_url"] = figure_url("closed", bucket, self.unit)
        return {
            **super().get_context_data(**kwargs),
            "figures": got,
            "panels": panels,
            "chart": chart,
            "closed_url": link("closed"),
            "satisfaction": [
                {
                    "label": verdicts[key],
                    "rated": value,
                    "rated_url": link("rated", key),
                    "called": got.follow_ups[key],
                    "called_url": link("followed_up", key),
                }
                for key, value in got.satisfaction.items()
            ],
            "units_compared": [
                {**row, "urls": self.unit_links(row["node"])} for row in got.by_unit
            ],
            "overdue": [
                (petition, reverse("petitions_admin_detail", args=[petition.pk]))
                for petition in got.overdue
            ],
            "period": self.period,
            "unit": self.unit,
            "units": [
                (choice.code, "— " * (choice.depth - 1) + choice.display_name)
                for choice in access.units_in_scope(self.request.user).order_by("path")
            ],
            "period_choices": figures.PERIOD_CHOICES,
            "head": got.headline,
            "export_query": urlencode(filter_params(self.period, self.unit)),
        }

    def link(self, key, value=""):
        return figure_url(key, self.period, self.unit, value)

    def unit_links(self, node) -> dict:
        """A compared unit's numbers lead to that unit's own lists."""
        if node is None:
            return {}
        return {
            key: figure_url(key, self.period, node)
            for key in ("received", "open", "overdue", "closed", "rated")
        }


def bucket_period(start: date, period: figures.Period) -> figures.Period:
    """The days of one bar of the trend, within the period shown."""
    if period.grain == "week":
        after = start + timedelta(days=7)
    else:
        after = figures.add_months(start, 1)
    return figures.Period(
        max(start, period.start),
        min(after - timedelta(days=1), period.end),
        period.grain,
        "custom",
    )


def listed_petitions(request, period, unit, today):
    """The petitions behind ``?figure=`` in the user's scope, or a 400 refusal."""
    key = request.GET.get("figure", "received")
    base = figures.in_subtree(access.petitions_in_scope(request.user), unit)
    petitions = None
    if key in figures.FIGURE_KEYS:
        petitions = figures.petitions_behind(
            key, base, period, today, request.GET.get("value", "")
        )
    if petitions is None:
        raise Refusal(_("Unknown figure “%(key)s”.") % {"key": key}, 400)
    return key, petitions.select_related("category", "unit").order_by(
        "-received_at", "pk"
    )


class FigurePetitionsView(RefusingMixin, AdminPageMixin, TemplateView):
    """The petitions one number counts, identifiers masked."""

    page_title = _("Petitions behind a figure")
    header_icon = "list-ul"
    template_name = "petitions/admin/figure_petitions.html"

    def get_context_data(self, **kwargs):
        key, petitions = listed_petitions(
            self.request, self.period, self.unit, self.today
        )
        total = petitions.count()
        return {
            **super().get_context_data(**kwargs),
            "petitions": petitions[:LIST_PAGE_SIZE],
            "total": total,
            "shown": min(total, LIST_PAGE_SIZE),
            "figure": figure_title(key, self.request.GET.get("value", "")),
            "period": self.period,
            "unit": self.unit,
            "export_query": self.request.GET.urlencode(),
            "back_query": urlencode(filter_params(self.period, self.unit)),
        }


BREAKDOWN_TITLES = {
    "channel": _("Received by channel"),
    "category": _("Received by category"),
    "unit": _("Received by unit"),
    "outcome": _("Closed by outcome"),
}


def figure_title(key: str, value: str) -> str:
    """What a drill-down list counts, e.g. "Rated by petitioners: Satisfied"."""
    titles = {k: label for k, label, _rate in HEADLINE} | BREAKDOWN_TITLES
    title = str(titles.get(key, key))
    if not value:
        return title
    choices = {
        "channel": dict(Channel.choices),
        "outcome": dict(Outcome.choices),
        "rated": dict(Rating.Verdict.choices),
        "followed_up": dict(Rating.Verdict.choices),
    }
    if key in choices:
        shown = choices[key].get(value, value)
    else:
        model = {"category": Category, "unit": Unit}.get(key)
        node = model.objects.filter(path=value).first() if model else None
        shown = node.display_name if node else value
    return f"{title}: {shown}"


def may_see_identifiers(user, unit) -> bool:
    """Full ID numbers and phones in an export: heads and supervisors of the unit
    only, and only when they ask for them."""
    if unit is None:
        return bool(user.is_superuser)
    return bool(access.roles_in(user, unit) & {Role.HEAD, Role.SUPERVISOR})


def figure_rows(got) -> list[list]:
    rows = [[gettext("Figure"), gettext("Value")]]
    for key, label, rate in HEADLINE:
        rows.append([str(label), got.headline[key]])
        if rate:
            rows.append([f"{label} ({RATE_LABELS[rate]}, %)", got.headline[rate]])
    for key, label in HANDLING_DAYS:
        rows.append([str(label), got.headline[key]])
    for title, breakdown in (
        (gettext("Channel"), got.by_channel),
        (gettext("Category"), got.by_category),
        (gettext("Unit"), got.by_unit),
        (gettext("Outcome"), got.by_outcome),
    ):
        rows.extend([f"{title}: {row['label']}", row["count"]] for row in breakdown)
    for row in got.by_unit:
        rows.extend(
            [f"{gettext('Unit')}: {row['label']}: {label}", row[key]]
            for key, label in UNIT_MEASURES
        )
    for row in got.trend:
        rows.append([f"{gettext('Received')} {row['start']}", row["received"]])
        rows.append([f"{gettext('Closed')} {row['start']}", row["closed"]])
    return rows


def petition_rows(petitions, full: bool) -> list[list]:
    rows = [
        [
            gettext("Tracking number"),
            gettext("Received on"),
            gettext("Channel"),
            gettext("Category"),
            gettext("Handling unit"),
            gettext("Status"),
            gettext("Next step expected by"),
            gettext("Name"),
            gettext("Phone"),
            gettext("National ID number"),
        ]
    ]
    for petition in petitions:
        phone, id_number = petition.phone, petition.id_number
        rows.append(
            [
                petition.tracking_no,
                timezone.localtime(petition.received_at).strftime("%Y-%m-%d %H:%M"),
                petition.get_channel_display(),
                petition.category.display_name,
                petition.unit.display_name if petition.unit else "",
                petition.get_status_display(),
                petition.expected_by.isoformat() if petition.expected_by else "",
                gettext("Anonymous") if petition.anonymous else petition.name,
                phone if full else mask_phone(phone),
                id_number if full else mask_id_number(id_number),
            ]
        )
    return rows


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell):
    """A text cell a spreadsheet would run as a formula (=, +, -, @, tab, CR
    first) gets a leading apostrophe, so it is shown as the text it is."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def export_response(rows: list[list], name: str, fmt: str) -> HttpResponse:
    rows = [[spreadsheet_safe(cell) for cell in row] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel reads UTF-8 only with a byte-order mark
        csv.writer(buffer).writerows(rows)
        response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    else:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append(["" if cell is None else cell for cell in row])
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument"
            ".spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def check_format(fmt: str) -> None:
    if fmt not in EXPORT_FORMATS:
        raise Refusal(_("Exports come as CSV or XLSX only."), 404)


def export_figures(request, fmt: str):
    try:
        check_format(fmt)
        period, unit, today = read_request(request)
    except Refusal as refusal:
        return refused(request, refusal)
    got = figures_for(request.user, period, today, unit)
    audit.record(
        request,
        "petition.figures_exported",
        format=fmt,
        period=f"{period.start}/{period.end}",
        unit=unit.code if unit else "",
    )
    name = f"figures-{period.start}-{period.end}"
    return export_response(figure_rows(got), name, fmt)


def export_petitions(request, fmt: str):
    try:
        check_format(fmt)
        period, unit, today = read_request(request)
        key, petitions = listed_petitions(request, period, unit, today)
        full = request.GET.get("identifiers") == "full"
        if full and not may_see_identifiers(request.user, unit):
            message = _("Only a head or supervisor of the unit may export identifiers.")
            raise Refusal(message, 403)
    except Refusal as refusal:
        return refused(request, refusal)
    rows = petition_rows(petitions, full)
    audit.record(
        request,
        "petition.list_exported",
        format=fmt,
        figure=key,
        period=f"{period.start}/{period.end}",
        unit=unit.code if unit else "",
        rows=len(rows) - 1,
        full_identifiers=full,
    )
    return export_response(rows, f"petitions-{key}-{period.start}-{period.end}", fmt)


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [
        path(
            "petitions/figures/",
            DashboardView.as_view(),
            name="petitions_dashboard",
        ),
        path(
            "petitions/figures/petitions/",
            FigurePetitionsView.as_view(),
            name="petitions_dashboard_list",
        ),
        path(
            "petitions/figures/export.<str:fmt>",
            export_figures,
            name="petitions_dashboard_export",
        ),
        path(
            "petitions/figures/petitions/export.<str:fmt>",
            export_petitions,
            name="petitions_dashboard_list_export",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_dashboard_menu():
    return GatedMenuItem(
        _("Figures"),
        reverse("petitions_dashboard"),
        icon_name="table",
        order=310,
        shown_to=works_on_petitions,
    )
