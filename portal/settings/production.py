"""Production: refuses to start without its secrets; HTTPS everywhere."""

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_required

DEBUG = False
SECRET_KEY = env_required("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "SECRET_KEY must be a random string of at least 50 characters"
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS") or env_required("ALLOWED_HOSTS")
env_required("DATABASE_URL")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# A load balancer's health probe over plain HTTP gets the JSON, not a redirect.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Staff sessions: the __Host- prefix pins the cookie to this host, HTTPS and path /.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

FIELD_ENCRYPTION_KEY = env_required("FIELD_ENCRYPTION_KEY")
if FIELD_ENCRYPTION_KEY == DEV_FIELD_ENCRYPTION_KEY or len(FIELD_ENCRYPTION_KEY) < 32:  # noqa: F405
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEY must be a random string of at least 32 characters, "
        "not the development default"
    )
