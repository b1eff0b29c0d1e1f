"""Start-up that stops with one line naming a missing or wrong setting.

Settings raise ImproperlyConfigured with a message that names the variable
(`env_required`, FIELD_ENCRYPTION_KEY's check, FORWARDED_ALLOW_IPS ...); without
this guard an operator would read that line at the bottom of a long traceback.
"""

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


def start_application(get_application):
    """The WSGI or ASGI application, after the settings load and the key fits;
    search starts warming up beside it."""

    def load():
        application = get_application()
        from portal.security.keycheck import verify_field_encryption_key

        verify_field_encryption_key()
        from search.warmup import warm_in_background

        warm_in_background()
        return application

    return start_or_stop(load, exit_code=APP_LOAD_ERROR)
