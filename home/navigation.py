"""Per-request lookups that several template tags need: asked once, reused.

The breadcrumbs, the main menu and the channel page all need the page's ancestors;
the language switcher and the hreflang links both need its live translations.
Keeping one answer per request keeps every page type within its query budget.
"""

from django.db.models import Q
from wagtail.models import Page, Site

from portal.memo import per_request


def _memo(request, name, page, compute):
    return per_request(request, (name, page.pk), compute)


def page_ancestors(request, page) -> list:
    """The page's ancestors below the tree root, home page first."""
    if "cached_ancestors" in page.__dict__:  # Wagtail's serve fetched them already
        return [ancestor for ancestor in page.cached_ancestors if ancestor.depth > 1]
    return _memo(
        request,
        "ancestors",
        page,
        lambda: list(page.get_ancestors().filter(depth__gt=1)),
    )


def page_home(request, page):
    """The home page of the page's language (itself when it is one)."""
    if page.depth == 2:
        return page
    ancestors = page_ancestors(request, page)
    return ancestors[0] if ancestors else None


def page_translations(request, page) -> list:
    """Live versions of the page in every language, itself included."""
    return _memo(
        request,
        "translations",
        page,
        lambda: list(
            page.get_translations(inclusive=True)
            .live()
            .select_related("locale")
            .order_by("locale__language_code")
        ),
    )


def site_settings(site) -> tuple:
    """(SiteNotice, NavigationSettings) for a site, read together in one query
    and kept in the shared page cache until the next publish or settings save."""
    from home.cache import lookup, store
    from home.models import NavigationSettings, SiteNotice

    key, found = lookup("site-settings", site.pk)
    if found is not None:
        return found
    row = (
        Site.objects.select_related("sitenotice", "navigationsettings")
        .filter(pk=site.pk)
        .first()
    )
    found = []
    for name, model in (
        ("sitenotice", SiteNotice),
        ("navigationsettings", NavigationSettings),
    ):
        try:
            found.append(getattr(row, name))
        except model.DoesNotExist:
            found.append(model.for_site(site))
    found = tuple(found)
    store(key, found, 3600)
    return found


def cached_site_notice(site):
    return site_settings(site)[0]


def site_navigation(request, site, language_code: str) -> dict:
    """Menu and footer links for a site in one language, as plain dicts.

    Two queries when uncached: the setting, then every chosen page together with
    its translation in the reader's language. The answer is cached until anything
    is published (the page cache's generation token).
    """
    from home.cache import lookup, store

    key, navigation = lookup("navigation", site.pk, language_code)
    if navigation is not None:
        return navigation
    settings = site_settings(site)[1]
    streams = {
        "menu": list(settings.main_menu.raw_data),
        "footer": list(settings.footer_links.raw_data),
    }
    chosen = [
        item["value"]
        for stream in streams.values()
        for item in stream
        if item["type"] == "page" and item["value"]
    ]
    pages = Page.objects.live().filter(
        Q(pk__in=chosen)
        | Q(
            translation_key__in=Page.objects.filter(pk__in=chosen).values(
                "translation_key"
            ),
            locale__language_code=language_code,
        )
    )
    by_pk, in_language = {}, {}
    for page in pages.select_related("locale"):
        by_pk[page.pk] = page
        if page.locale.language_code == language_code:
            in_language[page.translation_key] = page

    def links(stream):
        result = []
        for item in stream:
            if item["type"] == "page":
                page = by_pk.get(item["value"])
                if page is None:
                    continue
                page = in_language.get(page.translation_key, page)
                result.append(
                    {"title": page.title, "url": page.get_url(request), "pk": page.pk}
                )
            elif item["type"] == "link":
                value = item["value"]
                result.append(
                    {"title": value["title"], "url": value["url"], "pk": None}
                )
        return result

    navigation = {
        "menu": links(streams["menu"]),
        "footer": links(streams["footer"]),
        "footer_text": settings.footer_text_for(language_code),
    }
    store(key, navigation, 3600)
    return navigation


def site_hotlines(request, language_code: str) -> list[dict]:
    """The hotlines of the channel directory in one language, in the editors' order,
    each with its numbers, as plain dicts: the one place the portal takes a hotline
    number from (home page, footer, the guides' closing note).

    Two queries when uncached (the pages, their phones); kept in the page cache
    until anything is published. The first one is "the" hotline the footer names,
    so editors choose it by ordering the directory.
    """
    from home.cache import lookup, store
    from home.models import ChannelKind, ChannelPhone

    memo = request.__dict__.setdefault("_portal_navigation", {})
    if ("hotlines", language_code) in memo:
        return memo[("hotlines", language_code)]
    key, hotlines = lookup("hotlines", language_code)
    if hotlines is None:
        # One query: the numbers with their pages (a hotline without one is no use).
        phones = (
            ChannelPhone.objects.filter(
                page__kind=ChannelKind.HOTLINE,
                page__live=True,
                page__locale__language_code=language_code,
            )
            .select_related("page")
            .order_by("page__path", "sort_order")
        )
        by_page = {}
        for phone in phones:
            hotline = by_page.setdefault(
                phone.page_id,
                {
                    "title": phone.page.title,
                    "url": phone.page.get_url(request),
                    "phones": [],
                },
            )
            hotline["phones"].append(
                {"label": phone.label, "number": phone.number, "tel": phone.tel}
            )
        hotlines = list(by_page.values())
        store(key, hotlines, 3600)
    memo[("hotlines", language_code)] = hotlines
    return hotlines
