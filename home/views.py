from django.conf import settings
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET


@require_GET
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    """Crawlers may read the public site, not the staff side, the API, sign-in or
    the petition register."""
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /staff/",
        "Disallow: /api/",
        "Disallow: /account/",
        "Disallow: /en/account/",
        "Disallow: /petitions/",
        "Disallow: /en/petitions/",
        "Disallow: /display/",
        "Disallow: /i18n/",
        "",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


@require_GET
@cache_control(max_age=86400, public=True)
def favicon(request):
    """The icon for clients that ask for /favicon.ico without reading the page's
    link (feed readers, bookmarks, old browsers). A temporary redirect: the icon's
    address changes with its content at each release."""
    return HttpResponseRedirect(static("img/favicon.svg"))
