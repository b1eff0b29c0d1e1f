"""Demo content for the public site: the home pages, every section and its pages,
in Chinese with English translations of about half.

Safe to run again: everything is looked up by slug (pages) or by key (snippets)
before it is created, so a second run creates nothing.
"""

import datetime

from wagtail.models import DraftStateMixin, Locale, Page, ReferenceIndex, Site
from wagtail.signal_handlers import disable_reference_index_auto_update

from home import demo_content as content
from home.editorial import ensure_editorial_setup
from home.models import (
    CaseRelatedGuide,
    CaseStudyIndexPage,
    CaseStudyPage,
    ChannelDirectoryPage,
    ChannelPhone,
    ContactPerson,
    GuideRelatedChannel,
    GuideRelatedGuide,
    HomePage,
    HomePageFeaturedGuide,
    LegalGuideIndexPage,
    LegalGuidePage,
    NavigationSettings,
    NewsIndexPage,
    NewsPage,
    Office,
    OpeningHours,
    QuestionAnswer,
    QuestionAnswerPage,
    Region,
    ServiceChannelPage,
    Topic,
)

HOME_ZH = {
    "title": "法律服务门户",
    "intro": (
        "在这里，您可以读懂与自己相关的法律问题，找到合适的办事渠道，"
        "在线提交诉求并随时查询办理进度。每一件诉求都会有回音。"
    ),
}
HOME_EN = {
    "title": "Public Legal Services Portal",
    "intro": (
        "Understand the legal questions in front of you, find the right service "
        "channel, and submit a request online and follow it to its answer. "
        "Every request gets a reply."
    ),
}

# (model, slug, Chinese title, Chinese intro, English title, English intro)
SECTIONS = [
    (
        LegalGuideIndexPage,
        "guides",
        "普法指南",
        "用大白话讲清常见法律问题：遇到了怎么办、找谁、带什么。",
        "Legal guides",
        "Common legal problems in plain words: what to do, whom to ask, what to bring.",
    ),
    (
        CaseStudyIndexPage,
        "cases",
        "典型案例",
        "法院和调解组织怎么处理和您相似的事，以及从中能学到什么。",
        "Typical cases",
        "How courts and mediators decided matters like yours, and what each "
        "case teaches.",
    ),
    (
        QuestionAnswerPage,
        "questions",
        "常见问题",
        "大家最常问的问题，简短回答。每个回答都有自己的链接，方便转发。",
        "Questions and answers",
        "Short answers to the questions people ask most. Each answer has its "
        "own link to share.",
    ),
    (
        NewsIndexPage,
        "news",
        "新闻与活动",
        "服务时间调整、普法活动和工作动态。",
        "News and events",
        "Changes to opening hours, legal-education events and news.",
    ),
    (
        ChannelDirectoryPage,
        "channels",
        "办事渠道",
        "热线、窗口、网上办事和流动服务点：谁来接待、什么时间、带什么材料、承诺什么。",
        "Service channels",
        "Hotlines, offices, online desks and mobile service points: who answers, "
        "when, what to bring and what they promise.",
    ),
]


def date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


