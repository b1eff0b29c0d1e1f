from django.db import connection

from .base import SearchBackend


class DatabaseBackend(SearchBackend):
    """Full text in the portal's own database (SQLite FTS5 or PostgreSQL tsvector)."""

    name = "database"

    @property
    def location(self) -> str:
        return connection.vendor

    def ping(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
