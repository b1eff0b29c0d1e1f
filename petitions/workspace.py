"""The staff workspace in the Wagtail admin: queues, the full record, the actions.

Views stay thin: scope comes from ``access``, changes from ``actions``, what a user
may do now from ``workflow.allowed_actions``. Every URL under /admin/ passes the
two-factor gate; a petition outside the user's units is a 404 on every page.
"""

import datetime
from typing import NamedTuple

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView, View

from portal.admin_page import AdminPageMixin
from portal.security import audit
from portal.widgets import InlineSelect

from . import access, actions
from .deadlines import day_start
from .models import (
    Category,
    Channel,
    FollowUp,
    Outcome,
    Petition,
    Rating,
    ReplyTemplate,
    SupervisionOrder,
    Unit,
    UnitMembership,
)
from .sweep import REMIND_DAYS
from .workflow import FINISHED, TRANSITIONS, Action, Role, Status, allowed_actions

QUEUES = {
    "mine": _("My queue"),
    "unit": _("Unit queue"),
    "due-soon": _("Due soon"),
    "overdue": _("Overdue"),
    "supervision": _("Supervision"),
    "follow-up": _("Follow-up"),
    "all": _("All in scope"),
}


def works_in_units(user) -> bool:
    return access.search_scope(user) != []