class Seeder:
    """Builds the demo site step by step; every step skips what already exists."""

    def __init__(self, stdout):
        self.stdout = stdout
        self.zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
        self.en = Locale.objects.get_or_create(language_code="en")[0]
        self.created = 0

    def publish(self, page):
        page.save_revision().publish()
        self.created += 1

    # Snippets ----------------------------------------------------------------------

    def translatable(self, model, zh_fields, en_fields, key):
        """The Chinese snippet found by `key` (a field lookup), and its English copy."""
        zh = model.objects.filter(locale=self.zh, **key).first()
        if zh is None:
            zh = model.objects.create(locale=self.zh, **zh_fields)
        en = zh.get_translation_or_none(self.en)
        if en is None:
            en = zh.copy_for_translation(self.en)
            for field, value in (en_fields or {}).items():
                setattr(en, field, value)
            if isinstance(en, DraftStateMixin):  # the demo's words count as reviewed
                en.live, en.has_unpublished_changes = True, False
            en.save()
        return zh, en

    def seed_snippets(self):
        self.topics = {}
        for slug, zh_name, en_name in content.TOPICS:
            self.topics[slug] = self.translatable(
                Topic,
                {"slug": slug, "name": zh_name},
                {"name": en_name},
                {"slug": slug},
            )
        self.regions = {}
        for slug, zh_name, en_name in content.REGIONS:
            self.regions[slug] = self.translatable(
                Region,
                {"slug": slug, "name": zh_name},
                {"name": en_name},
                {"slug": slug},
            )
        self.offices = self.translatable_pointing(
            Office, content.OFFICES, "region", self.regions
        )
        self.contacts = self.translatable_pointing(
            ContactPerson, content.CONTACTS, "office", self.offices
        )

    def translatable_pointing(self, model, items, field, targets):
        """Snippets given as {key: (Chinese fields, English fields)} whose `field`
        names a key of `targets`; each English copy points at the English target."""
        found = {}
        for key, (zh_fields, en_fields) in items.items():
            target = targets[zh_fields[field]]
            zh_fields = dict(zh_fields, **{field: target[0]})
            zh, en = self.translatable(
                model, zh_fields, en_fields, {"name": zh_fields["name"]}
            )
            if getattr(en, f"{field}_id") == getattr(zh, f"{field}_id"):
                setattr(en, field, target[1])
                en.save()
            found[key] = (zh, en)
        return found

    # Pages -------------------------------------------------------------------------

    def child(self, parent, slug):
        return parent.get_children().filter(slug=slug).specific().first()

    def classify(self, page, data, english=False):
        """Topics and region in the page's own language."""
        side = 1 if english else 0
        page.topics.set([self.topics[slug][side] for slug in data.get("topics", [])])
        if data.get("region"):
            page.region = self.regions[data["region"]][side]

    def translate(self, page, fields, english_data=None, after=None):
        """The English copy of `page`, created and published once."""
        existing = page.get_translation_or_none(self.en)
        if existing is not None:
            return existing.specific
        # The copy's related rows are replaced before it is published: indexed
        # once at the end, not row by row, so the worker is never asked to index
        # a copied row that is gone by the time it runs (the task fails on it).
        with disable_reference_index_auto_update():
            english = page.copy_for_translation(self.en).specific
            for field, value in fields.items():
                setattr(english, field, value)
            if english_data is not None:
                self.classify(english, english_data, english=True)
            if after is not None:
                after(english)
            self.publish(english)
        ReferenceIndex.create_or_update_for_object(english)
        return english

    def seed_home(self):
        site = Site.objects.filter(is_default_site=True).first()
        home = HomePage.objects.filter(locale=self.zh).first()
        if home is None:
            # A flushed database (transactional tests) has lost Wagtail's root too.
            root = Page.get_first_root_node() or Page.add_root(
                instance=Page(title="Root", slug="root", locale=self.zh)
            )
            home = root.add_child(
                instance=HomePage(locale=self.zh, slug="portal", **HOME_ZH)
            )
            self.publish(home)
            self.stdout.write("Created the Chinese home page.")
        if site is None:
            site = Site.objects.create(
                hostname="localhost",
                port=80,
                root_page=home,
                is_default_site=True,
                site_name=HOME_ZH["title"],
            )
        elif site.root_page_id != home.pk:
            placeholder = site.root_page
            site.root_page = home
            site.site_name = HOME_ZH["title"]
            site.save()
            # Wagtail's "Welcome" page from its first migration has no use here.
            if (
                not isinstance(placeholder.specific, HomePage)
                and placeholder.depth == 2
            ):
                placeholder.delete()
        if home.get_translation_or_none(self.en) is None:
            self.translate(home, HOME_EN)
            self.stdout.write("Created the English home page.")
        self.home = home
        self.home_en = home.get_translation(self.en).specific

    def seed_sections(self):
        self.sections = {}
        for model, slug, title, intro, title_en, intro_en in SECTIONS:
            page = self.child(self.home, slug)
            if page is None:
                page = self.home.add_child(
                    instance=model(
                        locale=self.zh,
                        slug=slug,
                        title=title,
                        intro=intro,
                        show_in_menus=True,
                    )
                )
                self.publish(page)
            english = self.translate(page, {"title": title_en, "intro": intro_en})
            self.sections[slug] = (page, english)

    def seed_channels(self):
        directory, directory_en = self.sections["channels"]
        self.channels = {}
        for data in content.CHANNELS:
            page = self.child(directory, data["slug"])
            if page is None:
                page = ServiceChannelPage(
                    locale=self.zh,
                    slug=data["slug"],
                    title=data["title"],
                    kind=data["kind"],
                    summary=data["summary"],
                    holiday_note=data["holiday_note"],
                    team=data.get("team", ""),
                    handles=data["handles"],
                    bring=data.get("bring", ""),
                    promise=data["promise"],
                    languages=data["languages"],
                    accessibility=data.get("accessibility", ""),
                    online_url=data.get("online_url", ""),
                    wechat_account=data.get("wechat_account", ""),
                    location_note=data.get("location_note", ""),
                    audience="everyone",
                )
                if data.get("office"):
                    page.office = self.offices[data["office"]][0]
                if data.get("contact"):
                    page.contact = self.contacts[data["contact"]][0]
                page.phones = [
                    ChannelPhone(label=label, number=number)
                    for label, number in data["phones"]
                ]
                page.hours = [
                    OpeningHours(
                        first_day=first, last_day=last, opens=time(o), closes=time(c)
                    )
                    for first, last, o, c in data["hours"]
                ]
                self.classify(page, data)
                directory.add_child(instance=page)
                self.publish(page)
            english = None
            if "en" in data:
                english = self.translate(
                    page,
                    {k: v for k, v in data["en"].items() if k != "phones"},
                    english_data=data,
                    after=lambda copy, data=data: self.english_channel(copy, data),
                )
            self.channels[data["slug"]] = (page, english)

    def english_channel(self, page, data):
        if "phones" in data["en"]:
            page.phones = [
                ChannelPhone(label=label, number=number)
                for label, number in data["en"]["phones"]
            ]
        if data.get("office"):
            page.office = self.offices[data["office"]][1]
        if data.get("contact"):
            page.contact = self.contacts[data["contact"]][1]

    def seed_guides(self):
        index, index_en = self.sections["guides"]
        self.guides = {}
        for data in content.GUIDES:
            page = self.child(index, data["slug"])
            if page is None:
                page = LegalGuidePage(
                    locale=self.zh,
                    slug=data["slug"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    audience=data["audience"],
                    last_reviewed=date(data["last_reviewed"]),
                )
                page.related_channels = [
                    GuideRelatedChannel(channel=self.channels[slug][0])
                    for slug in data["channels"]
                ]
                self.classify(page, data)
                index.add_child(instance=page)
                self.publish(page)
            self.guides[data["slug"]] = [page, None]
        # Related guides point at each other, so they are linked once all exist.
        for data in content.GUIDES:
            page = self.guides[data["slug"]][0]
            if not page.related_guides.exists() and data.get("related"):
                page.related_guides = [
                    GuideRelatedGuide(guide=self.guides[slug][0])
                    for slug in data["related"]
                ]
                page.save_revision().publish()
            if "en" in data:
                self.guides[data["slug"]][1] = self.translate(
                    page,
                    data["en"],
                    english_data=data,
                    after=lambda copy, data=data: self.english_guide(copy, data),
                )

    def english_guide(self, page, data):
        """Point the English guide at English channels and guides where they exist
        (readers would be sent there anyway; this saves the lookup)."""
        page.related_channels = [
            GuideRelatedChannel(
                channel=self.channels[slug][1] or self.channels[slug][0]
            )
            for slug in data["channels"]
        ]
        page.related_guides = [
            GuideRelatedGuide(guide=self.guides[slug][1] or self.guides[slug][0])
            for slug in data.get("related", [])
        ]

    def seed_cases(self):
        index, index_en = self.sections["cases"]
        for data in content.CASES:
            page = self.child(index, data["slug"])
            if page is None:
                page = CaseStudyPage(
                    locale=self.zh,
                    **{
                        field: data[field]
                        for field in (
                            "slug",
                            "title",
                            "summary",
                            "audience",
                            "authority",
                            "case_number",
                            "background",
                            "decision",
                            "significance",
                        )
                    },
                    decided_on=date(data["decided_on"]),
                )
                page.related_guides = [
                    CaseRelatedGuide(guide=self.guides[slug][0])
                    for slug in data["related"]
                ]
                self.classify(page, data)
                index.add_child(instance=page)
                self.publish(page)
            if "en" in data:
                self.translate(page, data["en"], english_data=data)

    def seed_questions(self):
        page, english = self.sections["questions"]
        if not page.questions.exists():
            page.questions = [
                QuestionAnswer(
                    topic=self.topics[topic][0],
                    anchor=anchor,
                    question=question,
                    answer=f"<p>{answer}</p>",
                )
                for topic, anchor, question, answer, *_ in content.QUESTIONS
            ]
            self.publish(page)
        if not english.questions.exists():
            english.questions = [
                QuestionAnswer(
                    topic=self.topics[topic][1],
                    anchor=anchor,
                    question=question_en,
                    answer=f"<p>{answer_en}</p>",
                )
                for topic, anchor, _q, _a, question_en, answer_en in content.QUESTIONS
            ]
            self.publish(english)

    def seed_news(self):
        index, index_en = self.sections["news"]
        for data in content.NEWS:
            page = self.child(index, data["slug"])
            if page is None:
                page = NewsPage(
                    locale=self.zh,
                    slug=data["slug"],
                    title=data["title"],
                    summary=data["summary"],
                    body=data["body"],
                    place=data["place"],
                    date=date(data["date"]),
                )
                self.classify(page, data)
                index.add_child(instance=page)
                self.publish(page)
            if "en" in data:
                self.translate(page, data["en"], english_data=data)

    def seed_featured(self):
        featured = ["unpaid-wages", "telecom-fraud", "divorce", "inheritance"]
        # Fresh copies: the ones from seed_home predate their children, and
        # publishing a stale copy would write back a stale tree (numchild).
        self.home = HomePage.objects.get(pk=self.home.pk)
        self.home_en = HomePage.objects.get(pk=self.home_en.pk)
        if not self.home.featured_guides.exists():
            self.home.featured_guides = [
                HomePageFeaturedGuide(guide=self.guides[slug][0]) for slug in featured
            ]
            self.home.save_revision().publish()
        if not self.home_en.featured_guides.exists():
            self.home_en.featured_guides = [
                HomePageFeaturedGuide(guide=self.guides[slug][1])
                for slug in featured
                if self.guides[slug][1] is not None
            ]
            self.home_en.save_revision().publish()

    def seed_navigation(self):
        """Menu: the five sections; footer: Q&A, channels and the national site."""
        site = Site.objects.get(is_default_site=True)
        navigation = NavigationSettings.for_site(site)
        if navigation.main_menu or navigation.footer_links:
            return
        order = ["guides", "cases", "questions", "channels", "news"]
        navigation.main_menu = [("page", self.sections[slug][0]) for slug in order]
        navigation.footer_links = [
            ("page", self.sections["questions"][0]),
            ("page", self.sections["channels"][0]),
            (
                "link",
                {
                    "title": "中国法律服务网 12348.gov.cn",
                    "url": "https://www.12348.gov.cn/",
                },
            ),
        ]
        navigation.footer_text = "本网站为演示站点，地名、人名和本地电话均为虚构。"
        navigation.footer_text_en = (
            "This is a demonstration site: places, people and local numbers are "
            "fictional."
        )
        navigation.save()

    def run(self) -> HomePage:
        self.seed_home()
        self.seed_snippets()
        self.seed_sections()
        self.seed_channels()
        self.seed_guides()
        self.seed_cases()
        self.seed_questions()
        self.seed_news()
        self.seed_featured()
        self.seed_navigation()
        ensure_editorial_setup(
            [page for pair in self.sections.values() for page in pair]
        )
        if self.created:
            self.stdout.write(f"Created or published {self.created} content pages.")
        return self.home


def seed(stdout) -> HomePage:
    return Seeder(stdout).run()
