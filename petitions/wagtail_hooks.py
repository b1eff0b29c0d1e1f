"""Reception's screens in the Wagtail admin: register a request, print its receipt,
and a short list of the latest petitions with identifiers masked.

The full staff workspace (queues, detail, actions) is issue 6's; categories (with
their guidance) and deadline rules are edited here as data.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from treebeard.forms import movenodeform_factory
from wagtail import hooks
from wagtail.admin.forms.models import WagtailAdminModelForm
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic.models import DeleteView
from wagtail.admin.viewsets.model import ModelViewSet

from portal.admin_menu import GatedMenuItem
from portal.admin_page import AdminPageMixin

from . import access, actions, workspace
from .forms import RegistrationForm
from .models import (
    Category,
    DeadlineRule,
    Petition,
    ReplyTemplate,
    RoutingRule,
    Unit,
    UnitMembership,
)
from .regions import region_choices
from .staff import works_on_petitions

RECEIPT_SESSION_KEY = "petitions_staff_receipt"


class ReceptionOnlyMixin:
    def dispatch(self, request, *args, **kwargs):
        if not works_on_petitions(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RegisterPetitionView(ReceptionOnlyMixin, AdminPageMixin, FormView):
    """A letter, visit, phone call or WeChat message enters the register here."""

    page_title = _("Register a request")
    header_icon = "form"
    template_name = "petitions/admin/register.html"
    form_class = RegistrationForm

    def post(self, request, *args, **kwargs):
        try:
            submission = actions.register(
                request.POST, request.FILES, actor=request.user, request=request
            )
        except actions.PetitionRefused as refusal:
            return self.form_invalid(refusal.form)
        request.session[RECEIPT_SESSION_KEY] = {
            "petition_id": submission.petition.pk,
            "access_code": submission.access_code,
        }
        return redirect("petitions_admin_receipt")


class ReceiptView(ReceptionOnlyMixin, AdminPageMixin, TemplateView):
    """The receipt handed to the citizen: number and code, printed once."""

    page_title = _("Receipt")
    header_icon = "doc-full"
    template_name = "petitions/admin/receipt.html"

    def get(self, request, *args, **kwargs):
        # Shown once: the code leaves the session with this page, which is the
        # one to print.
        data = request.session.pop(RECEIPT_SESSION_KEY, None)
        petition = (
            Petition.objects.filter(pk=data["petition_id"]).first() if data else None
        )
        if petition is None:
            return redirect("petitions_admin_register")
        return self.render_to_response(
            self.get_context_data(
                petition=petition,
                access_code=data["access_code"],
                site_url=settings.SITE_URL,
            )
        )


class LatestPetitionsView(ReceptionOnlyMixin, AdminPageMixin, TemplateView):
    """The 100 latest petitions, identifiers masked (issue 6 adds the workspace)."""

    page_title = _("Latest petitions")
    header_icon = "list-ul"
    template_name = "petitions/admin/latest.html"

    def get_context_data(self, **kwargs):
        petitions = access.petitions_in_scope(self.request.user)
        petitions = petitions.select_related("category", "unit")
        petitions = petitions.prefetch_related("attachments")[:100]
        return {**super().get_context_data(**kwargs), "petitions": petitions}


@hooks.register("register_admin_urls")
def register_petition_admin_urls():
    return [
        path(
            "petitions/register/",
            RegisterPetitionView.as_view(),
            name="petitions_admin_register",
        ),
        path(
            "petitions/receipt/", ReceiptView.as_view(), name="petitions_admin_receipt"
        ),
        path(
            "petitions/work/<slug:queue>/",
            workspace.QueueView.as_view(),
            name="petitions_admin_queue",
        ),
        path(
            "petitions/petition/<int:pk>/",
            workspace.DetailView.as_view(),
            name="petitions_admin_detail",
        ),
        path(
            "petitions/petition/<int:pk>/<slug:action>/",
            workspace.ActView.as_view(),
            name="petitions_admin_act",
        ),
        path(
            "petitions/latest/",
            LatestPetitionsView.as_view(),
            name="petitions_admin_latest",
        ),
    ]


class InUseDeleteView(DeleteView):
    """Deleting a unit, category or rule that petitions (or units below it) still
    use is refused with a message and changes nothing, instead of a server error."""

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except (ProtectedError, RestrictedError):
            messages.error(
                self.request,
                _(
                    "“%(object)s” is still in use (by petitions, rules or units "
                    "below it) and was not deleted. Move or change those first."
                )
                % {"object": self.object},
            )
            return redirect(self.get_success_url())


class PetitionDataViewSet(ModelViewSet):
    """The register's own data, edited as rows in the admin."""

    delete_view_class = InUseDeleteView


class DeadlineRuleViewSet(PetitionDataViewSet):
    model = DeadlineRule
    icon = "time"
    menu_label = _("Deadline rules")
    add_to_admin_menu = False
    form_fields = ["category", "kind", "days", "working_days"]
    list_display = [
        "kind",
        Column("category", label=_("category")),
        "days",
        "working_days",
    ]


