from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from home.sitemaps import PortalSitemap
from home.views import favicon, robots_txt
from petitions.api import api as petitions_api
from petitions.transparency import transparency_page
from portal import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path(
        "sitemap.xml", sitemap, {"sitemaps": {"pages": PortalSitemap}}, name="sitemap"
    ),
    path("robots.txt", robots_txt, name="robots_txt"),
    path("favicon.ico", favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("display/", views.display_mode, name="display_mode"),
    path("api/v1/", petitions_api.urls),
    # Staff downloads (attachments): under /staff/, behind two factors.
    path("staff/", include("petitions.staff")),
]

urlpatterns += i18n_patterns(
    # Staff sign-in (password, then a code) in both languages: /account/ and
    # /en/account/; outside STAFF_URL_PREFIXES on purpose.
    path("account/", include("portal.security.urls")),
    # The petition register's public side, before Wagtail's catch-all.
    path("petitions/", include("petitions.urls")),
    # Public search (/search/, /en/search/): before Wagtail's catch-all page route.
    path("search/", include("search.urls")),
    # Public handling figures (/transparency/, /en/transparency/), cached.
    path("transparency/", transparency_page, name="transparency"),
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
