"""The search index's hook into the register: called after every committed change.

The actions enqueue ``petition_changed`` on commit; it writes the petition as the
database has it now (or removes it), and leaves retries and catch-up to
``search.indexing`` (its task retries while the engine is down; the scheduler's
reconcile fixes whatever was still missed).

A petition's document also holds where its unit and category sit in their trees
(every ancestor's path, for scope). ``TreePlacementWatched`` notices when an edit
of either tree changes that for some nodes (a move, a new code or name, a new
sibling that shifts the paths after it) and reindexes their petitions after
commit; the document's version includes the paths too, so reconcile catches
whatever this misses.
"""

import logging
import threading
from contextlib import contextmanager

from django.db import transaction
from django_tasks import task

logger = logging.getLogger(__name__)
REINDEX_BATCH = 500


@task()
def petition_changed(petition_id: int) -> str:
    """Bring the search index in line with petition ``petition_id``."""
    from search.indexing import index_document

    return index_document.call("petitions", str(petition_id))


def reindex_on_commit(petition_id: int) -> None:
    """Queue ``petition_changed`` once the transaction commits; never raises."""

    def enqueue():
        try:
            petition_changed.enqueue(petition_id)
        except Exception:  # a queue that is down leaves it to reconcile
            logger.exception("could not queue reindexing of petition %s", petition_id)

    transaction.on_commit(enqueue)


# --- Units and categories moving in their trees ---------------------------------


def placements(model) -> dict[int, tuple]:
    """Per node, what petition documents copy of it: its path, code and name, and
    the codes of its ancestors (a category document lists them)."""
    rows = list(model.objects.values_list("pk", "path", "code", "name"))
    codes = {path: code for _pk, path, code, _name in rows}
    step = model.steplen
    return {
        pk: (
            path,
            code,
            name,
            tuple(codes.get(path[:end]) for end in range(step, len(path), step)),
        )
        for pk, path, code, name in rows
    }


_watching = threading.local()


@contextmanager
def placement_watched(model):
    """Reindex, after commit, the petitions of every node of ``model`` whose
    placement the block changed. Nested blocks (treebeard's add_child saves the
    new node) are watched once, by the outermost."""
    if getattr(_watching, "active", False):
        yield
        return
    _watching.active = True
    try:
        before = placements(model)
        yield
        changed = [
            pk for pk, place in placements(model).items() if before.get(pk) != place
        ]
    finally:
        _watching.active = False
    if changed:
        label = model._meta.label_lower
        transaction.on_commit(lambda: _queue_placement(label, changed))


def _queue_placement(label: str, ids: list[int]) -> None:
    try:
        placement_changed.enqueue(label, ids)
    except Exception:  # reconcile compares the paths too
        logger.exception("could not queue reindexing under %s %s", label, ids)


FIELD_BY_MODEL = {"petitions.unit": "unit_id", "petitions.category": "category_id"}


@task()
def placement_changed(label: str, ids: list[int]) -> int:
    """Reindex the petitions of the given units or categories; returns how many.

    With the engine down they are left to reconcile, which sees the new paths in
    the versions."""
    from search.backends.base import SearchUnavailable
    from search.indexing import index_now

    from .models import Petition

    keys = [
        str(pk)
        for pk in Petition.objects.filter(**{f"{FIELD_BY_MODEL[label]}__in": ids})
        .order_by("pk")
        .values_list("pk", flat=True)
    ]
    try:
        for start in range(0, len(keys), REINDEX_BATCH):
            index_now("petitions", keys[start : start + REINDEX_BATCH])
    except SearchUnavailable as error:
        logger.warning("reindexing after a tree change left to reconcile: %s", error)
    return len(keys)


class TreePlacementWatched:
    """Mixin for treebeard nodes copied into petition documents (Unit, Category):
    every way the tree changes is watched by ``placement_watched``."""

    def save(self, *args, **kwargs):
        with placement_watched(type(self)):
            return super().save(*args, **kwargs)

    def move(self, target, pos=None):
        with placement_watched(type(self)):
            return super().move(target, pos)

    def add_child(self, **kwargs):
        with placement_watched(type(self)):
            return super().add_child(**kwargs)

    def add_sibling(self, pos=None, **kwargs):
        with placement_watched(type(self)):
            return super().add_sibling(pos, **kwargs)

    @classmethod
    def add_root(cls, **kwargs):
        with placement_watched(cls):
            return super().add_root(**kwargs)
