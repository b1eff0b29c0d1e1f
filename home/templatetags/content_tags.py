"""Template tags for content pages: head metadata, breadcrumbs, notice, filters."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, to_locale
from wagtail.models import Page, Site

from home.cache import limit_page_cache
from home.navigation import (
    cached_site_notice,
    page_ancestors,
    page_translations,
    site_hotlines,
    site_navigation,
)

register = template.Library()

# JSON inside <script> must not be able to close the element or open a comment.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
OG_LOCALES = {"zh-hans": "zh_CN", "en": "en_US"}


def bcp47(language_code: str) -> str:
    """zh-hans -> zh-Hans, the form <html lang> and hreflang use."""
    return to_locale(language_code).replace("_", "-")


@register.filter
def jsonld(data) -> str:
    """Structured data as a JSON-LD block; browsers never execute it."""
    if not data:
        return ""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


@register.inclusion_tag("home/includes/page_head.html", takes_context=True)
def page_head(context):
    """Canonical URL, hreflang alternates, Open Graph and JSON-LD for a page."""
    request = context["request"]
    page = context.get("page")
    if not isinstance(page, Page):
        return {}
    translations = page_translations(request, page)
    for other in translations:
        if other.pk == page.pk:
            page.locale = other.locale  # already fetched; saves a query below
    alternates = [
        {
            "lang": bcp47(other.locale.language_code),
            "code": other.locale.language_code,
            "url": other.get_full_url(request),
        }
        for other in translations
    ]
    default = next((a for a in alternates if a["code"] == "zh-hans"), None)
    structured = getattr(page, "structured_data", None)
    trail = page_ancestors(request, page) + [page] if page.depth > 2 else []
    breadcrumb_data = {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": step.title,
                "item": step.get_full_url(request),
            }
            for position, step in enumerate(trail, start=1)
        ],
    }
    return {
        "breadcrumb_data": breadcrumb_data if trail else None,
        "page": page,
        "canonical": page.get_full_url(request),
        "alternates": alternates,
        "x_default": default["url"] if default else None,
        "og_type": "article" if page.depth > 3 else "website",
        "og_locale": OG_LOCALES.get(get_language(), "zh_CN"),
        "description": getattr(page, "description", "") or page.search_description,
        "structured_data": structured(request) if structured else None,
        "portal_name": context.get("portal_name"),
    }


@register.inclusion_tag("home/includes/breadcrumbs.html", takes_context=True)
def breadcrumbs(context):
    """Where the page sits: home › section › page (the root node left out)."""
    page = context.get("page")
    if not isinstance(page, Page) or page.depth <= 2:
        return {"crumbs": []}
    request = context["request"]
    return {"crumbs": page_ancestors(request, page), "page": page, "request": request}


@register.inclusion_tag("home/includes/site_notice.html", takes_context=True)
def site_notice(context):
    """The site-wide notice, only between its start and end, in the reader's
    language."""
    request = context.get("request")
    if request is None:
        return {}
    site = Site.find_for_request(request)
    if site is None:
        return {}
    notice = cached_site_notice(site)
    limit_page_cache(request, notice.seconds_until_change())
    return {"text": notice.text_for(get_language()), "level": notice.level}


@register.inclusion_tag("home/includes/site_footer.html", takes_context=True)
def site_footer(context):
    """Footer links and text from the navigation site setting."""
    request = context.get("request")
    site = Site.find_for_request(request) if request is not None else None
    if site is None:
        return {}
    return site_navigation(request, site, get_language())


@register.simple_tag(takes_context=True)
def main_hotline(context):
    """The first hotline of the reader's channel directory with its first number,
    or None: what the footer and the guides' closing note tell people to call."""
    request = context.get("request")
    if request is None:
        return None
    hotlines = site_hotlines(request, get_language())
    if not hotlines:
        return None
    hotline = hotlines[0]
    return {**hotline, "phone": hotline["phones"][0]}


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed ('' drops one)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in ("", None):
            query.pop(key, None)
        else:
            query[key] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"