class WorkspaceMixin(AdminPageMixin):
    def dispatch(self, request, *args, **kwargs):
        if not works_in_units(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def queue(user, name):
    today = timezone.localdate()
    petitions = access.petitions_in_scope(user)
    unfinished = petitions.exclude(status__in=FINISHED)
    if name == "mine":
        return unfinished.filter(Q(handler=user) | Q(first_contact=user))
    if name == "unit":  # the user's own units; "all" is the whole scope
        if user.is_superuser and not access.own_units(user).exists():
            return unfinished
        return unfinished.filter(unit__in=access.own_units(user))
    if name == "due-soon":
        return unfinished.filter(
            queue_deadline__gte=today,
            queue_deadline__lte=today + datetime.timedelta(days=REMIND_DAYS),
        )
    if name == "overdue":
        return unfinished.filter(queue_deadline__lt=today)
    if name == "supervision":
        ordered = SupervisionOrder.objects.filter(feedback_at__isnull=True)
        return unfinished.filter(pk__in=ordered.values("petition"))
    if name == "follow-up":
        return petitions.filter(
            follow_up__done_at__isnull=True, follow_up__isnull=False
        )
    if name == "all":
        return petitions
    raise Http404


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        widget=InlineSelect,
        label=_("status"),
        required=False,
        choices=[("", "—"), *Status.choices],
    )
    category = forms.ModelChoiceField(
        widget=InlineSelect,
        label=_("category"),
        required=False,
        queryset=Category.objects.all(),
    )
    channel = forms.ChoiceField(
        widget=InlineSelect,
        label=_("channel"),
        required=False,
        choices=[("", "—"), *Channel.choices],
    )
    unit = forms.ModelChoiceField(
        widget=InlineSelect,
        label=_("unit"),
        required=False,
        queryset=Unit.objects.none(),
    )
    received_from = forms.DateField(
        label=_("received from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    received_to = forms.DateField(
        label=_("received to"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = forms.BooleanField(label=_("overdue only"), required=False)
    joint = forms.BooleanField(label=_("joint petitions"), required=False)
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    linked = forms.BooleanField(label=_("linked to others"), required=False)
    under_review = forms.BooleanField(label=_("under review"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = access.units_in_scope(user)

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        for field in ("status", "category", "channel"):
            if data[field]:
                queryset = queryset.filter(**{field: data[field]})
        if data["unit"]:
            queryset = queryset.filter(unit__path__startswith=data["unit"].path)
        # Days as ranges of instants, so the database can use an index on
        # received_at (``__date`` converts every row's time before comparing).
        if data["received_from"]:
            queryset = queryset.filter(
                received_at__gte=day_start(data["received_from"])
            )
        if data["received_to"]:
            next_day = data["received_to"] + datetime.timedelta(days=1)
            queryset = queryset.filter(received_at__lt=day_start(next_day))
        if data["overdue"]:
            queryset = queryset.filter(queue_deadline__lt=timezone.localdate())
        if data["joint"]:
            queryset = queryset.filter(co_signers__gt=0)
        if data["anonymous"]:
            queryset = queryset.filter(anonymous=True)
        if data["linked"]:
            queryset = queryset.filter(pk__in=linked_ids())
        if data["under_review"]:
            queryset = queryset.filter(review_level__gt=0).exclude(status__in=FINISHED)
        return queryset


def has_links():
    """Whether a petition is linked to another: a flag per row, where a join to
    the links would multiply the rows and make the page group (or de-duplicate)
    every petition in scope before it can take the first fifty."""
    return Exists(Petition.linked.through.objects.filter(from_petition=OuterRef("pk")))


def linked_ids():
    """The petitions linked to another, for the filter: read from the (short)
    list of links rather than probed for each petition in scope."""
    return Petition.linked.through.objects.values("from_petition")


#: Petitions per page of a queue: a phone scrolls it, a busy unit pages through it.
QUEUE_PAGE_SIZE = 50


def listed_petitions(ids: list[int]) -> list[Petition]:
    """The petitions of one page of a queue, in the order of ``ids``, with what
    the list shows. The queue's order is read from an index as numbers alone,
    and only its page is read whole. A petition deleted between the two reads is
    left out."""
    rows = (
        Petition.objects.filter(pk__in=ids)
        .select_related("category", "unit")
        .annotate(is_linked=has_links())
        .in_bulk()
    )
    return [rows[pk] for pk in ids if pk in rows]


class QueueView(WorkspaceMixin, TemplateView):
    """One queue: overdue pinned first, then by deadline; identifiers masked."""

    template_name = "petitions/admin/workspace_list.html"
    header_icon = "list-ul"

    def get_page_title(self):
        return QUEUES.get(self.kwargs["queue"], "")

    def get_context_data(self, **kwargs):
        name = self.kwargs["queue"]
        if name not in QUEUES:
            raise Http404
        form = FilterForm(self.request.GET or None, user=self.request.user)
        petitions = form.apply(queue(self.request.user, name))
        # Overdue first: an overdue deadline is earlier than any other. The
        # order is the index ``petition_queue``'s, so the page is read from it.
        ordered = petitions.order_by("queue_deadline", "-received_at", "-pk")
        # A number that is not a page shows the first page, one past the end the last.
        numbers = Paginator(ordered.values_list("pk", flat=True), QUEUE_PAGE_SIZE)
        page = numbers.get_page(self.request.GET.get("page"))
        page.object_list = listed_petitions(list(page.object_list))
        return {
            **super().get_context_data(**kwargs),
            "form": form,
            "page": page,
            "queues": [(key, label, key == name) for key, label in QUEUES.items()],
            "today": timezone.localdate(),
        }


class ActionForm(forms.Form):
    """Every field any action may need; each action's form shows its own."""

    status = forms.CharField(widget=forms.HiddenInput)
    updated_at = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label=_("text"), required=False, widget=forms.Textarea)
    procedure = forms.CharField(
        label=_("procedure to use"), required=False, widget=forms.Textarea
    )
    category = forms.ModelChoiceField(
        widget=InlineSelect,
        label=_("classify as (leave empty to keep)"),
        required=False,
        queryset=Category.objects.all(),
    )
    handler = forms.ModelChoiceField(
        widget=InlineSelect, label=_("handler"), required=False, queryset=None
    )
    unit = forms.ModelChoiceField(
        widget=InlineSelect,
        label=_("unit"),
        required=False,
        queryset=Unit.objects.all(),
    )
    outcome = forms.ChoiceField(
        widget=InlineSelect,
        label=_("outcome"),
        required=False,
        choices=[("", "—"), *Outcome.choices],
    )
    days = forms.IntegerField(label=_("days"), required=False, min_value=1)
    to_unit = forms.ModelChoiceField(
        widget=InlineSelect,
        label=_("ordered unit"),
        required=False,
        queryset=Unit.objects.none(),
    )
    due_on = forms.DateField(
        label=_("feedback due"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    reply_linked = forms.BooleanField(
        label=_("Send the same reply to the linked petitions in your units"),
        required=False,
    )


#: Which fields each action's form shows (status/updated_at are always there).
ACTION_FIELDS = {
    Action.ANSWER: ["text"],
    Action.ACCEPT: ["category"],
    Action.DECLINE: ["text", "procedure"],
    Action.ASSIGN: ["handler"],
    Action.START: [],
    Action.REQUEST_MATERIALS: ["text"],
    Action.RECEIVE_MATERIALS: [],
    Action.REPLY: ["text"],
    Action.CLOSE: ["outcome"],
    Action.TRANSFER: ["unit", "text"],
    Action.RETURN: ["text"],
    Action.EXTEND: ["days", "text"],
    Action.SUPERVISE: ["to_unit", "text", "due_on"],
    Action.REOPEN: ["text"],
    Action.WITHDRAW: ["text"],
}


def handlers_of(unit):
    from django.contrib.auth import get_user_model

    ids = UnitMembership.objects.filter(unit=unit, role=Role.HANDLER).values("user")
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


class ActionChoices(NamedTuple):
    """Who a petition can be assigned to and which units can be ordered to
    handle it: the same for every action form on the page."""

    handlers: QuerySet
    targets: QuerySet


def action_choices(petition, user) -> ActionChoices:
    return ActionChoices(
        handlers=handlers_of(petition.unit),
        targets=access.supervision_targets(user, petition.unit),
    )


def action_form(petition, data=None, *, user=None, action="", choices=None):
    """The form for ``action`` (ids unique per action on the page)."""
    choices = choices or action_choices(petition, user)
    form = ActionForm(
        data,
        initial={
            "status": petition.status,
            "updated_at": petition.updated_at.isoformat(),
            "to_unit": petition.unit_id,
        },
        auto_id=f"id_{action}-%s" if action else "id_%s",
    )
    form.fields["handler"].queryset = choices.handlers
    form.fields["to_unit"].queryset = choices.targets
    return form


def perform(action, petition, data, user, request):
    """Call the action for ``action`` with the form's cleaned ``data``."""
    seen = (data["status"], data["updated_at"])
    common = {"actor": user, "seen": seen, "request": request}
    text = data.get("text") or ""
    calls = {
        Action.ANSWER: lambda: actions.answer(petition, text, **common),
        Action.ACCEPT: lambda: actions.accept(
            petition, category=data.get("category"), **common
        ),
        Action.DECLINE: lambda: actions.decline(
            petition, text, data.get("procedure") or "", **common
        ),
        Action.ASSIGN: lambda: actions.assign(petition, data.get("handler"), **common),
        Action.START: lambda: actions.start(petition, **common),
        Action.REQUEST_MATERIALS: lambda: actions.request_materials(
            petition, text, **common
        ),
        Action.RECEIVE_MATERIALS: lambda: actions.receive_materials(petition, **common),
        Action.REPLY: lambda: (
            actions.reply_with_linked(petition, text, **common)
            if data.get("reply_linked")
            else actions.reply(petition, text, **common)
        ),
        Action.CLOSE: lambda: actions.close(petition, data.get("outcome"), **common),
        Action.TRANSFER: lambda: actions.transfer(
            petition, data.get("unit"), text, **common
        ),
        Action.RETURN: lambda: actions.return_petition(petition, text, **common),
        Action.EXTEND: lambda: actions.extend(
            petition, data.get("days"), text, **common
        ),
        Action.SUPERVISE: lambda: actions.supervise(
            petition,
            text,
            data.get("due_on"),
            to_unit=data.get("to_unit"),
            **common,
        ),
        Action.REOPEN: lambda: actions.reopen(petition, text, **common),
        Action.WITHDRAW: lambda: actions.staff_withdraw(petition, text, **common),
    }
    return calls[action]()


class DetailView(WorkspaceMixin, TemplateView):
    """The full record (the reading is audited), timeline, files and the actions."""

    template_name = "petitions/admin/workspace_detail.html"
    header_icon = "doc-full"

    def get_page_title(self):
        return str(self.petition)

    def dispatch(self, request, *args, **kwargs):
        self.petition = access.petition_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        petition = self.petition
        user = self.request.user
        audit.record(self.request, "petition.viewed", obj=petition)
        roles = access.roles_in(user, petition.unit)
        in_scope = access.petitions_in_scope(user)
        linked = in_scope.filter(pk__in=petition.linked.values("pk"))
        unanswered = actions.unanswered_linked(petition)
        choices = action_choices(petition, user)
        may_supervise = choices.targets.exists()
        allowed = allowed_actions(petition.status, roles)
        templates = ReplyTemplate.texts_for(
            petition, [a.value for a in allowed if a.value in ReplyTemplate.Use.values]
        )
        forms_now = []
        for action in allowed:
            if action == Action.SUPERVISE and not may_supervise:
                continue  # only a superior unit orders supervision
            form = action_form(
                petition, user=user, action=action.value, choices=choices
            )
            if action.value in templates:
                form.initial["text"] = templates[action.value]
            names = ACTION_FIELDS[action]
            if action == Action.REPLY and linked.exists():
                names = [*names, "reply_linked"]
            forms_now.append((action, [form[name] for name in names], form))
        orders = list(
            petition.supervision_orders.select_related("from_unit", "to_unit")
        )
        return {
            **super().get_context_data(**kwargs),
            "petition": petition,
            "events": petition.events.select_related("actor"),
            "replies": petition.replies.select_related("unit"),
            "attachments": petition.attachments.all(),
            "orders": orders,
            "feedback_orders": [
                order
                for order in orders
                if not order.feedback_at
                and access.own_roles_in(user, order.to_unit) & {Role.HANDLER, Role.HEAD}
            ],
            "action_forms": forms_now,
            "follow_up": getattr(petition, "follow_up", None),
            "verdicts": Rating.Verdict.choices,
            "linked": linked,
            "linked_elsewhere": petition.linked.exclude(pk__in=linked.values("pk")),
            "unanswered": unanswered.filter(pk__in=linked.values("pk")),
            "unanswered_elsewhere": unanswered.exclude(pk__in=linked.values("pk")),
            "answering": bool(
                {Action.REPLY, Action.CLOSE} & {entry[0] for entry in forms_now}
            ),
            "repeats": actions.repeat_candidates(petition, user)[:10],
            "roles": sorted(Role(role).label for role in roles),
            "may_ask_extension": Role.HANDLER in roles
            and Role.HEAD not in roles
            and petition.status in TRANSITIONS[Action.EXTEND].sources
            and not petition.extension_days,
        }


def supervision_order(petition, pk):
    """An order on ``petition`` (404 for another petition's or a bad id)."""
    try:
        return petition.supervision_orders.select_related("to_unit").get(pk=pk)
    except (SupervisionOrder.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def report_linked_replies(request, result: actions.LinkedReplies) -> None:
    if result.replied:
        messages.success(
            request,
            _("The same reply also went to %(numbers)s.")
            % {"numbers": ", ".join(p.tracking_no for p in result.replied)},
        )
    for other, reason in result.refused:
        messages.warning(
            request,
            _("Not replied to %(number)s: %(reason)s")
            % {"number": other.tracking_no, "reason": reason},
        )


class ActView(WorkspaceMixin, View):
    """POST one action; a refusal comes back as a message on the detail page."""

    def post(self, request, pk, action):
        petition = access.petition_for(request.user, pk)
        detail = reverse("petitions_admin_detail", args=[petition.pk])
        extra = {
            "note": lambda: actions.add_note(
                petition, request.POST.get("text"), actor=request.user, request=request
            ),
            "follow-up": lambda: actions.record_follow_up(
                petition.follow_up,
                request.POST.get("verdict"),
                request.POST.get("text"),
                actor=request.user,
                request=request,
            ),
            "extension-request": lambda: actions.request_extension(
                petition,
                request.POST.get("days"),
                request.POST.get("text"),
                actor=request.user,
                request=request,
            ),
            "link": lambda: actions.link(
                petition, request.POST.get("other"), actor=request.user, request=request
            ),
            "feedback": lambda: actions.supervision_feedback(
                supervision_order(petition, request.POST.get("order")),
                request.POST.get("text"),
                actor=request.user,
                request=request,
            ),
        }
        if action in extra:
            try:
                extra[action]()
            except actions.PetitionRefused as refusal:
                for field_messages in refusal.errors.values():
                    for message in field_messages:
                        messages.error(request, message)
            except FollowUp.DoesNotExist:
                raise Http404 from None
            else:
                messages.success(request, _("Saved."))
            return redirect(detail)
        try:
            action = Action(action)
        except ValueError:
            raise Http404 from None
        form = action_form(petition, request.POST, user=request.user)
        if not form.is_valid():
            messages.error(request, _("Some answers need correcting."))
            return redirect(detail)
        try:
            result = perform(action, petition, form.cleaned_data, request.user, request)
        except actions.PetitionRefused as refusal:
            for field_messages in refusal.errors.values():
                for message in field_messages:
                    messages.error(request, message)
            return redirect(detail)
        messages.success(
            request,
            _("Done: %(action)s.") % {"action": action.label},
        )
        if isinstance(result, actions.LinkedReplies):
            report_linked_replies(request, result)
        if not access.petitions_in_scope(request.user).filter(pk=pk).exists():
            # A review or an order sent it out of the user's units.
            return redirect("petitions_admin_queue", "all")
        return redirect(detail)
