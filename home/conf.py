"""Settings for the public pages, with their defaults.

PAGE_CACHE_ALIAS      the Django cache that holds rendered pages ("pages"); it must
                      be shared by every web process (files or Redis), or a publish
                      in one process would not reach the others
PAGE_CACHE_SECONDS    how long a rendered page may be served (600); publishing
                      anything invalidates every page at once anyway
"""

from django.conf import settings


def page_cache_alias() -> str:
    alias = getattr(settings, "PAGE_CACHE_ALIAS", "pages")
    return alias if alias in settings.CACHES else "default"


def page_cache_seconds() -> int:
    return getattr(settings, "PAGE_CACHE_SECONDS", 600)
