"""The public site's pages and the shared facts they point to.

The page tree, per language:

    HomePage
    ├── LegalGuideIndexPage ── LegalGuidePage        普法指南
    ├── CaseStudyIndexPage ─── CaseStudyPage         典型案例
    ├── QuestionAnswerPage (questions grouped by topic, one anchor each)
    ├── NewsIndexPage ──────── NewsPage              新闻与活动
    └── ChannelDirectoryPage ─ ServiceChannelPage    办事渠道

Topics, regions, contact people and offices are translatable snippets, so a phone
number or an address changes in one place for every page that refers to it.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, prefetch_related_objects
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.models import (
    DraftStateMixin,
    Orderable,
    Page,
    PageViewRestriction,
    RevisionMixin,
    TranslatableMixin,
    WorkflowMixin,
)
from wagtail.search import index

from home.blocks import PROSE_FEATURES, GuideBodyBlock
from home.forms import QuestionAnswerPageForm, ServiceChannelPageForm
from home.navigation import page_ancestors, site_hotlines
from home.validators import validate_phone

# Snippets: shared facts ------------------------------------------------------------


class Topic(TranslatableMixin, models.Model):
    """A legal subject readers recognise (欠薪, 婚姻家庭); the slug is shared by
    every translation so a filter link works in each language."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, allow_unicode=False)
    description = models.TextField(_("description"), blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="home_topic_unique_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.name


class Region(TranslatableMixin, models.Model):
    """Where a channel serves or a case was decided; the slug is shared across
    translations."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60)

    panels = [FieldPanel("name"), FieldPanel("slug")]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["slug"]
        constraints = [
            models.UniqueConstraint(
                fields=["locale", "slug"], name="home_region_unique_slug_per_locale"
            )
        ]

    def __str__(self):
        return self.name


class Office(
    WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model
):
    """A place people can walk into; channels name it instead of copying its address.

    Its address and phone are facts the public acts on, so a change goes through
    Legal review like a page (drafts, revisions, workflow); pages show only the
    published version.
    """

    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=255)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    phone = models.CharField(
        _("phone"), max_length=40, blank=True, validators=[validate_phone]
    )
    directions = models.TextField(
        _("how to get there"),
        blank=True,
        help_text=_("Bus lines, entrances, parking: what a first-time visitor needs."),
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        FieldPanel("region"),
        FieldPanel("phone"),
        FieldPanel("directions"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ContactPerson(
    WorkflowMixin, DraftStateMixin, RevisionMixin, TranslatableMixin, models.Model
):
    """The named person who answers for a channel (首问负责): the public knows who.

    Reviewed like an office: a new direct line is public only once approved.
    """

    name = models.CharField(_("name"), max_length=60)
    role = models.CharField(_("role"), max_length=120, blank=True)
    phone = models.CharField(
        _("direct line"), max_length=40, blank=True, validators=[validate_phone]
    )
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("phone"),
        FieldPanel("office"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("contact person")
        verbose_name_plural = _("contact people")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


# Site settings ---------------------------------------------------------------------


@register_setting(icon="warning")
class SiteNotice(BaseSiteSetting):
    """One notice across the whole site (an emergency, holiday hours, a backlog
    delay), shown only between its start and end so nobody forgets to take it down."""

    class Level(models.TextChoices):
        INFO = "info", _("Information")
        WARNING = "warning", _("Warning")

    message = models.TextField(_("message (Chinese)"), blank=True)
    message_en = models.TextField(_("message (English)"), blank=True)
    level = models.CharField(
        _("level"), max_length=10, choices=Level.choices, default=Level.INFO
    )
    starts_at = models.DateTimeField(_("show from"), null=True, blank=True)
    ends_at = models.DateTimeField(_("show until"), null=True, blank=True)

    panels = [
        FieldPanel("message"),
        FieldPanel("message_en"),
        FieldPanel("level"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
    ]

    class Meta:
        verbose_name = _("site-wide notice")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError(
                {"ends_at": _("The notice must end after it starts.")}
            )

    def seconds_until_change(self, now=None):
        """Seconds until the notice appears or disappears, or None if it won't.

        Cached pages must not outlive that moment.
        """
        now = now or timezone.now()
        upcoming = [t for t in (self.starts_at, self.ends_at) if t and t > now]
        if not upcoming:
            return None
        return max(1, int((min(upcoming) - now).total_seconds()))

    def text_for(self, language_code: str, now=None) -> str:
        """The message to show now in this language, or '' when there is none."""
        now = now or timezone.now()
        if self.starts_at and now < self.starts_at:
            return ""
        if self.ends_at and now >= self.ends_at:
            return ""
        if language_code == "en" and self.message_en:
            return self.message_en
        return self.message


class FooterLinkBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Link text"))
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"
        label = _("Link to another site")


@register_setting(icon="list-ul")
class NavigationSettings(BaseSiteSetting):
    """The main menu and the footer, edited in one place for the whole site.

    Editors choose pages once (in any language); each reader sees the version in
    their own language when it exists. An empty menu falls back to the home
    page's sections marked "show in menus".
    """

    main_menu = StreamField(
        [("page", blocks.PageChooserBlock(label=_("Page")))],
        blank=True,
        verbose_name=_("main menu"),
    )
    footer_links = StreamField(
        [
            ("page", blocks.PageChooserBlock(label=_("Page"))),
            ("link", FooterLinkBlock()),
        ],
        blank=True,
        verbose_name=_("footer links"),
    )
    footer_text = models.TextField(_("footer text (Chinese)"), blank=True)
    footer_text_en = models.TextField(_("footer text (English)"), blank=True)

    panels = [
        FieldPanel("main_menu"),
        FieldPanel("footer_links"),
        FieldPanel("footer_text"),
        FieldPanel("footer_text_en"),
    ]

    class Meta:
        verbose_name = _("navigation")

    def footer_text_for(self, language_code: str) -> str:
        if language_code == "en" and self.footer_text_en:
            return self.footer_text_en
        return self.footer_text


# Helpers shared by pages -----------------------------------------------------------


class Audience(models.TextChoices):
    EVERYONE = "everyone", _("Everyone")
    WORKERS = "workers", _("Workers")
    FAMILIES = "families", _("Families")
    ELDERLY = "elderly", _("Older people")
    MINORS = "minors", _("Children and parents")
    CONSUMERS = "consumers", _("Consumers")
    BUSINESSES = "businesses", _("Employers and businesses")


def localized_pages(pages, locale_id, model=Page):
    """The reader-language versions of `pages`, in the same order, in one query.

    Editors may point an English page at a Chinese guide (a copied translation keeps
    its links); the reader should still land on the English guide when one is live.
    Pages with no live translation are kept as they are. `model` says which class
    to fetch, so templates get its fields without one query per page type.
    """
    pages = [page for page in pages if page is not None and page.live]
    missing = [page.translation_key for page in pages if page.locale_id != locale_id]
    if missing:
        found = {
            page.translation_key: page
            for page in model.objects.filter(
                translation_key__in=missing, locale_id=locale_id
            ).live()
        }
        pages = [found.get(page.translation_key, page) for page in pages]
    # Two versions of one page (a guide and its translation) appear once.
    seen = set()
    unique = []
    for page in pages:
        if page.translation_key not in seen:
            seen.add(page.translation_key)
            unique.append(page)
    return unique


def localized_snippets(snippets, locale_id):
    """Like localized_pages, for topics, regions, offices and contacts.

    Snippets under review (offices, contacts) count only once published: a draft
    never reaches the public, in either language.
    """
    snippets = [
        snippet
        for snippet in snippets
        if snippet is not None and getattr(snippet, "live", True)
    ]
    missing = {s.translation_key for s in snippets if s.locale_id != locale_id}
    if not missing:
        return snippets
    model = type(snippets[0])
    translations = model.objects.filter(
        translation_key__in=missing, locale_id=locale_id
    )
    if issubclass(model, DraftStateMixin):
        translations = translations.filter(live=True)
    found = {s.translation_key: s for s in translations}
    return [found.get(s.translation_key, s) for s in snippets]


def localized_snippet(snippet, locale_id):
    """One snippet in the reader's language; None when there is none to show."""
    found = localized_snippets([snippet], locale_id)
    return found[0] if found else None


def localize_regions(pages, locale_id) -> None:
    """Give every page in a list its reader_region with one query, not one each."""
    regions = localized_snippets([page.region for page in pages], locale_id)
    by_key = {region.translation_key: region for region in regions}
    for page in pages:
        region = page.region
        page.__dict__["reader_region"] = (
            by_key.get(region.translation_key, region) if region else None
        )


def linked_pages(page, relation: str, field: str, model, request=None) -> list:
    """The pages `page` links to through its inline `relation` rows (their foreign
    key is `field`), each in the page's language when live there, in the editors'
    order, in one query (localized_pages needs two when a link crosses languages).

    In preview the links exist only in memory, so they are read from there.
    """
    if getattr(request, "is_preview", False):
        targets = [
            getattr(link, field)
            for link in getattr(page, relation).select_related(field)
        ]
        return localized_pages(targets, page.locale_id, model)
    links = getattr(page, relation).model.objects.filter(page_id=page.pk)
    # The first link to each page (sort_order is empty on links made in code).
    first_link = links.filter(
        **{f"{field}__translation_key": OuterRef("translation_key")}
    ).order_by("sort_order", "pk")[:1]
    candidates = (
        model.objects.live()
        .filter(
            Q(pk__in=links.values(f"{field}_id"))
            | Q(
                locale_id=page.locale_id,
                translation_key__in=links.values(f"{field}__translation_key"),
            )
        )
        .annotate(
            link_sort=Subquery(first_link.values("sort_order")),
            link_pk=Subquery(first_link.values("pk")),
        )
    )
    chosen = {}
    for candidate in candidates:
        if (
            candidate.translation_key not in chosen
            or candidate.locale_id == page.locale_id
        ):
            chosen[candidate.translation_key] = candidate
    return sorted(
        chosen.values(), key=lambda linked: (linked.link_sort or 0, linked.link_pk)
    )


class SharedAncestorsMixin:
    """Wagtail's view-restriction check and our breadcrumbs, menu and language
    switcher all need the page's ancestors: fetch them once per page object."""

    @cached_property
    def cached_ancestors(self) -> list:
        return list(self.get_ancestors())

    def get_view_restrictions(self):
        """As Wagtail's, over the ancestors already fetched (an alias answers to
        the restrictions of the page it copies)."""
        pages = [self, *self.cached_ancestors]
        ids = {page.alias_of_id or page.pk for page in pages}
        return PageViewRestriction.objects.filter(page_id__in=ids)


class ClassifiedPage(SharedAncestorsMixin, Page):
    """Content readers can filter: by topic, by who it is for, by region.

    A page without a region applies everywhere (national law), so a region filter
    keeps it.
    """

    topics = ParentalManyToManyField(
        Topic, verbose_name=_("topics"), blank=True, related_name="+"
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default="everyone"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Leave empty when it applies everywhere."),
    )
    summary = models.TextField(
        _("summary"),
        help_text=_("Two or three plain sentences: shown in lists and to search."),
    )

    classification_panels = [
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("audience"),
        FieldPanel("region"),
    ]
    search_fields = Page.search_fields + [index.SearchField("summary")]

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return self.search_description or self.summary

    # Foreign keys the page template shows; fetched together in one query.
    shown_relations = ("region",)

    def load_shown_relations(self, request) -> None:
        """Fetch the foreign keys the template shows in one query, not one each.

        Skipped in preview, where the page holds unsaved choices the database
        does not know yet.
        """
        ids = {field: getattr(self, f"{field}_id") for field in self.shown_relations}
        if getattr(request, "is_preview", False) or not any(ids.values()):
            return
        fetched = [self._meta.get_field(field).is_cached(self) for field in ids]
        if all(fetched):  # routed by SectionIndexPage.route, which joined them
            return
        fresh = (
            type(self)
            .objects.select_related(*self.shown_relations)
            .filter(pk=self.pk)
            .first()
        )
        for field, pk in ids.items():
            if fresh is not None and pk and getattr(fresh, f"{field}_id") == pk:
                setattr(self, field, getattr(fresh, field))

    def get_context(self, request, *args, **kwargs):
        self.load_shown_relations(request)
        return super().get_context(request, *args, **kwargs)

    @cached_property
    def reader_topics(self):
        return localized_snippets(list(self.topics.all()), self.locale_id)

    @cached_property
    def reader_region(self):
        """The region in the page's language: an English copy made by translation
        still points at the Chinese region until an editor changes it."""
        return localized_snippet(self.region, self.locale_id)

    def structured_data(self, request) -> dict:
        return {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.description,
            "inLanguage": self.locale.language_code,
            "url": self.get_full_url(request),
            "datePublished": (
                self.first_published_at.isoformat() if self.first_published_at else None
            ),
            "dateModified": (
                self.last_published_at.isoformat() if self.last_published_at else None
            ),
            "publisher": {
                "@type": "GovernmentOrganization",
                "name": str(_("Public Legal Services Portal")),
            },
        }


# Wagtail gives each page class its own template name, so subclasses repeat this.
SECTION_TEMPLATE = "home/section_index_page.html"


class SectionIndexPage(SharedAncestorsMixin, Page):
    """A section's front page: its children, newest first, filtered and paginated.

    Filters are plain GET parameters so they work without JavaScript and can be
    bookmarked: ?topic=wages&audience=workers&region=dongcheng&page=2.
    """

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    child_model = None
    per_page = 10
    filters = ("topic", "audience", "region")
    ordering = ("-first_published_at",)

    parent_page_types = ["home.HomePage"]
    max_count_per_parent = 1

    class Meta:
        abstract = True

    @property
    def description(self) -> str:
        return self.search_description or self.intro

    def route(self, request, path_components):
        """Find a child in one query, with the facts its template shows, where
        Wagtail would take three (the page, its specific class, the facts)."""
        if len(path_components) == 1 and self.child_model is not None:
            child = (
                self.child_model.objects.child_of(self)
                .select_related(*self.child_model.shown_relations)
                .filter(slug=path_components[0])
                .first()
            )
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, [])
        return super().route(request, path_components)

    def get_items(self):
        return (
            self.child_model.objects.child_of(self)
            .live()
            .select_related("region")
            .order_by(*self.ordering)
        )

    def filter_items(self, items, params) -> tuple:
        chosen = {}
        topic = params.get("topic", "")
        if "topic" in self.filters and topic:
            items = items.filter(topics__slug=topic).distinct()
            chosen["topic"] = topic
        audience = params.get("audience", "")
        if "audience" in self.filters and audience in Audience.values:
            items = items.filter(audience=audience)
            chosen["audience"] = audience
        region = params.get("region", "")
        if "region" in self.filters and region:
            items = items.filter(
                models.Q(region__slug=region) | models.Q(region__isnull=True)
            )
            chosen["region"] = region
        return items, chosen

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items, chosen = self.filter_items(self.get_items(), request.GET)
        paginator = Paginator(items, self.per_page)
        try:
            items_page = paginator.page(request.GET.get("page", 1))
        except PageNotAnInteger:
            items_page = paginator.page(1)
        except EmptyPage:
            items_page = paginator.page(paginator.num_pages)
        items_page.object_list = list(items_page.object_list)
        localize_regions(items_page.object_list, self.locale_id)
        query = request.GET.copy()
        query.pop("page", None)
        locale = self.locale_id
        context.update(
            items=items_page,
            chosen=chosen,
            filter_query=query.urlencode(),
            topics=Topic.objects.filter(locale=locale)
            if "topic" in self.filters
            else [],
            regions=Region.objects.filter(locale=locale)
            if "region" in self.filters
            else [],
            audiences=Audience.choices if "audience" in self.filters else [],
        )
        return context


