from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, to_locale
from wagtail.models import Locale, Page, Site

from home.navigation import page_home, page_translations, site_navigation

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """BCP 47 tag for <html lang>: zh-Hans, en."""
    return to_locale(get_language() or settings.LANGUAGE_CODE).replace("_", "-")


def localized_home(request, language_code: str):
    site = Site.find_for_request(request)
    if site is None:
        return None
    locale = Locale.objects.filter(language_code=language_code).first()
    home = site.root_page.get_translation_or_none(locale) if locale else None
    return home if home is not None and home.live else None


def translation_in(request, page, code: str):
    """The live version of `page` in language `code`, or None."""
    return next(
        (
            other
            for other in page_translations(request, page)
            if other.locale.language_code == code
        ),
        None,
    )


@register.inclusion_tag("portal/language_switcher.html", takes_context=True)
def language_switcher(context):
    """One link per language: the translated page if it exists, else that home page.

    A link that cannot keep the reader on the same content says so, so nobody is
    surprised to land on the home page.
    """
    request = context["request"]
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url, same_content = None, True
        if page is not None:
            target = translation_in(request, page, code)
            if target is None:
                same_content = False
                home = page_home(request, page)
                target = translation_in(request, home, code) if home else None
                target = target or localized_home(request, code)
            url = target.get_url(request) if target is not None else None
        if url is None:
            url = translate_url(request.get_full_path(), code)
        links.append(
            {"code": code, "name": name, "url": url, "same_content": same_content}
        )
    return {"links": links}


@register.inclusion_tag("portal/main_menu.html", takes_context=True)
def main_menu(context):
    request = context["request"]
    page = context.get("page") if isinstance(context.get("page"), Page) else None
    # On a page, its own language's home is among its ancestors (no extra query).
    home = page_home(request, page) if page is not None else None
    home = (
        home
        or localized_home(request, get_language())
        or localized_home(request, settings.LANGUAGE_CODE)
    )
    items = []
    site = Site.find_for_request(request)
    if site is not None:
        items = site_navigation(request, site, get_language())["menu"]
    if not items and home is not None:
        items = [
            {"title": child.title, "url": child.get_url(request), "pk": child.pk}
            for child in home.get_children().live().in_menu()
        ]
    current = context.get("page")
    return {"home": home, "items": items, "current": current}
