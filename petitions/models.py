"""The petition register: units, categories, deadline rules, petitions and their trail.

A petition changes only through ``petitions.actions``; every change leaves an Event.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from portal.choices import quick_choice_labels
from portal.security.crypto import EncryptedTextField

from . import conf
from .search_hooks import TreePlacementWatched
from .workflow import HANDLING, Action, Role, Status


def in_english() -> bool:
    return (get_language() or "").startswith("en")


class BilingualName(models.Model):
    """A name in Chinese with its English rendering; readers see their language."""

    name = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=160, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if in_english() and self.name_en:
            return self.name_en
        return self.name


class Unit(TreePlacementWatched, BilingualName, MP_Node):
    """A court, bureau, office or station; the unit tree scopes what staff see."""

    class Kind(models.TextChoices):
        SUPREME = "supreme", _("Supreme court")
        HIGH = "high", _("High court")
        INTERMEDIATE = "intermediate", _("Intermediate court")
        BASIC = "basic", _("Basic court")
        BUREAU = "bureau", _("Justice bureau")
        OFFICE = "office", _("Office")
        STATION = "station", _("Justice station")
        GENERIC = "generic", _("Other unit")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERIC
    )
    phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")


class UnitMembership(models.Model):
    """A staff member's role in a unit; scope reaches every unit below it."""

    class Role(models.TextChoices):
        RECEPTION = Role.RECEPTION.value, Role.RECEPTION.label
        HANDLER = Role.HANDLER.value, Role.HANDLER.label
        HEAD = Role.HEAD.value, Role.HEAD.label
        SUPERVISOR = Role.SUPERVISOR.value, Role.SUPERVISOR.label

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="unit_memberships",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("unit membership")
        verbose_name_plural = _("unit memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"], name="one_membership_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.unit}: {self.get_role_display()}"


