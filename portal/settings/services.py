"""Settings blocks derived from service URLs (database, queue, cache, mail)."""

from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured


def sqlite_options() -> dict:
    """WAL lets the web server and the worker read while the other writes."""
    return {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }


def tasks_settings(redis_url: str) -> tuple[dict, dict]:
    """The database queue by default; RQ on Redis when REDIS_URL is set."""
    if not redis_url:
        backend = {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
        return {"default": backend}, {}
    backend = {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}
    queue = {
        "URL": redis_url,
        "DEFAULT_TIMEOUT": 600,
        "QUEUE_CLASS": "portal.queues.PortalQueue",
    }
    return {"default": backend}, {"default": queue}


def cache_settings(redis_url: str) -> dict:
    if redis_url:
        return {
            "default": {
                # Reads miss and writes drop while Redis is away (portal/cache.py).
                "BACKEND": "portal.cache.TolerantRedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "portal",
                # A hung Redis must not hang a page: give up within half a second.
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


EMAIL_BACKENDS = {
    "console": "django.core.mail.backends.console.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "submission": "django.core.mail.backends.smtp.EmailBackend",
}


def email_settings(url: str) -> dict:
    """Turn EMAIL_URL (smtp://user:pass@host:587?tls=1, console://) into settings."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_BACKENDS:
        raise ImproperlyConfigured(
            f"EMAIL_URL scheme {parts.scheme!r} is not one of "
            f"{', '.join(EMAIL_BACKENDS)}"
        )
    result = {"EMAIL_BACKEND": EMAIL_BACKENDS[parts.scheme]}
    if parts.scheme == "file":
        result["EMAIL_FILE_PATH"] = parts.path
    if EMAIL_BACKENDS[parts.scheme].endswith("smtp.EmailBackend"):
        query = parse_qs(parts.query)
        default_port = {"smtps": 465, "submission": 587}.get(parts.scheme, 25)
        result.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or default_port,
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=parts.scheme == "smtps" or query.get("ssl") == ["1"],
            EMAIL_USE_TLS=parts.scheme == "submission" or query.get("tls") == ["1"],
            EMAIL_TIMEOUT=10,
        )
    return result
