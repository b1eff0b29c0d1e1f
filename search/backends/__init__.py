"""One search interface, two engines: Elasticsearch when ELASTICSEARCH_URL is set,
otherwise the database engine over the same segmented text."""

from functools import cache

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

from .base import SearchBackend


@cache
def get_backend() -> SearchBackend:
    if settings.ELASTICSEARCH_URL:
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .database import DatabaseBackend

    return DatabaseBackend()


@receiver(setting_changed)
def _forget_backend(setting, **kwargs):
    """Tests that point ELASTICSEARCH_URL elsewhere get an engine that follows."""
    if setting.startswith("ELASTICSEARCH_") or setting == "DATABASES":
        get_backend.cache_clear()
