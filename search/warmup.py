"""A new web process warms search up beside its first requests.

Its first search would otherwise wait for what every later one reuses: the
segmenter's dictionaries (a tenth of a second), on SQLite the entry columns (a
second at 100,000 petitions, ``search.backends.columns``), numpy's lazily imported
parts and the engine's first answer. One staff search, like the workspace's, run in
a thread when the application starts, loads all of it; a search arriving meanwhile
waits for the columns rather than loading them twice.
"""

import logging
import threading

from django.db import DatabaseError, connections

from search.backends import get_backend
from search.backends.base import SearchRequest, SearchUnavailable
from search.staff import FACETS

logger = logging.getLogger(__name__)


def warm_in_background() -> threading.Thread:
    thread = threading.Thread(target=warm, name="search-warm-up", daemon=True)
    thread.start()
    return thread


def warm() -> None:
    try:
        get_backend().search(
            SearchRequest(kind="petitions", query="法院", facets=list(FACETS))
        )
    except (DatabaseError, SearchUnavailable) as error:
        # Nothing lost: the first search loads what it needs itself.
        logger.info("search warm-up skipped: %s", error)
    finally:
        connections.close_all()
