"""One search interface, two engines: Elasticsearch when ELASTICSEARCH_URL is set,
otherwise the database engine over the same segmented text."""

from functools import cache

from django.conf import settings

from .base import SearchBackend


@cache
def get_backend() -> SearchBackend:
    if settings.ELASTICSEARCH_URL:
        from .elasticsearch import ElasticsearchBackend

        return ElasticsearchBackend(settings.ELASTICSEARCH_URL)
    from .database import DatabaseBackend

    return DatabaseBackend()
