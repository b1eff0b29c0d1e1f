"""The search index's hook into the register: called after every committed change.

The actions enqueue ``petition_changed`` on commit; it writes the petition as the
database has it now (or removes it), and leaves retries and catch-up to
``search.indexing`` (its task retries while the engine is down; the scheduler's
reconcile fixes whatever was still missed).
"""

from django_tasks import task


@task()
def petition_changed(petition_id: int) -> str:
    """Bring the search index in line with petition ``petition_id``."""
    from search.indexing import index_document

    return index_document.call("petitions", str(petition_id))
