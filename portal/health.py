"""Health of the parts the portal depends on, for /healthz and the logs.

Each check returns a ``Check``; a failing check names the part and where it lives, so
an operator reading the log knows what to restart.
"""

import logging
from dataclasses import asdict, dataclass
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings
from django.db import connection

logger = logging.getLogger("portal.health")


@dataclass
class Check:
    name: str
    ok: bool
    backend: str
    location: str = ""
    error: str = ""

    def as_dict(self) -> dict:
        return {key: value for key, value in asdict(self).items() if value != ""}


def redact_url(url: str) -> str:
    """Drop the password from a service URL before it is shown or logged."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def database_location() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return str(db["NAME"])
    return f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}/{db['NAME']}"


def check_database() -> Check:
    check = Check("database", True, connection.vendor, database_location())
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as error:  # any driver error means "not usable"
        check.ok, check.error = False, error.__class__.__name__
    return check


def check_search() -> Check:
    from search.backends import get_backend

    backend = get_backend()
    check = Check("search", True, backend.name, redact_url(backend.location))
    try:
        backend.ping()
    except Exception as error:
        check.ok, check.error = False, error.__class__.__name__
    return check


def check_tasks() -> Check:
    backend_path = settings.TASKS["default"]["BACKEND"]
    if "RQBackend" in backend_path:
        from django_rq import get_connection

        check = Check("tasks", True, "rq", redact_url(settings.REDIS_URL))
        try:
            get_connection("default").ping()
        except Exception as error:
            check.ok, check.error = False, error.__class__.__name__
        return check
    if "DatabaseBackend" in backend_path:
        from django_tasks_db.models import DBTaskResult

        check = Check("tasks", True, "database", database_location())
        try:
            DBTaskResult.objects.exists()
        except Exception as error:
            check.ok, check.error = False, error.__class__.__name__
        return check
    return Check("tasks", True, backend_path.rsplit(".", 1)[-1])


def run_checks() -> list[Check]:
    checks = [check_database(), check_search(), check_tasks()]
    for check in checks:
        if not check.ok:
            logger.warning(
                "%s unavailable: %s at %s (%s)",
                check.name,
                check.backend,
                check.location,
                check.error,
            )
    return checks
