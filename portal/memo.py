"""Answers several parts of one page need, computed once per request."""

#: Where a request's signed-in user keeps its answers (see ``remember_per_request``).
USER_MEMO = "_portal_memo"


def per_request(request, key, compute):
    """``compute()`` the first time ``key`` is asked during ``request``; the same
    answer after that (the menu, the gate and the page ask the same question)."""
    store = request.__dict__.setdefault("_portal_memo", {})
    if key not in store:
        store[key] = compute()
    return store[key]


def asked_of_user(request, question):
    """``question(request.user)``, asked once per request: the admin menu asks it
    for each of its items, and the page's own gate asks it again."""
    return per_request(request, question, lambda: question(request.user))


def remember_per_request(user) -> None:
    """Let ``per_user`` keep answers on ``user``, the object the authentication
    middleware loaded for this one request (a new object for every request)."""
    setattr(user, USER_MEMO, {})


def per_user(user, key, compute):
    """``compute()`` once per request for the request's signed-in user (its
    groups, its unit memberships: the menu, the gate and the page all ask);
    every time for any other user object, such as one a command or a test
    holds while it changes that user's groups or memberships. Like Django's own
    permission cache on the user object, the answer lasts as long as it does."""
    store = getattr(user, USER_MEMO, None)
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
