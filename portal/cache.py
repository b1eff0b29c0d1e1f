"""A Redis cache that degrades to "nothing cached" while Redis is unreachable.

Everything the portal keeps in the cache can be recomputed: rendered pages,
Wagtail's site-root paths, figures. A Redis outage should therefore cost speed,
not pages, so reads answer as misses and writes are dropped (and logged) instead
of raising into a 500. ``incr`` still raises: callers that count (rate limits)
decide for themselves what an uncountable attempt means.
"""

import logging
import uuid
from collections.abc import Callable

from django.core.cache import BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db.models.signals import post_delete, post_save
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


class SharedClientRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one ``redis.Redis`` per pool.

    Django builds a new ``redis.Redis`` for every cache call, and each one fills
    its table of about 250 reply handlers first: about a quarter of the CPU of a
    cached page, and eight clients for a submission's limit counters. The pools were
    already shared; now their clients are too (redis-py's clients are
    thread-safe, and Django keeps one cache object per thread anyway)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = SharedClientRedisCacheClient

    get = _tolerant("get", _default)
    get_many = _tolerant("get_many", lambda args, kwargs: {})
    has_key = _tolerant("has_key", lambda args, kwargs: False)
    set = _tolerant("set", lambda args, kwargs: None)
    add = _tolerant("add", lambda args, kwargs: False)
    set_many = _tolerant("set_many", lambda args, kwargs: [])
    touch = _tolerant("touch", lambda args, kwargs: False)
    delete = _tolerant("delete", lambda args, kwargs: False)
    delete_many = _tolerant("delete_many", lambda args, kwargs: None)


class Generation:
    """A token that stands for "what was kept under me is current".

    Kept values carry the token in their keys; replacing the token forgets all of
    them at once, in every process that reads it from the same cache, without
    knowing which ones there are. ``current()`` is None while that cache cannot
    keep a token (Redis unreachable): keep nothing then."""

    def __init__(self, key: str, cache: Callable[[], BaseCache]):
        self.key = key
        self._cache = cache

    def current(self) -> str | None:
        cache = self._cache()
        token = cache.get(self.key)
        if token is None:
            # ``add``: of two processes that both found none, one token wins.
            cache.add(self.key, uuid.uuid4().hex, None)
            token = cache.get(self.key)
        return token

    def replace(self, **kwargs) -> None:
        """A new token (also a signal receiver, hence ``**kwargs``)."""
        self._cache().set(self.key, uuid.uuid4().hex, None)


def forget_on_change(forget, models, uid: str) -> None:
    """Call ``forget`` (a signal receiver) whenever a row of ``models`` is saved
    or deleted: what was kept from those rows is stale."""
    for model in models:
        for signal in (post_save, post_delete):
            signal.connect(
                forget,
                sender=model,
                dispatch_uid=f"{uid}.{signal is post_save}.{model._meta.label}",
            )
