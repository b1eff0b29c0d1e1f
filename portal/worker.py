"""The RQ worker the portal runs (``manage.py run_worker`` when REDIS_URL is set)."""

from django.db import close_old_connections
from rq.worker import SimpleWorker


class PortalWorker(SimpleWorker):
    """Runs each job in the worker's own process instead of a process forked for it.

    RQ's default worker forks a work horse per job, and every horse opened its own
    database and search connections and threw them away: under load the workers
    spent more time connecting than indexing or sending. Here connections live on
    between jobs, and Django's connection hygiene runs around each job as it runs
    around a request: a connection older than ``CONN_MAX_AGE``, or broken (the
    database restarted), is closed, and the next query opens a fresh one. A job
    still stops at its timeout (RQ's alarm-based death penalty)."""

    def perform_job(self, job, queue, execution):
        close_old_connections()
        try:
            return super().perform_job(job, queue, execution)
        finally:
            close_old_connections()
