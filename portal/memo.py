"""Answers several parts of one page need, computed once per request, and
answers a web process keeps between requests (``Kept``)."""

import math
import threading
import time
from collections import OrderedDict

#: Where a request, and its signed-in user (see ``remember_per_request``), keep
#: their answers.
MEMO = "_portal_memo"


def _once(store: dict, key, compute):
    if key not in store:
        store[key] = compute()
    return store[key]


def per_request(request, key, compute):
    """``compute()`` the first time ``key`` is asked during ``request``; the same
    answer after that (the trail, the menu and the footer ask the same question)."""
    return _once(request.__dict__.setdefault(MEMO, {}), key, compute)


def remember_per_request(user) -> None:
    """Let ``per_user`` keep answers on ``user``, the object the authentication
    middleware loaded for this one request (a new object for every request)."""
    setattr(user, MEMO, {})


def per_user(user, key, compute):
    """``compute()`` once per request for the request's signed-in user (its
    groups, its unit memberships: the admin menu, the gate and the page all
    ask); every time for any other user object, such as one a command or a test
    holds while it changes that user's groups or memberships. Like Django's own
    permission cache on the user object, the answer lasts as long as it does."""
    store = getattr(user, MEMO, None)
    return compute() if store is None else _once(store, key, compute)


class Kept:
    """Answers a web process keeps between requests, thread-safe: at most ``size``
    of them, the least recently used dropped first, each for at most ``seconds``
    (None: until it is dropped or everything is forgotten)."""

    def __init__(self, size: int, seconds: float | None = None):
        self.size, self.seconds = size, seconds
        self._answers: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key, compute):
        """The kept answer for ``key``, or ``compute()`` kept from now on."""
        now = time.monotonic()
        with self._lock:
            kept = self._answers.get(key)
            if kept is not None and kept[0] > now:
                self._answers.move_to_end(key)
                return kept[1]
        answer = compute()  # outside the lock: other keys need not wait for it
        until = math.inf if self.seconds is None else now + self.seconds
        with self._lock:
            self._answers[key] = (until, answer)
            self._answers.move_to_end(key)
            while len(self._answers) > self.size:
                self._answers.popitem(last=False)
        return answer

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
