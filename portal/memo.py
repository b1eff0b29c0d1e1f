"""Answers several parts of one page need, computed once per request."""

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
