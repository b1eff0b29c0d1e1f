"""Staff security in the Wagtail admin: the auditors' view of the audit log."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.reports import ReportView

from portal.admin_menu import GatedMenuItem

from . import audit
from .admin_views import SecondFactorsView, is_security_administrator
from .models import AuditEntry
from .roles import AUDITOR, holds_role


def is_auditor(user) -> bool:
    return holds_role(user, AUDITOR, "security.view_auditentry")


def action_choices():
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True)
    return [(action, action) for action in actions.distinct()]


class AuditEntryFilterSet(WagtailFilterSet):
    actor_username = django_filters.CharFilter(label=_("User"), lookup_expr="iexact")
    action = django_filters.ChoiceFilter(label=_("Action"), choices=action_choices)
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Date"), widget=DateRangePickerWidget
    )
    success = django_filters.BooleanFilter(label=_("Success"))

    class Meta:
        model = AuditEntry
        fields = ["actor_username", "action", "created_at", "success"]


class AuditLogView(ReportView):
    """Who did what, when (UTC), from where; filters and CSV export."""

    page_title = _("Audit log")
    header_icon = "list-ul"
    model = AuditEntry
    filterset_class = AuditEntryFilterSet
    index_url_name = "security_audit_log"
    index_results_url_name = "security_audit_log_results"
    results_template_name = "wagtailadmin/reports/base_report_results.html"
    columns = [
        Column("created_at_utc", label=_("When (UTC)")),
        Column("actor_username", label=_("User")),
        Column("action", label=_("Action")),
        Column("object_type", label=_("Object type")),
        Column("object_id", label=_("Object id")),
        Column("ip_address", label=_("IP address")),
        BooleanColumn("success", label=_("Success")),
        Column("detail", label=_("Detail")),
    ]
    list_export = [
        "id",
        "created_at",
        "actor_username",
        "action",
        "object_type",
        "object_id",
        "ip_address",
        "success",
        "detail",
        "entry_hash",
    ]
    export_headings = {
        "created_at": _("When (UTC)"),
        "actor_username": _("User"),
        "entry_hash": _("Hash"),
    }

    def dispatch(self, request, *args, **kwargs):
        if not is_auditor(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return AuditEntry.objects.order_by("-id")

    def get_filename(self):
        return "audit-log-{}".format(datetime.datetime.utcnow().strftime("%Y-%m-%d"))

    def to_row_dict(self, item):
        row = super().to_row_dict(item)
        row["created_at"] = item.created_at.astimezone(datetime.UTC).isoformat()
        return row

    def as_spreadsheet(self, queryset, spreadsheet_format):
        filters = {k: v for k, v in self.request.GET.items() if k != "export"}
        audit.record(
            self.request,
            "audit.exported",
            format=spreadsheet_format,
            filters=filters,
            rows=len(queryset) if isinstance(queryset, list) else queryset.count(),
        )
        return super().as_spreadsheet(queryset, spreadsheet_format)


@hooks.register("register_admin_urls")
def register_audit_urls():
    return [
        path("audit/", AuditLogView.as_view(), name="security_audit_log"),
        path(
            "audit/results/",
            AuditLogView.as_view(results_only=True),
            name="security_audit_log_results",
        ),
        path(
            "two-factor/",
            SecondFactorsView.as_view(),
            name="security_second_factors",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_audit_menu_item():
    return GatedMenuItem(
        _("Audit log"),
        reverse("security_audit_log"),
        icon_name="list-ul",
        order=900,
        shown_to=is_auditor,
    )


@hooks.register("register_admin_menu_item")
def register_second_factors_menu_item():
    return GatedMenuItem(
        _("Two-factor sign-in"),
        reverse("security_second_factors"),
        icon_name="key",
        order=910,
        shown_to=is_security_administrator,
    )


@hooks.register("register_account_menu_item")
def register_backup_codes_account_item(request):
    return {
        "url": reverse("security_backup_codes"),
        "label": _("New backup codes"),
        "help_text": _(
            "Replace your backup codes, for example when you have used most of them."
        ),
    }


@hooks.register("before_bulk_action")
def set_active_state_one_user_at_a_time(request, action_type, objects, action):
    """Wagtail's bulk "Set active state" is one QuerySet.update(), which skips the
    signals that audit the change and end a deactivated user's sessions; saving
    each user first runs them (Wagtail's update then changes nothing)."""
    if action_type != "set_active_state" or action.model is not get_user_model():
        return
    active = action.cleaned_form.cleaned_data["mark_as_active"]
    for user in objects:
        if user.pk != request.user.pk and user.is_active != active:
            user.is_active = active
            user.save(update_fields=["is_active"])
