"""Start-up that stops with one line naming a missing or wrong setting.

Settings raise ImproperlyConfigured with a message that names the variable
(`env_required`, FIELD_ENCRYPTION_KEY's check, FORWARDED_ALLOW_IPS ...); without
this guard an operator would read that line at the bottom of a long traceback.
"""

import gc
import sys

from django.core.exceptions import ImproperlyConfigured

# gunicorn halts (rather than restarting the worker forever) when a worker exits
# with its "App failed to load" code.
APP_LOAD_ERROR = 4


def start_or_stop(start, exit_code: int = 1):
    """Return start(); on ImproperlyConfigured print one line and exit."""
    try:
        return start()
    except ImproperlyConfigured as error:
        message = " ".join(str(error).split())
        print(f"Configuration error: {message}", file=sys.stderr, flush=True)
        raise SystemExit(exit_code) from None


def settle_loaded_code() -> None:
    """Import every view, then set what is loaded aside from garbage collection.

    A process holds about 235,000 objects once Django, Wagtail and the views are
    loaded, and they live as long as it does. Python's full collection walks all
    of them, every few dozen staff pages, for 110–150 ms in which no thread of
    the process runs: a submission that arrived then waited for it. Frozen
    (``gc.freeze``), they are left out of every collection, which then walks only
    what requests made since. Done before the first request, so nothing a request
    holds is frozen with them."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every URL module and view
    gc.collect()
    gc.freeze()


def start_application(get_application):
    """The WSGI or ASGI application, after the settings load and the key fits,
    with its code loaded and set aside; search starts warming up beside it."""

    def load():
        application = get_application()
        from portal.security.keycheck import verify_field_encryption_key

        verify_field_encryption_key()
        settle_loaded_code()
        from search.warmup import warm_in_background

        warm_in_background()
        return application

    return start_or_stop(load, exit_code=APP_LOAD_ERROR)
