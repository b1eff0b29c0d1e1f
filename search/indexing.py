"""What is indexed and when: sources per kind, the after-commit task, rebuild and
reconcile.

A request never talks to the engine: a change schedules ``index_document`` on
commit, the task reads the committed object and writes it. When the engine is down
the task retries with growing delays (on queues that can defer work) and gives up
quietly after a while; ``search_index --reconcile`` compares versions and fixes
whatever was missed. Saving never fails because search is down.

What a lost job leaves behind (a worker killed mid-task, a queue that was down when
the change committed, retries that gave up) is fixed by ``catch_up_recent`` every
30 s: it compares only what changed in the last minutes, so search is whole again
within a minute of an outage's end, and the hourly reconcile covers the rest.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task, task_backends

from search.backends import get_backend
from search.backends.base import SearchUnavailable

logger = logging.getLogger("search.indexing")

# While the engine is down, each change is tried again every 30 s at most, for
# about ten minutes, so it is found within a minute of the engine's return; a
# longer outage is left to the hourly reconcile.
RETRY_DELAYS = [timedelta(seconds=10), timedelta(seconds=20)] + [
    timedelta(seconds=30)
] * 20
# How far back the frequent catch-up looks: longer than any queue or worker outage
# it should heal by itself, short enough to stay cheap every 30 s.
CATCH_UP_WINDOW = timedelta(minutes=10)


@dataclass
class Source:
    """Where the documents of one kind come from, in the database."""

    kind: str
    # All documents (keys=None) or those of the given keys that should be indexed.
    documents: Callable[[Iterable[str] | None], Iterable[dict]]
    # Every key that should be indexed (or those of the given keys), with its
    # current version.
    versions: Callable[[Iterable[str] | None], dict[str, str]]
    count: Callable[[], int]
    # Keys changed since a moment, for the frequent catch-up (None: hourly only).
    changed_since: Callable[[datetime], set[str]] | None = None


SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> None:
    SOURCES[source.kind] = source


def available_kinds() -> list[str]:
    """The kinds that have a source in this portal."""
    from search import sources  # noqa: F401 - registers the portal's sources

    return sorted(SOURCES)


def get_source(kind: str) -> Source:
    if kind not in available_kinds():
        raise KeyError(f"no search source for {kind}")
    return SOURCES[kind]


def schedule_index(kind: str, key) -> None:
    """Index ``key`` once the current transaction commits; never raises."""

    def enqueue():
        try:
            index_document.enqueue(kind, str(key))
        except Exception:  # a full or broken queue must not break the save
            logger.exception("could not queue indexing of %s %s", kind, key)

    transaction.on_commit(enqueue)


def _retry_later(kind: str, key: str, attempt: int) -> bool:
    if attempt >= len(RETRY_DELAYS):
        logger.warning("giving up indexing %s %s; reconcile will fix it", kind, key)
        return False
    backend = task_backends[index_document.backend]
    if not backend.supports_defer:
        logger.warning("search engine down, %s %s left to reconcile", kind, key)
        return False
    index_document.using(run_after=timezone.now() + RETRY_DELAYS[attempt]).enqueue(
        kind, key, attempt + 1
    )
    return True


def index_now(kind: str, keys: list[str]) -> tuple[int, int]:
    """Write the given keys as the database has them now: (written, deleted)."""
    documents = list(get_source(kind).documents(keys))
    backend = get_backend()
    written = backend.upsert(kind, documents) if documents else 0
    found = {str(document["id"]) for document in documents}
    gone = [key for key in keys if key not in found]
    if gone:
        backend.delete(kind, gone)
    return written, len(gone)


@task()
def index_document(kind: str, key: str, attempt: int = 0) -> str:
    """Bring one document of the index in line with the database."""
    try:
        written, _deleted = index_now(kind, [key])
    except SearchUnavailable as error:
        logger.warning("indexing %s %s failed: %s", kind, key, error)
        return "retrying" if _retry_later(kind, key, attempt) else "missed"
    return "indexed" if written else "removed"


@dataclass
class Reconciled:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0


def reconcile(kind: str) -> Reconciled:
    """Compare the database with the index by id and version; fix the difference."""
    wanted = get_source(kind).versions(None)
    indexed = get_backend().versions(kind)
    return _bring_in_line(
        kind, wanted, indexed, [k for k in indexed if k not in wanted]
    )


def catch_up(kind: str, since: datetime) -> Reconciled:
    """Reconcile what changed since ``since`` only (removals wait for the hourly
    reconcile): the index gets whatever it lacks or holds in an older version."""
    keys = sorted(get_source(kind).changed_since(since))
    if not keys:
        return Reconciled()
    wanted = get_source(kind).versions(keys)
    return _bring_in_line(kind, wanted, get_backend().versions(kind, keys), [])


def _bring_in_line(kind, wanted: dict, indexed: dict, extra: list) -> Reconciled:
    backend = get_backend()
    missing = [key for key in wanted if key not in indexed]
    stale = [key for key in wanted if key in indexed and indexed[key] != wanted[key]]
    if missing or stale:
        backend.upsert(kind, get_source(kind).documents(missing + stale))
    if extra:
        backend.delete(kind, extra)
    if missing or stale or extra:  # the 30 s catch-up mostly finds nothing to do
        backend.refresh(kind)
    return Reconciled(
        added=len(missing),
        updated=len(stale),
        removed=len(extra),
        unchanged=len(wanted) - len(missing) - len(stale),
    )


def rebuild(kind: str, progress: Callable[[int], None] | None = None) -> int:
    """A fresh index of everything, swapped in whole."""
    written = get_backend().rebuild(kind, get_source(kind).documents(None), progress)
    get_backend().refresh(kind)
    return written


@task()
def catch_up_recent() -> dict[str, dict]:
    """The scheduler's 30 s catch-up of recent changes whose indexing job was lost.
    Quietly skipped while the engine is down (the retries and the next run wait)."""
    since = timezone.now() - CATCH_UP_WINDOW
    results = {}
    for kind in available_kinds():
        if get_source(kind).changed_since is None:
            continue
        try:
            results[kind] = catch_up(kind, since).__dict__
        except SearchUnavailable as error:
            logger.info("catch-up of %s skipped: %s", kind, error)
    return results


@task()
def reconcile_all() -> dict[str, dict]:
    """The scheduler's hourly catch-up: whatever an outage or a passing deadline
    left stale is fixed within the hour. Quietly skipped while the engine is down."""
    results = {}
    for kind in available_kinds():
        try:
            results[kind] = reconcile(kind).__dict__
        except SearchUnavailable as error:
            logger.warning("reconcile of %s skipped: %s", kind, error)
    return results
