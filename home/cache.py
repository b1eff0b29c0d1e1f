"""Anonymous page caching: rendered Wagtail pages served without touching the database.

A page's HTML depends on more than the page itself (the language switcher knows
whether a translation exists, the home page lists guides, every page shows the
site notice), so instead of tracking dependencies we keep one *generation* token:
publishing, unpublishing, moving or deleting a page, or changing a snippet or the
notice, replaces the token and with it every cached page. Content changes are rare
and reads are many, so this is both simple and correct.

The key varies on host, path and query string, language and the `display` cookie
(large-text mode changes the <html> class). Readers with a session cookie (staff,
anyone signed in) always get a fresh page.
"""

import hashlib
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.utils.translation import get_language

from home.conf import page_cache_alias, page_cache_seconds
from portal.cache import Generation
from portal.display import display_mode_for

logger = logging.getLogger(__name__)
GENERATION_KEY = "page-cache-generation"
CACHE_HEADER = "X-Page-Cache"
# Wagtail pages, and the sitemap, which lists them all (and is the costliest).
CACHEABLE_VIEWS = {"wagtail_serve", "sitemap"}


def page_cache():
    return caches[page_cache_alias()]


#: Replaced whenever anything a public page shows changes (home.signals).
PAGES = Generation(GENERATION_KEY, page_cache)


def current_generation() -> str:
    # Redis unreachable: a token of its own, under which nothing is found.
    return PAGES.current() or uuid.uuid4().hex


def lookup(name: str, *parts) -> tuple[str | None, object]:
    """(key, cached value) under the current generation, for lookups shared by
    every page. (None, None) when the cache (Redis) is down: the caller builds
    the value itself and ``store`` skips it."""
    try:
        key = ":".join([name, current_generation(), *map(str, parts)])
        return key, page_cache().get(key)
    except Exception:
        logger.warning("page cache unavailable for %s", name)
        return None, None


def store(key: str | None, value, timeout) -> None:
    if key is None:
        return
    try:
        page_cache().set(key, value, timeout)
    except Exception:
        logger.warning("page cache unavailable, %s not stored", key)


def invalidate_pages(**kwargs) -> None:
    """Forget every cached page (a signal receiver, hence **kwargs)."""
    PAGES.replace()


def cache_key(request, generation: str) -> str:
    parts = "\n".join(
        [
            generation,
            request.get_host(),
            request.get_full_path(),
            get_language() or settings.LANGUAGE_CODE,
            display_mode_for(request),
        ]
    )
    return "page:" + hashlib.sha256(parts.encode()).hexdigest()


def limit_page_cache(request, seconds) -> None:
    """Keep this response in the cache for at most `seconds` (None: no limit).

    The site notice uses it so a page cached just before a notice starts or ends
    does not show the old state for the whole cache lifetime.
    """
    if seconds is None:
        return
    current = getattr(request, "page_cache_seconds", None)
    request.page_cache_seconds = seconds if current is None else min(current, seconds)


def is_anonymous_read(request) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def is_cacheable(request, response) -> bool:
    match = getattr(request, "resolver_match", None)
    cache_control = response.get("Cache-Control", "")
    return (
        match is not None
        and match.url_name in CACHEABLE_VIEWS
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in cache_control for word in ("private", "no-store"))
    )


class AnonymousPageCacheMiddleware:
    """Serve and store rendered pages for anonymous readers; see the module doc."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_anonymous_read(request):
            return self.get_response(request)
        cache = page_cache()
        try:
            key = cache_key(request, current_generation())
            response = cache.get(key)
        except Exception:  # the cache (Redis) is down: render the page instead
            logger.warning("page cache unavailable, rendering %s", request.path)
            return self.get_response(request)
        if response is not None:
            response[CACHE_HEADER] = "hit"
            return response
        response = self.get_response(request)
        if is_cacheable(request, response):
            response[CACHE_HEADER] = "miss"
            limit = getattr(request, "page_cache_seconds", None)
            seconds = page_cache_seconds()
            try:
                cache.set(
                    key, response, seconds if limit is None else min(seconds, limit)
                )
            except Exception:  # down since the lookup: serve it uncached
                logger.warning("page cache unavailable, %s not stored", request.path)
        return response
