"""Answers several parts of one page need, computed once per request."""


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
