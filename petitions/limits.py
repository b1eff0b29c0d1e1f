"""Per-address limits on submissions and lookups, counted in Django's cache.

Fixed windows: each limit is (how many, within how many seconds) and its counter
lives under a key that names the window, so it works the same on the local-memory
cache and on Redis. A blocked attempt is audited.
"""

import logging
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from portal.security import audit
from portal.security.client_ip import client_ip

from . import conf

logger = logging.getLogger(__name__)


class RateLimited(Exception):
    """Too many attempts from one address; ``retry_after`` seconds to wait."""

    def __init__(self, scope: str, retry_after: int):
        self.scope, self.retry_after = scope, retry_after
        super().__init__(message_for(scope))


def message_for(scope: str) -> str:
    if scope.startswith("submit"):
        return _(
            "Too many requests were sent from your connection. Please wait and try "
            "again later, or call the hotline 12348."
        )
    return _(
        "Too many lookups from your connection. Please wait a minute and try again."
    )


LIMITS = {
    "submit": conf.submit_limits,
    "submit_attempt": conf.submit_attempt_limits,
    "lookup": conf.lookup_limits,
}


def window_keys(request, scope: str):
    """(limit, seconds, cache key, seconds left) for each of the scope's windows."""
    address = client_ip(request) or "unknown"
    now = int(time.time())
    for count, seconds in LIMITS[scope]():
        window = now // seconds
        key = f"petitions:limit:{scope}:{seconds}:{address}:{window}"
        yield count, seconds, key, (window + 1) * seconds - now


def check_rate(request, scope: str, *, count: bool = True) -> None:
    """Raise RateLimited (and audit it) when this attempt would go over a limit.

    ``count=False`` only looks: submissions are counted once they succeed (see
    ``count_success``), so a petitioner correcting typos is never locked out;
    lookups count every attempt, since each one is a guess at a code.
    """
    for limit, seconds, key, retry_after in window_keys(request, scope):
        try:
            used = increment(key, seconds) if count else cache.get(key, 0) + 1
        except Exception:  # the cache (Redis) is down: let the citizen through
            logger.warning("rate limit %s not checked: cache unavailable", scope)
            return
        if used > limit:
            audit.record(
                request,
                f"petition.{scope}_rate_limited",
                success=False,
                limit=limit,
                seconds=seconds,
            )
            raise RateLimited(scope, retry_after)


def check_submission(request) -> None:
    """Before a submission: count the attempt, and look whether one more fits."""
    check_rate(request, "submit_attempt")
    check_rate(request, "submit", count=False)


def count_success(request, scope: str) -> None:
    try:
        for _limit, seconds, key, _retry_after in window_keys(request, scope):
            increment(key, seconds)
    except Exception:  # the petition is saved; a missed count is no reason to fail
        logger.warning("rate limit %s not counted: cache unavailable", scope)


def increment(key: str, seconds: int) -> int:
    cache.add(key, 0, timeout=seconds + 1)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 1)
        return 1