deadline_rules = DeadlineRuleViewSet("petition_deadline_rules")

CATEGORY_FIELDS = [
    "name",
    "name_en",
    "code",
    "handling_unit",
    "open_for_web",
    "anonymous_allowed",
    "guidance",
    "guidance_en",
    "materials",
    "materials_en",
    "litigation_matter",
    "procedure",
    "procedure_en",
    "urgent_notice",
    "urgent_notice_en",
]


class CategoryViewSet(PetitionDataViewSet):
    """Categories with what the public form tells about each (一次告知, 诉访分离).

    treebeard's form places a new category in the tree (under a parent or at the
    top), which a plain model form cannot do.
    """

    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    add_to_admin_menu = False
    list_display = ["display_name", "code", "handling_unit", "open_for_web"]
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return movenodeform_factory(Category, fields=CATEGORY_FIELDS)


categories = CategoryViewSet("petition_categories")


class ReplyTemplateViewSet(PetitionDataViewSet):
    model = ReplyTemplate
    icon = "doc-full"
    menu_label = _("Reply templates")
    add_to_admin_menu = False
    form_fields = ["category", "use", "title", "body"]
    list_display = ["title", "use", Column("category", label=_("category"))]


reply_templates = ReplyTemplateViewSet("petition_reply_templates")


class RoutingRuleForm(WagtailAdminModelForm):
    """The region is chosen from the portal's regions (their slugs are stored)."""

    region = forms.ChoiceField(label=_("region"), required=False, choices=[])

    class Meta:
        model = RoutingRule
        fields = ["category", "region", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "—"), *region_choices()]


class RoutingRuleViewSet(PetitionDataViewSet):
    """Routing as data: a category's unit for a region, a region's default unit,
    and the system default (no category, no region)."""

    model = RoutingRule
    icon = "redirect"
    menu_label = _("Routing rules")
    add_to_admin_menu = False
    list_display = [
        Column("category", label=_("category")),
        Column("region_name", label=_("region")),
        Column("unit", label=_("handling unit")),
    ]

    def get_form_class(self, for_update=False):
        return RoutingRuleForm


routing_rules = RoutingRuleViewSet("petition_routing_rules")


class UnitViewSet(PetitionDataViewSet):
    """The unit tree: a new unit is placed under its parent (or at the top).

    Administrators only: the model permissions (add/change/delete unit) belong to
    system administration, which no seeded staff role holds.
    """

    model = Unit
    icon = "group"
    menu_label = _("Units")
    add_to_admin_menu = False
    list_display = ["display_name", "code", "kind", "phone"]
    search_fields = ["name", "name_en", "code"]
    ordering = ["path"]

    def get_form_class(self, for_update=False):
        return movenodeform_factory(
            Unit, fields=["name", "name_en", "code", "kind", "phone", "address"]
        )


units = UnitViewSet("petition_units")


class MembershipViewSet(PetitionDataViewSet):
    """Who works in which unit with which role; every change is audited
    (petitions.signals), since it decides which petitions a person reads."""

    model = UnitMembership
    icon = "user"
    menu_label = _("Unit memberships")
    add_to_admin_menu = False
    form_fields = ["user", "unit", "role"]
    list_display = [
        Column("user", label=_("user")),
        Column("unit", label=_("unit")),
        Column("role", label=_("role"), accessor="get_role_display"),
    ]
    list_filter = ["role", "unit"]


memberships = MembershipViewSet("petition_unit_memberships")


@hooks.register("register_admin_viewset")
def register_petition_viewsets():
    return [
        categories,
        deadline_rules,
        reply_templates,
        routing_rules,
        units,
        memberships,
    ]


@hooks.register("register_admin_menu_item")
def register_petitions_menu():
    menu = Menu(
        items=[
            GatedMenuItem(
                _("Register a request"),
                reverse("petitions_admin_register"),
                icon_name="plus",
                order=10,
                shown_to=works_on_petitions,
            ),
            GatedMenuItem(
                _("Latest petitions"),
                reverse("petitions_admin_latest"),
                icon_name="list-ul",
                order=20,
                shown_to=works_on_petitions,
            ),
            *[
                GatedMenuItem(
                    label,
                    reverse("petitions_admin_queue", args=[key]),
                    icon_name="list-ul",
                    order=21 + index,
                    shown_to=workspace.works_in_units,
                )
                for index, (key, label) in enumerate(workspace.QUEUES.items())
            ],
            categories.get_menu_item(order=30),
            deadline_rules.get_menu_item(order=40),
            reply_templates.get_menu_item(order=50),
            routing_rules.get_menu_item(order=60),
            units.get_menu_item(order=70),
            memberships.get_menu_item(order=80),
        ]
    )
    return SubmenuMenuItem(_("Petitions"), menu, icon_name="form", order=300)


# The dashboard registers its own admin URLs and menu item.
from . import dashboard  # noqa: E402, F401
