"""Per-address limits on submissions and lookups, counted in Django's cache.

Fixed windows: each limit is (how many, within how many seconds) and its counter
lives under a key that names the window, so it works the same on the local-memory
cache and on Redis. A blocked attempt is audited.
"""

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from portal.security import audit
from portal.security.audit import client_ip

from . import conf


class RateLimited(Exception):
    """Too many attempts from one address; ``retry_after`` seconds to wait."""

    def __init__(self, scope: str, retry_after: int):
        self.scope, self.retry_after = scope, retry_after
        super().__init__(message_for(scope))


def message_for(scope: str) -> str:
    if scope == "submit":
        return _(
            "Too many requests were sent from your connection. Please wait and try "
            "again later, or call the hotline 12348."
        )
    return _(
        "Too many lookups from your connection. Please wait a minute and try again."
    )


LIMITS = {"submit": conf.submit_limits, "lookup": conf.lookup_limits}


def check_rate(request, scope: str) -> None:
    """Count this attempt; raise RateLimited (and audit it) when over a limit."""
    address = client_ip(request) or "unknown"
    now = int(time.time())
    for count, seconds in LIMITS[scope]():
        window = now // seconds
        key = f"petitions:limit:{scope}:{seconds}:{address}:{window}"
        cache.add(key, 0, timeout=seconds + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=seconds + 1)
            used = 1
        if used > count:
            retry_after = (window + 1) * seconds - now
            audit.record(
                request,
                f"petition.{scope}_rate_limited",
                success=False,
                limit=count,
                seconds=seconds,
            )
            raise RateLimited(scope, retry_after)