# Guides ----------------------------------------------------------------------------


class LegalGuideIndexPage(SectionIndexPage):
    """普法指南: the plain-language guides."""

    template = SECTION_TEMPLATE

    child_model = None  # set below, once LegalGuidePage exists
    subpage_types = ["home.LegalGuidePage"]

    class Meta:
        verbose_name = _("guide section")


class LegalGuidePage(ClassifiedPage):
    """A plain-language guide to one legal problem, with the law quoted and the
    channels that help with it."""

    body = StreamField(GuideBodyBlock(), verbose_name=_("body"))
    last_reviewed = models.DateField(
        _("last reviewed"),
        help_text=_("When a lawyer last checked this guide against the law."),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("last_reviewed"),
        MultiFieldPanel(ClassifiedPage.classification_panels, heading=_("Filters")),
        InlinePanel("related_guides", label=_("Related guides")),
        InlinePanel("related_channels", label=_("Related service channels")),
    ]
    search_fields = ClassifiedPage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.LegalGuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("legal guide")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_guides"] = linked_pages(
            self, "related_guides", "guide", LegalGuidePage, request
        )
        channels = linked_pages(
            self, "related_channels", "channel", ServiceChannelPage, request
        )
        prefetch_related_objects(channels, "phones")
        context["related_channels"] = channels
        return context

    def structured_data(self, request) -> dict:
        data = super().structured_data(request)
        data["dateModified"] = self.last_reviewed.isoformat()
        return data


