"""Demo content for the public site: the Chinese home page and its translation."""

from wagtail.models import Locale, Page, Site

from home.models import HomePage

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


def seed(stdout) -> HomePage:
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        # A flushed database (transactional tests) has lost Wagtail's root page too.
        root = Page.get_first_root_node() or Page.add_root(
            instance=Page(title="Root", slug="root", locale=zh)
        )
        home = root.add_child(instance=HomePage(locale=zh, slug="portal", **HOME_ZH))
        home.save_revision().publish()
        stdout.write("Created the Chinese home page.")
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
        if not isinstance(placeholder.specific, HomePage) and placeholder.depth == 2:
            placeholder.delete()
    if home.get_translation_or_none(en) is None:
        english = home.copy_for_translation(en)
        for field, value in HOME_EN.items():
            setattr(english, field, value)
        english.save_revision().publish()
        stdout.write("Created the English home page.")
    return home