class Category(TreePlacementWatched, BilingualName, MP_Node):
    """What a request is about; decides guidance, routing and deadlines."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    handling_unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="categories",
    )

    open_for_web = models.BooleanField(
        _("open for web submission"),
        default=True,
        help_text=_("Off: the public form points to the other channels instead."),
    )
    anonymous_allowed = models.BooleanField(
        _("anonymous submission allowed"),
        default=False,
        help_text=_("For example integrity reports: no name or ID number required."),
    )
    guidance = models.TextField(_("guidance (Chinese)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    materials = models.TextField(
        _("materials needed (Chinese)"),
        blank=True,
        help_text=_("One item per line; the form lists them all at once (一次告知)."),
    )
    materials_en = models.TextField(_("materials needed (English)"), blank=True)
    litigation_matter = models.BooleanField(
        _("belongs in a legal procedure"),
        default=False,
        help_text=_("The form steers petitioners to the procedure below (诉访分离)."),
    )
    procedure = models.TextField(_("procedure to use (Chinese)"), blank=True)
    procedure_en = models.TextField(_("procedure to use (English)"), blank=True)
    urgent_notice = models.TextField(_("urgent matters notice (Chinese)"), blank=True)
    urgent_notice_en = models.TextField(
        _("urgent matters notice (English)"), blank=True
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def _localized(self, field: str) -> str:
        english = getattr(self, f"{field}_en")
        return english if in_english() and english else getattr(self, field)

    @property
    def display_guidance(self) -> str:
        return self._localized("guidance")

    @property
    def display_materials(self) -> list[str]:
        return [
            line.strip()
            for line in self._localized("materials").splitlines()
            if line.strip()
        ]

    @property
    def display_procedure(self) -> str:
        return self._localized("procedure")

    @property
    def display_urgent_notice(self) -> str:
        return self._localized("urgent_notice")

    def routing_unit(self, region: str = "") -> Unit | None:
        """Who handles it, in layers: this category's unit for the region, this
        category's own unit, then the same two for each parent category in turn,
        the region's default, the system default (a routing rule without category
        or region), and last the PETITIONS_DEFAULT_UNIT setting; else nobody yet."""
        chain = [self, *reversed(list(self.get_ancestors()))]
        by_region = {}
        if region:
            by_region = {
                rule.category_id: rule.unit
                for rule in RoutingRule.objects.filter(region=region)
                .filter(models.Q(category__in=chain) | models.Q(category__isnull=True))
                .select_related("unit")
            }
        for node in chain:
            if node.pk in by_region:
                return by_region[node.pk]
            if node.handling_unit_id:
                return Unit.objects.get(pk=node.handling_unit_id)
        if None in by_region:
            return by_region[None]
        default = (
            RoutingRule.objects.filter(category__isnull=True, region="")
            .select_related("unit")
            .first()
        )
        if default is not None:
            return default.unit
        code = conf.default_unit_code()
        return Unit.objects.filter(code=code).first() if code else None


class RoutingRule(models.Model):
    """Routing as data: which unit receives a category's petitions from a region.

    A rule with a category and a region is the first layer of routing (the
    category's unit for this region); one with a region only is that region's
    default; the one rule with neither is the system default. A category's unit
    for every region is its own handling unit, not a rule.
    """

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="routing_rules",
        help_text=_("Empty: for every category that routes nowhere else."),
    )
    region = models.CharField(
        _("region"),
        max_length=60,
        blank=True,
        help_text=_("Empty (only without a category): the system default unit."),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        on_delete=models.PROTECT,
        related_name="routing_rules",
    )

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["category", "region"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "region"], name="one_route_per_category_region"
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=models.Q(category__isnull=True),
                name="one_default_route_per_region",
            ),
        ]

    def __str__(self) -> str:
        category = self.category.display_name if self.category_id else "*"
        return f"{category} / {self.region or '*'} → {self.unit}"

    @property
    def region_name(self) -> str:
        from .regions import region_name

        return region_name(self.region) or "*"

    def clean(self):
        from django.core.exceptions import ValidationError

        from .regions import region_slugs

        if self.category_id and not self.region:
            raise ValidationError(
                {
                    "region": _(
                        "Choose a region: a category's unit for every region is "
                        "set on the category itself."
                    )
                }
            )
        if self.region and self.region not in region_slugs():
            raise ValidationError({"region": _("Choose one of the listed regions.")})


class DeadlineRule(models.Model):
    """A clock as data: how many (calendar or working) days a step may take.

    A rule without a category is the system default; a category's own rule wins
    over its parent's, which wins over the default (DOMAIN.md, deadlines).
    """

    class Kind(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Decide acceptance (from receipt)")
        HANDLING = "handling", _("Finish handling (from acceptance)")
        EXTENSION = "extension", _("Longest extension")
        REVIEW = "review", _("Answer a review request")
        RE_REVIEW = "re_review", _("Answer a re-review request")

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="deadline_rules",
        help_text=_("Empty: the default for every category without its own rule."),
    )
    kind = models.CharField(_("clock"), max_length=20, choices=Kind.choices)
    days = models.PositiveSmallIntegerField(_("days"))
    working_days = models.BooleanField(
        _("count working days only"),
        default=False,
        help_text=_("Off: calendar days; a period ending on a day off runs on."),
    )

    class Meta:
        verbose_name = _("deadline rule")
        verbose_name_plural = _("deadline rules")
        constraints = [
            models.UniqueConstraint(
                fields=["category", "kind"], name="one_rule_per_category_and_kind"
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(category__isnull=True),
                name="one_default_rule_per_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.days}"

    @classmethod
    def for_category(cls, category, kind) -> tuple[int, bool]:
        """(days, working days?) for ``kind``: the nearest rule up the tree."""
        chain = []
        if category is not None:
            chain = [category, *reversed(list(category.get_ancestors()))]
        rules = {
            rule.category_id: rule
            for rule in cls.objects.filter(kind=kind).filter(
                models.Q(category__in=chain) | models.Q(category__isnull=True)
            )
        }
        for node in [*chain, None]:
            rule = rules.get(node.pk if node else None)
            if rule is not None:
                return rule.days, rule.working_days
        if kind == cls.Kind.ACCEPTANCE:
            return conf.accept_days(), False
        return DEFAULT_DAYS[kind], False


#: DOMAIN.md's defaults for the clocks no DeadlineRule row sets.
DEFAULT_DAYS = {
    DeadlineRule.Kind.HANDLING: 60,
    DeadlineRule.Kind.EXTENSION: 30,
    DeadlineRule.Kind.REVIEW: 30,
    DeadlineRule.Kind.RE_REVIEW: 30,
}


class DailySequence(models.Model):
    """The last tracking sequence used on a day; incremented under a row lock."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Channel(models.TextChoices):
    WEB = "web", _("Web form")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Visit in person")
    PHONE = "phone", _("Phone call")
    HOTLINE = "hotline", _("Hotline")
    WECHAT = "wechat", _("WeChat")
    EMAIL = "email", _("E-mail")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved")
    PARTLY = "partly", _("Partly resolved")
    EXPLAINED = "explained", _("Explained (not resolvable)")
    PROCEDURE = "procedure", _("Referred to a legal procedure")
    NOT_REMIT = "not_remit", _("Not our remit")


#: The queues' stand-in for "no running clock" (finished, answered, waiting for
#: materials): a date after every real deadline, so such petitions sort last.
NO_DEADLINE = datetime.date(9999, 12, 31)


@quick_choice_labels
class Petition(models.Model):
    """One request from the public, whatever channel it came by: the register's row.

    Identifiers are encrypted at rest with a keyed hash beside them for exact lookup
    (repeat petitions, issue 6); the access code is stored only as a keyed hash.
    """

    tracking_no = models.CharField(_("tracking number"), max_length=20, unique=True)
    access_code_hash = models.CharField(max_length=100, editable=False)
    channel = models.CharField(
        _("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="zh-hans"
    )
    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="petitions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("handling unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="petitions",
        db_index=False,  # petition_unit_status begins with it
    )
    first_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("first-contact person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="first_contact_petitions",
        help_text=_("首问责任人: who received it stays responsible to the end."),
    )

    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    id_number = EncryptedTextField(_("national ID number"), blank=True)
    id_number_hash = models.CharField(max_length=64, blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)

    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    case_number = models.CharField(_("related case number"), max_length=60, blank=True)
    complained_about = models.CharField(
        _("party or office complained about"), max_length=200, blank=True
    )
    region = models.CharField(
        _("region"),
        max_length=60,
        blank=True,
        help_text=_("Where the matter arose (a region's slug); routing uses it."),
    )
    co_signers = models.PositiveIntegerField(
        _("co-signers"), default=0, help_text=_("Others who signed a joint petition.")
    )
    consent_at = models.DateTimeField(_("consented to the privacy notice at"))
    privacy_notice_version = models.CharField(
        _("privacy notice version"), max_length=20
    )

    received_at = models.DateTimeField(_("received at"))
    accept_by = models.DateField(_("decide acceptance by"), null=True, blank=True)
    due_at = models.DateField(_("due"), null=True, blank=True)
    expected_by = models.DateField(_("expected by"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, db_index=True)
    # The running deadline, kept by the database from the status and the two
    # dates, so that a queue is read in order from an index (``petition_queue``)
    # instead of sorting every petition in scope. The database computes it: an
    # instance saved with a new status shows the old value until it is read again.
    queue_deadline = models.GeneratedField(
        expression=Coalesce(
            models.Case(
                models.When(status=Status.RECEIVED, then=models.F("accept_by")),
                models.When(status__in=sorted(HANDLING), then=models.F("due_at")),
            ),
            models.Value(NO_DEADLINE),
        ),
        output_field=models.DateField(),
        db_persist=True,
        verbose_name=_("deadline"),
    )

    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handler"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_petitions",
    )
    returns_to = models.ForeignKey(
        Unit,
        verbose_name=_("assigning unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where a return sends the petition back to."),
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=Outcome.choices, blank=True
    )
    paused_since = models.DateField(_("clock paused since"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(_("extension (days)"), default=0)
    linked = models.ManyToManyField(
        "self",
        verbose_name=_("linked petitions"),
        blank=True,
        help_text=_("Repeat or joint petitions handled together."),
    )
    review_level = models.PositiveSmallIntegerField(
        _("review level"),
        default=0,
        help_text=_("1: review (复查), 2: re-review (复核)."),
    )
    # Set when it is closed (the figures average it in the database; working days
    # need the holiday calendar, which the database does not have).
    handling_working_days = models.PositiveIntegerField(
        _("handling working days"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Working days from receipt to the last closure."),
    )

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-received_at"]
        indexes = [
            # Open, due soon and overdue: a status list and a date range (and the
            # unit, for the comparison of units, without reading the rows).
            models.Index(
                fields=["status", "expected_by", "unit"], name="petition_status_due"
            ),
            # A queue's page in the queue's order, and its count, from the index
            # alone: the scope (unit, first contact) and the status are in it.
            models.Index(
                fields=[
                    "queue_deadline",
                    "-received_at",
                    "-id",
                    "unit",
                    "status",
                    "first_contact",
                ],
                name="petition_queue",
            ),
            # A unit's own queue counted from the index alone.
            models.Index(
                fields=["unit", "status", "first_contact"], name="petition_unit_status"
            ),
            models.Index(fields=["due_at"], name="petition_due_at"),
            models.Index(fields=["accept_by"], name="petition_accept_by"),
            # Exact lookup of a petitioner, and "wrote before?" for the repeat rate.
            models.Index(
                fields=["id_number_hash", "received_at"], name="petition_id_seen"
            ),
            models.Index(
                fields=["phone_hash", "received_at"], name="petition_phone_seen"
            ),
            # The figures read these indexes alone, never the wide rows (whose long
            # texts cost SQLite a walk through overflow pages per row): what came in
            # during a period, and what a closure needs from its petition.
            models.Index(
                fields=[
                    "received_at",
                    "channel",
                    "category",
                    "unit",
                    "id_number_hash",
                    "phone_hash",
                ],
                name="petition_received_figures",
            ),
            models.Index(
                fields=[
                    "id",
                    "received_at",
                    "due_at",
                    "accept_by",
                    "outcome",
                    "handling_working_days",
                    "unit",
                ],
                name="petition_closure_figures",
            ),
        ]

    def __str__(self) -> str:
        return self.tracking_no

    @property
    def is_joint(self) -> bool:
        return self.co_signers > 0

    @property
    def running_deadline(self) -> datetime.date | None:
        """The deadline the clock runs towards as last read; None when none runs."""
        deadline = self.queue_deadline
        return None if deadline == NO_DEADLINE else deadline

    @property
    def overdue(self) -> bool:
        """Whether the running deadline (as last read) has passed: what the
        "overdue" queue selects (``NO_DEADLINE`` never passes)."""
        return self.queue_deadline < timezone.localdate()

    @property
    def region_name(self) -> str:
        from .regions import region_name

        return region_name(self.region)


class EventKind(models.TextChoices):
    """What an Event records: intake steps, then the workflow's actions."""

    SUBMIT = "submit", _("Submitted online")
    REGISTER = "register", _("Registered by reception")
    RATE = "rate", _("Rated by the petitioner")
    NOTICE = "notice", _("Notice sent")
    NOTE = "note", _("Internal note")
    EXTENSION_REQUEST = "extension_request", _("Extension requested")
    FEEDBACK = "feedback", _("Supervision feedback")
    LINK = "link", _("Linked to another petition")
    FOLLOW_UP = "follow_up", _("Follow-up call")


EVENT_CHOICES = EventKind.choices + Action.choices


@quick_choice_labels
class Event(models.Model):
    """One step in a petition's trail (全程留痕). Public ones reach the petitioner."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="events"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_role = models.CharField(max_length=20, choices=Role.choices)
    action = models.CharField(max_length=30, choices=EVENT_CHOICES)
    from_status = models.CharField(max_length=20, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    note = models.TextField(blank=True)
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The figures count the petitions with steps of one kind in a period,
            # from the index alone.
            models.Index(
                fields=["action", "created_at", "petition"], name="event_action_figures"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.action}"


class Reply(models.Model):
    """An answer to the petitioner, signed by the unit; always public once sent."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="replies"
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = models.TextField(_("reply"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.created_at:%Y-%m-%d}"


class Attachment(models.Model):
    """A checked, re-encoded file kept under PRIVATE_MEDIA_ROOT by a random name."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="attachments"
    )
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name


class Rating(models.Model):
    """The petitioner's verdict on a closed petition (回访/评价)."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", _("Satisfied")
        BASICALLY = "basically", _("Basically satisfied")
        NOT_SATISFIED = "not_satisfied", _("Not satisfied")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="ratings"
    )
    verdict = models.CharField(_("rating"), max_length=20, choices=Verdict.choices)
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.verdict}"


class QueuedMessage(models.Model):
    """A message written in the transaction that calls for it and sent by the
    worker: tried again after a failure, queued again by a periodic task when its
    job was lost, and sent at most once (the sender locks the row and sends only
    while it is pending)."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    state = models.CharField(
        max_length=10, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    next_try_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    #: What the message's reference starts with (``notice-42``).
    REFERENCE_PREFIX = "message"

    @property
    def reference(self) -> str:
        """The message's own reference, the same on every attempt to send it: the
        SMS gateway's idempotency key, the e-mail's Message-ID (``outbox``)."""
        return f"{self.REFERENCE_PREFIX}-{self.pk}"

    def forget_secret(self) -> None:
        """Called once the message is sent or given up."""


class Notification(QueuedMessage):
    """One notice to the petitioner by one channel; the worker sends and retries it.

    The access code an acknowledgement carries is kept encrypted here only until
    the notice is sent (or given up), then erased.
    """

    REFERENCE_PREFIX = "notice"

    class Kind(models.TextChoices):
        ACKNOWLEDGEMENT = "acknowledgement", _("Acknowledgement")
        REPLY = "reply", _("Reply notice")
        UPDATE = "update", _("Progress notice")

    class Medium(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    medium = models.CharField(max_length=10, choices=Medium.choices)
    secret = EncryptedTextField(blank=True)

    class Meta(QueuedMessage.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.kind} by {self.medium}"

    def forget_secret(self) -> None:
        self.secret = ""


class StaffNotice(QueuedMessage):
    """One mail to one staff member (handler, first-contact person, head) about a
    petition, written with the change or the sweep step that calls for it."""

    REFERENCE_PREFIX = "staff-notice"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    subject = models.CharField(max_length=255)
    text = models.TextField()

    class Meta(QueuedMessage.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.user_id}: {self.subject}"


class SupervisionOrder(models.Model):
    """交办/督办: a superior unit orders a unit below to handle and report back."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="supervision_orders"
    )
    from_unit = models.ForeignKey(
        Unit,
        verbose_name=_("ordering unit"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    to_unit = models.ForeignKey(
        Unit,
        verbose_name=_("ordered unit"),
        on_delete=models.PROTECT,
        related_name="supervision_orders",
    )
    instructions = models.TextField(_("instructions"))
    due_on = models.DateField(_("feedback due"))
    feedback = models.TextField(_("feedback"), blank=True)
    feedback_at = models.DateTimeField(_("feedback given at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = _("supervision order")
        verbose_name_plural = _("supervision orders")

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.to_unit} by {self.due_on}"


class SweepNotice(models.Model):
    """One reminder or escalation sent by the sweep; the unique row makes it once."""

    class Kind(models.TextChoices):
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")

    class Clock(models.TextChoices):
        ACCEPTANCE = "acceptance", _("Acceptance decision")
        HANDLING = "handling", _("Handling")
        SUPERVISION = "supervision", _("Supervision feedback")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="sweep_notices"
    )
    # A supervision order's own clock; each order is reminded of separately.
    order = models.ForeignKey(
        "SupervisionOrder",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sweep_notices",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    clock = models.CharField(max_length=20, choices=Clock.choices)
    deadline = models.DateField()
    recipients = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "kind", "clock", "deadline"],
                condition=models.Q(order__isnull=True),
                name="one_sweep_notice_per_deadline",
            ),
            models.UniqueConstraint(
                fields=["order", "kind", "deadline"],
                condition=models.Q(order__isnull=False),
                name="one_sweep_notice_per_order_deadline",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.kind} {self.clock} {self.deadline}"


class FollowUp(models.Model):
    """A closed petition sampled for a follow-up call (回访), and what it found."""

    petition = models.OneToOneField(
        Petition, on_delete=models.CASCADE, related_name="follow_up"
    )
    sampled_at = models.DateTimeField()
    verdict = models.CharField(
        _("rating"), max_length=20, choices=Rating.Verdict.choices, blank=True
    )
    result = models.TextField(_("result of the call"), blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["sampled_at", "id"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self) -> str:
        return f"{self.petition_id}: {self.verdict or '-'}"


class ReplyTemplate(models.Model):
    """Editable wording for replies, per category (and its children) and action."""

    class Use(models.TextChoices):
        REPLY = "reply", _("Reply to the petitioner")
        ANSWER = "answer", _("Answer on the spot")
        DECLINE = "decline", _("Do not accept")
        REQUEST_MATERIALS = "request_materials", _("Ask for materials")

    category = models.ForeignKey(
        Category,
        verbose_name=_("category"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="reply_templates",
        help_text=_("Empty: for every category without its own template."),
    )
    use = models.CharField(_("used for"), max_length=20, choices=Use.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(
        _("text"),
        help_text=_("{number} becomes the tracking number, {unit} the unit's name."),
    )

    class Meta:
        ordering = ["use", "title"]
        verbose_name = _("reply template")
        verbose_name_plural = _("reply templates")

    def __str__(self) -> str:
        return self.title

    @classmethod
    def texts_for(cls, petition, uses) -> dict[str, str]:
        """For each of ``uses``, the nearest template's text for ``petition``,
        filled in ("" if none): the category's line and the templates read once."""
        if not uses:
            return {}
        chain = [petition.category, *reversed(list(petition.category.get_ancestors()))]
        found = {
            (template.use, template.category_id): template
            for template in cls.objects.filter(use__in=uses).filter(
                models.Q(category__in=chain) | models.Q(category__isnull=True)
            )
        }
        unit = petition.unit.display_name if petition.unit else ""
        texts = dict.fromkeys(uses, "")
        for use in uses:
            for node in [*chain, None]:
                template = found.get((use, node.pk if node else None))
                if template is not None:
                    texts[use] = template.body.replace(
                        "{number}", petition.tracking_no
                    ).replace("{unit}", unit)
                    break
        return texts
