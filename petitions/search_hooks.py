"""The search index's hook into the register: called after every committed change.

Issue 7 (search) fills ``petition_changed`` in; the actions already enqueue it on
commit, so indexing needs no change to them.
"""

from django_tasks import task


@task()
def petition_changed(petition_id: int) -> None:
    """Bring the search index in line with petition ``petition_id``.

    Does nothing yet: the search engine indexes petitions from issue 7 on.
    """
    return None
