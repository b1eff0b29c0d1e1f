"""Staff session clocks and the register that lets us end a user's sessions."""

import time
from importlib import import_module

from django.conf import settings

from .models import StaffSession

SIGNED_IN_AT = "security_signed_in_at"
LAST_SEEN_AT = "security_last_seen_at"
NEXT_URL = "security_next"


def start_clocks(request) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


def remember_session(request, user=None) -> None:
    """Record the current session key against the user (after each key rotation)."""
    user = user or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return
    if request.session.session_key is None:
        request.session.save()
    StaffSession.objects.get_or_create(
        session_key=request.session.session_key, defaults={"user": user}
    )


def rotate_key(request) -> None:
    """New session key, same data: a key seen before this step is worthless after."""
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        StaffSession.objects.filter(session_key=old_key).delete()
    remember_session(request)


def end_user_sessions(user) -> int:
    """Delete every server-side session the user holds, wherever it is stored."""
    engine = import_module(settings.SESSION_ENGINE)
    rows = StaffSession.objects.filter(user=user)
    count = 0
    for row in rows:
        engine.SessionStore(session_key=row.session_key).delete()
        count += 1
    rows.delete()
    return count
