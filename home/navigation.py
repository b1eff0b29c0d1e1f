"""Per-request lookups that several template tags need: asked once, reused.

The breadcrumbs, the main menu and the channel page all need the page's ancestors;
the language switcher and the hreflang links both need its live translations.
Keeping one answer per request keeps every page type within its query budget.
"""

from django.core.cache import cache
from wagtail.models import Page


def _memo(request, name, page, compute):
    store = request.__dict__.setdefault("_portal_navigation", {})
    key = (name, page.pk)
    if key not in store:
        store[key] = compute()
    return store[key]


def page_ancestors(request, page) -> list:
    """The page's ancestors below the tree root, home page first."""
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


def cached_site_notice(site):
    """The notice setting for a site, from the cache (cleared when it is saved)."""
    from home.models import SiteNotice

    key = f"site-notice:{site.pk}"
    notice = cache.get(key)
    if notice is None:
        notice = SiteNotice.for_site(site)
        cache.set(key, notice, 3600)
    return notice


def forget_site_notice(sender, instance, **kwargs):
    cache.delete(f"site-notice:{instance.site_id}")


def is_page(value) -> bool:
    return isinstance(value, Page)
