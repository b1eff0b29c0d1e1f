"""The test run: the services `make test` exported, fast hashing, no real mail."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
WHITENOISE_USE_FINDERS = True
# Tests run queued work at once unless a test chooses the database queue itself.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
# Parallel runs against one Elasticsearch node keep apart by prefix, and so do the
# workers of one run (pytest-xdist names them gw0, gw1, ...).
SEARCH_INDEX_PREFIX = "-".join(
    part
    for part in (
        os.environ.get("TEST_SEARCH_INDEX_PREFIX", "portal-test"),
        os.environ.get("PYTEST_XDIST_WORKER", ""),
    )
    if part
)
WHITENOISE_AUTOREFRESH = True
# Rendered pages stay in memory during tests (home.cache).
CACHES["pages"] = {  # noqa: F405
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "pages",
}
SMS_BACKEND = "locmem"
# Attachments written by tests go to a throw-away folder, never var/private.
PRIVATE_MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="portal-test-private-"))
