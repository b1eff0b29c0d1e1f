"""A Redis cache that degrades to "nothing cached" while Redis is unreachable.

Everything the portal keeps in the cache can be recomputed: rendered pages,
Wagtail's site-root paths, figures. A Redis outage should therefore cost speed,
not pages, so reads answer as misses and writes are dropped (and logged) instead
of raising into a 500. ``incr`` still raises: callers that count (rate limits)
decide for themselves what an uncountable attempt means.
"""

import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, OSError)


def _tolerant(name: str, fallback):
    """RedisCache.<name>, answering ``fallback(args, kwargs)`` when Redis is away."""
    method = getattr(RedisCache, name)

    def tolerant(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            logger.warning("cache %s skipped, Redis unreachable: %s", name, error)
            return fallback(args, kwargs)

    tolerant.__name__ = name
    return tolerant


def _default(args, kwargs):
    return args[1] if len(args) > 1 else kwargs.get("default")


class TolerantRedisCache(RedisCache):
    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    has_key = _tolerant("has_key", lambda args, kwargs: False)
    set = _tolerant("set", lambda args, kwargs: None)
    add = _tolerant("add", lambda args, kwargs: False)
    set_many = _tolerant("set_many", lambda args, kwargs: [])
    touch = _tolerant("touch", lambda args, kwargs: False)
    delete = _tolerant("delete", lambda args, kwargs: False)
    delete_many = _tolerant("delete_many", lambda args, kwargs: None)
