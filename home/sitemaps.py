"""sitemap.xml for every language of the site, each URL with its hreflang alternates.

Wagtail's own sitemap lists only the descendants of the site's root page, which is
the Chinese home; the English tree is a sibling of it, so it would be missing.
"""

from collections import defaultdict

from django.utils.translation import to_locale
from wagtail.contrib.sitemaps import Sitemap
from wagtail.models import Page


class PortalSitemap(Sitemap):
    def items(self):
        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key)
        query = Page.objects.none()
        for home in roots:
            query |= Page.objects.descendant_of(home, inclusive=True)
        return (
            query.live()
            .public()
            .select_related("locale")
            .order_by("path")
            .defer_streamfields()
            .specific()
        )

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        pages = list(self.paginator.page(page).object_list)
        by_key = defaultdict(list)
        for item in pages:
            by_key[item.translation_key].append(item)
        locations = {}
        for item in pages:
            locations[item.pk] = item.get_full_url(self.request)
        by_location = {}
        for item in pages:
            by_location[locations[item.pk]] = [
                {
                    "lang_code": to_locale(other.locale.language_code).replace(
                        "_", "-"
                    ),
                    "location": locations[other.pk],
                }
                for other in by_key[item.translation_key]
            ]
        for url in urls:
            alternates = by_location.get(url["location"], [])
            if len(alternates) > 1:
                url["alternates"] = alternates
        return urls