LegalGuideIndexPage.child_model = LegalGuidePage


class GuideRelatedGuide(Orderable):
    page = ParentalKey(LegalGuidePage, related_name="related_guides")
    guide = models.ForeignKey(
        LegalGuidePage,
        verbose_name=_("guide"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [PageChooserPanel("guide")]


class GuideRelatedChannel(Orderable):
    page = ParentalKey(LegalGuidePage, related_name="related_channels")
    channel = models.ForeignKey(
        "home.ServiceChannelPage",
        verbose_name=_("service channel"),
        on_delete=models.CASCADE,
        related_name="guide_links",
    )
    panels = [PageChooserPanel("channel")]


# Typical cases ---------------------------------------------------------------------


class CaseStudyIndexPage(SectionIndexPage):
    """典型案例: how courts and mediators decided matters like the reader's."""

    template = SECTION_TEMPLATE

    subpage_types = ["home.CaseStudyPage"]
    ordering = ("-decided_on",)

    class Meta:
        verbose_name = _("case section")


class CaseStudyPage(ClassifiedPage):
    """A typical case: what happened, how it was decided, and what it teaches."""

    background = RichTextField(_("background"), features=PROSE_FEATURES)
    decision = RichTextField(_("how it was decided"), features=PROSE_FEATURES)
    significance = RichTextField(_("the lesson (典型意义)"), features=PROSE_FEATURES)
    authority = models.CharField(
        _("court or authority"), max_length=120, help_text=_("Who decided it.")
    )
    decided_on = models.DateField(_("decided on"))
    case_number = models.CharField(
        _("case number"),
        max_length=60,
        blank=True,
        help_text=_("（2025）苏0102民初123号"),
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldRowPanel(
            [
                FieldPanel("authority"),
                FieldPanel("decided_on"),
                FieldPanel("case_number"),
            ]
        ),
        FieldPanel("background"),
        FieldPanel("decision"),
        FieldPanel("significance"),
        MultiFieldPanel(ClassifiedPage.classification_panels, heading=_("Filters")),
        InlinePanel("related_guides", label=_("Related guides")),
    ]
    search_fields = ClassifiedPage.search_fields + [
        index.SearchField("background"),
        index.SearchField("decision"),
        index.SearchField("significance"),
    ]

    parent_page_types = ["home.CaseStudyIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("typical case")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["related_guides"] = linked_pages(
            self, "related_guides", "guide", LegalGuidePage, request
        )
        return context


CaseStudyIndexPage.child_model = CaseStudyPage


class CaseRelatedGuide(Orderable):
    page = ParentalKey(CaseStudyPage, related_name="related_guides")
    guide = models.ForeignKey(
        LegalGuidePage,
        verbose_name=_("guide"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [PageChooserPanel("guide")]


# Questions and answers -------------------------------------------------------------


class QuestionAnswerPage(SharedAncestorsMixin, Page):
    """Short answers to the questions people ask most, grouped by topic; each has
    its own anchor so a hotline operator can send a link to exactly one answer."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel("questions", label=_("Questions"), min_num=1),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro")]
    base_form_class = QuestionAnswerPageForm

    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("questions and answers")

    @property
    def description(self) -> str:
        return self.search_description or self.intro

    def grouped_questions(self):
        """[(topic or None, [question, ...]), ...] in the order editors set."""
        questions = list(self.questions.select_related("topic"))
        topics = localized_snippets(
            [q.topic for q in questions if q.topic], self.locale_id
        )
        by_key = {topic.translation_key: topic for topic in topics}
        groups = {}
        for question in questions:
            topic = (
                by_key.get(question.topic.translation_key) if question.topic else None
            )
            groups.setdefault(topic.pk if topic else None, (topic, []))[1].append(
                question
            )
        return list(groups.values())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = self.grouped_questions()
        return context

    def structured_data(self, request) -> dict:
        from django.utils.html import strip_tags

        page_url = self.get_full_url(request)
        return {
            "@context": "https://schema.org",
            "@type": "FAQPage",
            "inLanguage": self.locale.language_code,
            "url": page_url,
            "mainEntity": [
                {
                    "@type": "Question",
                    "url": f"{page_url}#{question.fragment}",
                    "name": question.question,
                    "acceptedAnswer": {
                        "@type": "Answer",
                        "text": strip_tags(question.answer),
                    },
                }
                for question in self.questions.all()
            ],
        }


class QuestionAnswer(Orderable):
    page = ParentalKey(QuestionAnswerPage, related_name="questions")
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    anchor = models.SlugField(
        _("anchor"),
        max_length=60,
        help_text=_("The end of this answer's link, for example: unpaid-wages."),
    )
    question = models.CharField(_("question"), max_length=255)
    answer = RichTextField(_("answer"), features=PROSE_FEATURES)

    panels = [
        FieldPanel("topic"),
        FieldPanel("anchor"),
        FieldPanel("question"),
        FieldPanel("answer"),
    ]

    @property
    def fragment(self) -> str:
        """The element id and link fragment: prefixed, so no anchor an editor
        picks can clash with the page's own ids (the skip link's "main")."""
        return f"q-{self.anchor}"


# News ------------------------------------------------------------------------------


class NewsIndexPage(SectionIndexPage):
    """News and event notices."""

    template = SECTION_TEMPLATE

    subpage_types = ["home.NewsPage"]
    ordering = ("-date",)

    class Meta:
        verbose_name = _("news section")


class NewsPage(ClassifiedPage):
    """A news item or an event notice: when and where."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=160, blank=True)
    body = StreamField(GuideBodyBlock(), verbose_name=_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldRowPanel([FieldPanel("date"), FieldPanel("place")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        MultiFieldPanel(ClassifiedPage.classification_panels, heading=_("Filters")),
    ]
    search_fields = ClassifiedPage.search_fields + [index.SearchField("body")]

    parent_page_types = ["home.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")

    def structured_data(self, request) -> dict:
        data = super().structured_data(request)
        data["@type"] = "NewsArticle"
        data["datePublished"] = self.date.isoformat()
        return data


NewsIndexPage.child_model = NewsPage


# Service channels ------------------------------------------------------------------


class ChannelKind(models.TextChoices):
    HOTLINE = "hotline", _("Hotline")
    DIRECT_LINE = "direct", _("Direct line")
    ONLINE = "online", _("Online desk")
    WECHAT = "wechat", _("WeChat account")
    OFFICE = "office", _("Walk-in office")
    MOBILE = "mobile", _("Mobile service point")


class ChannelDirectoryPage(SectionIndexPage):
    """办事渠道: every way to reach the service, filtered by kind, region and topic."""

    template = SECTION_TEMPLATE

    subpage_types = ["home.ServiceChannelPage"]
    filters = ("topic", "region", "kind")
    ordering = ("kind", "title")
    per_page = 20

    class Meta:
        verbose_name = _("channel directory")

    def get_items(self):
        return super().get_items().prefetch_related("phones")

    def filter_items(self, items, params):
        items, chosen = super().filter_items(items, params)
        kind = params.get("kind", "")
        if kind in ChannelKind.values:
            items = items.filter(kind=kind)
            chosen["kind"] = kind
        return items, chosen

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["kinds"] = ChannelKind.choices
        return context


class ServiceChannelPage(ClassifiedPage):
    """One way to reach the service: who answers, when, where, and what they promise."""

    kind = models.CharField(_("kind"), max_length=10, choices=ChannelKind.choices)
    office = models.ForeignKey(
        Office,
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Where to go in person; its address is kept in one place."),
    )
    location_note = models.TextField(
        _("where and when it comes"),
        blank=True,
        help_text=_("For a mobile service point: the villages, markets and dates."),
    )
    online_url = models.URLField(_("online desk address"), blank=True)
    wechat_account = models.CharField(_("WeChat account"), max_length=60, blank=True)
    holiday_note = models.CharField(
        _("public holidays"),
        max_length=255,
        blank=True,
        help_text=_("For example: closed on statutory holidays; hotline stays open."),
    )
    contact = models.ForeignKey(
        ContactPerson,
        verbose_name=_("responsible person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    team = models.CharField(_("responsible team"), max_length=120, blank=True)
    handles = RichTextField(_("what it handles"), features=PROSE_FEATURES)
    bring = RichTextField(_("what to bring"), features=PROSE_FEATURES, blank=True)
    promise = models.TextField(
        _("service promise"),
        help_text=_(
            "What the public can hold you to, for example a reply within 5 days."
        ),
    )
    languages = models.CharField(
        _("languages served"), max_length=120, default="普通话", blank=True
    )
    accessibility = models.TextField(_("accessibility"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("summary"),
        InlinePanel("phones", label=_("Phone numbers")),
        MultiFieldPanel(
            [
                FieldPanel("office"),
                FieldPanel("location_note"),
                FieldPanel("online_url"),
                FieldPanel("wechat_account"),
            ],
            heading=_("Where to reach it"),
        ),
        InlinePanel("hours", label=_("Opening hours")),
        FieldPanel("holiday_note"),
        MultiFieldPanel(
            [FieldPanel("contact"), FieldPanel("team")], heading=_("Who answers")
        ),
        FieldPanel("handles"),
        FieldPanel("bring"),
        FieldPanel("promise"),
        FieldPanel("languages"),
        FieldPanel("accessibility"),
        MultiFieldPanel(ClassifiedPage.classification_panels, heading=_("Filters")),
    ]
    search_fields = ClassifiedPage.search_fields + [index.SearchField("handles")]
    shown_relations = ("region", "office", "contact")
    base_form_class = ServiceChannelPageForm

    parent_page_types = ["home.ChannelDirectoryPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("service channel")

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == ChannelKind.ONLINE and not self.online_url:
            errors["online_url"] = _("An online desk needs its web address.")
        if self.kind == ChannelKind.WECHAT and not self.wechat_account:
            errors["wechat_account"] = _("A WeChat channel needs its account name.")
        if self.kind == ChannelKind.OFFICE and not self.office_id:
            errors["office"] = _("An office channel needs the office people walk into.")
        if self.kind == ChannelKind.MOBILE and not self.location_note:
            errors["location_note"] = _(
                "Say where and when the mobile service point comes."
            )
        if not self.team and not self.contact_id:
            errors["team"] = _("Name the responsible person or team.")
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Guides in the reader's language that send readers here (to this channel
        # or to its other-language version).
        guides = LegalGuidePage.objects.live().filter(
            locale_id=self.locale_id,
            related_channels__channel__translation_key=self.translation_key,
        )
        context["related_guides"] = localized_pages(
            list(guides.distinct()[:6]), self.locale_id, LegalGuidePage
        )
        context["office"] = self.reader_office
        context["directory"] = page_ancestors(request, self)[-1]
        context["contact"] = self.reader_contact
        return context

    @cached_property
    def reader_office(self):
        return localized_snippet(self.office, self.locale_id)

    @cached_property
    def reader_contact(self):
        return localized_snippet(self.contact, self.locale_id)

    @cached_property
    def phone_list(self):
        return list(self.phones.all())

    @cached_property
    def hours_list(self):
        return list(self.hours.all())

    def structured_data(self, request) -> dict:
        channel = {"@type": "ServiceChannel", "name": self.title}
        phones = self.phone_list
        if phones:
            channel["servicePhone"] = {
                "@type": "ContactPoint",
                "telephone": phones[0].number,
                "availableLanguage": self.languages,
                "hoursAvailable": [h.structured_data() for h in self.hours_list],
            }
        if self.online_url:
            channel["serviceUrl"] = self.online_url
        if self.reader_office is not None:
            channel["serviceLocation"] = {
                "@type": "Place",
                "name": self.reader_office.name,
                "address": self.reader_office.address,
            }
        data = {
            "@context": "https://schema.org",
            "@type": "GovernmentService",
            "name": self.title,
            "description": self.description,
            "serviceType": self.get_kind_display(),
            "url": self.get_full_url(request),
            "availableChannel": channel,
            "provider": {
                "@type": "GovernmentOrganization",
                "name": self.team or str(_("Public Legal Services Portal")),
            },
        }
        if self.reader_region is not None:
            data["areaServed"] = self.reader_region.name
        return data


ChannelDirectoryPage.child_model = ServiceChannelPage


class ChannelPhone(Orderable):
    page = ParentalKey(ServiceChannelPage, related_name="phones")
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("For example: 24-hour line")
    )
    number = models.CharField(_("number"), max_length=40, validators=[validate_phone])

    panels = [FieldPanel("label"), FieldPanel("number")]

    def __str__(self):
        return self.number

    @property
    def tel(self) -> str:
        """The number for a tel: link: digits and + only."""
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")


class Weekday(models.IntegerChoices):
    MONDAY = 1, _("Monday")
    TUESDAY = 2, _("Tuesday")
    WEDNESDAY = 3, _("Wednesday")
    THURSDAY = 4, _("Thursday")
    FRIDAY = 5, _("Friday")
    SATURDAY = 6, _("Saturday")
    SUNDAY = 7, _("Sunday")


SCHEMA_DAYS = {
    1: "Monday",
    2: "Tuesday",
    3: "Wednesday",
    4: "Thursday",
    5: "Friday",
    6: "Saturday",
    7: "Sunday",
}


class OpeningHours(Orderable):
    """Days and times, as in 周一至周五 9:00–12:00; two rows for a lunch break."""

    page = ParentalKey(ServiceChannelPage, related_name="hours")
    first_day = models.PositiveSmallIntegerField(
        _("from"), choices=Weekday.choices, default=Weekday.MONDAY
    )
    last_day = models.PositiveSmallIntegerField(
        _("to"), choices=Weekday.choices, default=Weekday.FRIDAY
    )
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    panels = [
        FieldRowPanel([FieldPanel("first_day"), FieldPanel("last_day")]),
        FieldRowPanel([FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens is not None and self.closes is not None:
            if self.closes <= self.opens:
                errors["closes"] = _("Closing time must be later than opening time.")
        if self.first_day and self.last_day and self.last_day < self.first_day:
            errors["last_day"] = _("The last day must not come before the first day.")
        if errors:
            raise ValidationError(errors)

    @property
    def days(self) -> str:
        if self.first_day == self.last_day:
            return self.get_first_day_display()
        return _("%(first)s to %(last)s") % {
            "first": self.get_first_day_display(),
            "last": self.get_last_day_display(),
        }

    @property
    def all_day(self) -> bool:
        return (
            self.opens.hour == 0
            and self.opens.minute == 0
            and (self.closes.hour == 23 and self.closes.minute == 59)
        )

    def structured_data(self) -> dict:
        return {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": [
                f"https://schema.org/{SCHEMA_DAYS[day]}"
                for day in range(self.first_day, self.last_day + 1)
            ],
            "opens": self.opens.strftime("%H:%M"),
            "closes": self.closes.strftime("%H:%M"),
        }


# Home ------------------------------------------------------------------------------


class HomePage(SharedAncestorsMixin, Page):
    """The portal's front door, one per language: guidance, channels, petitions."""

    intro = models.TextField(_("introduction"), blank=True)
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        InlinePanel("featured_guides", label=_("Featured guides"), max_num=6),
    ]

    max_count_per_parent = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "home.LegalGuideIndexPage",
        "home.CaseStudyIndexPage",
        "home.QuestionAnswerPage",
        "home.NewsIndexPage",
        "home.ChannelDirectoryPage",
    ]

    class Meta:
        verbose_name = _("home page")

    @property
    def description(self) -> str:
        return self.search_description or self.intro

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured = [link.guide for link in self.featured_guides.select_related("guide")]
        if not featured:
            featured = list(
                LegalGuidePage.objects.live()
                .filter(locale_id=self.locale_id)
                .order_by("-first_published_at")[:4]
            )
        context["featured_guides"] = localized_pages(
            featured, self.locale_id, LegalGuidePage
        )
        context["topics"] = Topic.objects.filter(locale_id=self.locale_id)
        context["hotlines"] = site_hotlines(request, get_language())
        # Plain pages are enough for links; specific_class needs no query.
        sections = {
            page.specific_class: page
            for page in self.get_children().live().order_by("path")
        }
        context["directory"] = sections.get(ChannelDirectoryPage)
        context["guide_index"] = sections.get(LegalGuideIndexPage)
        context["case_index"] = sections.get(CaseStudyIndexPage)
        context["questions"] = sections.get(QuestionAnswerPage)
        context["news_index"] = sections.get(NewsIndexPage)
        if context["news_index"] is not None:
            context["news"] = (
                NewsPage.objects.child_of(context["news_index"])
                .live()
                .order_by("-date")[:3]
            )
        return context

    def structured_data(self, request) -> dict:
        return {
            "@context": "https://schema.org",
            "@type": "WebSite",
            "name": self.title,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
        }


class HomePageFeaturedGuide(Orderable):
    page = ParentalKey(HomePage, related_name="featured_guides")
    guide = models.ForeignKey(
        LegalGuidePage,
        verbose_name=_("guide"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    panels = [PageChooserPanel("guide")]
